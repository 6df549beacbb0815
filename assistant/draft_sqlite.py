"""The drafts database as an embedded SQLite file (WAL) in the data folder: the default backend of
DraftStore. Its faults are those of a file: a read-only folder (drafts can be viewed, not saved),
a junk or deleted file, even while the app runs (set aside with a timestamp suffix, an empty
database started)."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from corpus import store as data_store

# what SQLite says of a file that is not (or no longer) a drafts database; "locked" and the like are not damage
_DAMAGE = ("file is not a database", "malformed", "no such table", "disk image", "unsupported file format")
READ_ONLY = "数据文件夹只读：草稿可以查看，但无法保存。"


class SQLiteDrafts:
    kind = "SQLite"

    def __init__(self, path: Path, schema: str, legacy_owner: str = ""):
        """`legacy_owner`: who takes the drafts of a database made before sign-in existed (a drafts
        table and no shares table), whose owners were per-browser ?u= ids."""
        self.path, self.schema, self.legacy_owner = Path(path), schema, legacy_owner
        self.readonly = not data_store.writable(self.path.parent)
        if self.readonly:
            data_store.notice(READ_ONLY)
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._create()
        except (PermissionError, sqlite3.OperationalError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and not any(
                    w in str(exc).lower() for w in ("readonly", "read-only", "unable to open")):
                raise
            self.readonly = True
            data_store.notice(READ_ONLY)
            return
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            try:
                db.execute("SELECT 1 FROM drafts LIMIT 1").fetchall()
                ok = db.execute("PRAGMA quick_check").fetchone()[0] == "ok"
            except sqlite3.DatabaseError as exc:
                if not _damaged(exc):
                    raise
                ok = False
        if not ok:
            self._recover("已损坏")

    def absent(self) -> bool:
        """Nothing to read: a read-only folder without a drafts database."""
        return self.readonly and not self.path.exists()

    def reachable(self) -> bool:
        return True

    def _create(self) -> None:
        try:
            self._init_schema()
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise
            self._recover("已损坏")

    def _init_schema(self) -> None:
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA journal_mode=WAL")
            before_sign_in = _has_table(db, "drafts") and not _has_table(db, "shares")
            db.executescript(self.schema)
            if before_sign_in and self.legacy_owner:
                with db:
                    db.execute("UPDATE drafts SET owner=?", (self.legacy_owner,))
        finally:
            db.close()

    def _recover(self, what: str) -> None:
        """Set a damaged database aside (kept with a timestamp suffix) and start an empty one."""
        moved = data_store.set_aside(self.path) if self.path.exists() else None
        for extra in ("-wal", "-shm"):
            Path(f"{self.path}{extra}").unlink(missing_ok=True)
        kept = f"，原文件已改名为 {moved.name} 留存" if moved else ""
        data_store.notice(f"草稿库{what}，已重新建立一个空的草稿库{kept}。")
        self._init_schema()

    def connect(self) -> sqlite3.Connection:
        """One short connection per call: safe across Streamlit's threads and processes."""
        if self.readonly:
            if not self.path.exists():
                raise PermissionError("数据文件夹只读，草稿无法保存")
            return sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=10)
        if not self.path.exists():  # deleted while the app runs
            self._recover("已被删除")
        db = sqlite3.connect(self.path, timeout=10)
        try:
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute("SELECT 1 FROM drafts LIMIT 1").fetchall()
        except sqlite3.DatabaseError as exc:  # replaced by junk while the app runs
            db.close()
            if not _damaged(exc):
                raise
            self._recover("已损坏")
            db = sqlite3.connect(self.path, timeout=10)
            db.execute("PRAGMA synchronous=NORMAL")
        return db


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    try:
        db.execute(f"SELECT 1 FROM {name} WHERE 1=0").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc).lower():
            return False
        raise
    return True


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return any(word in str(exc).lower() for word in _DAMAGE)
