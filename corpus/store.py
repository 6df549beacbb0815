"""Where the built corpus lives on disk, and the bundled default documents."""

from __future__ import annotations

import os
import time
from pathlib import Path

from .models import Corpus

BUNDLED_DIR = Path(__file__).parent / "seeds"


class DamagedData(Exception):
    """Stored data that is damaged and could not be rebuilt: the CLI exits with code 3."""


# Messages about damaged or unwritable data, said once: the CLI prints them to stderr, the UI shows
# them with st.warning. `notice` records one; `take_notices` hands them over and forgets them.
_NOTICES: list[str] = []


def notice(message: str) -> None:
    if message not in _NOTICES:
        _NOTICES.append(message)


def take_notices() -> list[str]:
    out = list(_NOTICES)
    _NOTICES.clear()
    return out


def set_aside(path: Path) -> Path | None:
    """Rename a damaged file or folder with a timestamp suffix (kept for inspection); None if it cannot be moved."""
    stamp = time.strftime('%Y%m%d-%H%M%S')
    target = path.with_name(f"{path.name}.damaged-{stamp}")
    n = 1
    while target.exists():  # never overwrite an earlier damaged copy
        n += 1
        target = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    try:
        os.replace(path, target)
    except OSError:
        return None
    return target


def writable(folder: Path | None = None) -> bool:
    folder = folder or home()
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return os.access(folder, os.W_OK)


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


def file_stamp(path: Path) -> dict:
    """What says a corpus file is still the one read: its path, size and modification time."""
    st = path.stat()
    return {"path": str(path.resolve()), "size": st.st_size, "mtime_ns": st.st_mtime_ns}


def save(corpus: Corpus, path: Path | None = None) -> Path:
    path = path or corpus_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(corpus.model_dump_json(), encoding="utf-8")
    tmp.replace(path)  # atomic: a crash mid-write never leaves half a corpus
    corpus._origin = file_stamp(path)  # the object now is what the file holds: the index may trust its digests
    return path


def load(path: Path | None = None) -> Corpus | None:
    """The stored corpus; None when there is none. Raises ValueError (or OSError) when it is damaged."""
    path = path or corpus_path()
    if not path.exists():
        return None
    stamp = file_stamp(path)  # before reading: a file changed meanwhile is not taken for this one
    corpus = Corpus.model_validate_json(path.read_text(encoding="utf-8"))
    corpus._origin = stamp
    return corpus
