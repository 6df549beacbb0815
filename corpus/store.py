"""Where the built corpus lives on disk, and the bundled default documents."""

from __future__ import annotations

import os
from pathlib import Path

from .models import Corpus

BUNDLED_DIR = Path(__file__).parent / "seeds"


def home() -> Path:
    """The tool's data folder: $JIXIAO_HOME, else ~/.jixiao."""
    return Path(os.environ.get("JIXIAO_HOME") or Path.home() / ".jixiao")


def documents_dir() -> Path:
    """The user's own documents, added through the UI; part of every corpus build."""
    return home() / "documents"


def corpus_path() -> Path:
    return home() / "corpus.json"


def bundled_files() -> list[Path]:
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.is_file() and not p.name.startswith("."))


def save(corpus: Corpus, path: Path | None = None) -> Path:
    path = path or corpus_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(corpus.model_dump_json(), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash mid-write never leaves half a corpus
    return path


def load(path: Path | None = None) -> Corpus | None:
    path = path or corpus_path()
    if not path.exists():
        return None
    return Corpus.model_validate_json(path.read_text(encoding="utf-8"))
