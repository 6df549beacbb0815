"""The user's own documents: kept in the data folder and added to the stored corpus."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from . import store
from .build import load_or_build
from .models import DocumentResult
from .parse import parse_path


def _safe_name(name: str) -> str:
    name = Path(name).name  # never a path from the upload
    return re.sub(r"[\\/:*?\"<>|\x00-\x1f]", "_", name) or "文件"


def preview_upload(name: str, data: bytes) -> DocumentResult:
    """Parse uploaded bytes without keeping them: what would be read, and what would be skipped."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / _safe_name(name)
        path.write_bytes(data)
        return parse_path(path, _safe_name(name))


def add_documents(files: list[tuple[str, bytes]]) -> list[str]:
    """Keep the files, parse them and store the grown corpus (a file of the same name is replaced)."""
    folder = store.documents_dir()
    folder.mkdir(parents=True, exist_ok=True)
    corpus = load_or_build()
    added = []
    for name, data in files:
        path = folder / _safe_name(name)
        path.write_bytes(data)
        result = parse_path(path, path.name)
        if not result.projects:
            continue
        corpus.documents = [d for d in corpus.documents if d.source != result.source] + [result]
        added.append(result.source)
    store.save(corpus)
    return added
