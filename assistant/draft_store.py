"""Drafts kept in an embedded SQLite database (WAL): saved on every change, with their history,
separated by owner so two users never see or overwrite each other's drafts."""

from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path

from pydantic import BaseModel

from corpus import store as data_store
from corpus.store import home

# what SQLite says of a file that is not (or no longer) a drafts database; "locked" and the like are not damage
_DAMAGE = ("file is not a database", "malformed", "no such table", "disk image", "unsupported file format")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS drafts_owner ON drafts(owner, updated);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL, time TEXT NOT NULL,
    note TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_draft ON history(draft_id, id);
CREATE TABLE IF NOT EXISTS shares (
    draft_id TEXT NOT NULL, reviewer TEXT NOT NULL, created TEXT NOT NULL,
    PRIMARY KEY (draft_id, reviewer));
CREATE INDEX IF NOT EXISTS shares_reviewer ON shares(reviewer);
"""

# the one user of an instance without sign-in; drafts made before sign-in existed (under a
# per-browser ?u= id) are given to it when the database is first opened by this version
LOCAL_OWNER = "local"


class DraftSummary(BaseModel):
    id: str
    title: str
    created: str
    updated: str
    versions: int


class SharedDraft(BaseModel):
    """A draft as its reviewer sees it in the list of drafts shared with him or her."""
    id: str
    title: str
    owner: str
    updated: str
    shared: str


class HistoryEntry(BaseModel):
    id: int
    time: str
    note: str


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class DraftStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or home() / "drafts.sqlite3")
        self.readonly = not data_store.writable(self.path.parent)
        if self.readonly:
            data_store.notice("数据文件夹只读：草稿可以查看，但无法保存。")
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._create()
        except (PermissionError, sqlite3.OperationalError) as exc:
            if isinstance(exc, sqlite3.OperationalError) and not any(
                    w in str(exc).lower() for w in ("readonly", "read-only", "unable to open")):
                raise
            self.readonly = True
            data_store.notice("数据文件夹只读：草稿可以查看，但无法保存。")
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

    def _create(self) -> None:
        try:
            with closing(sqlite3.connect(self.path, timeout=10)) as db:
                db.execute("PRAGMA journal_mode=WAL")
                before_sign_in = _has_table(db, "drafts") and not _has_table(db, "shares")
                db.executescript(_SCHEMA)
                if before_sign_in:
                    with db:
                        db.execute("UPDATE drafts SET owner=?", (LOCAL_OWNER,))
        except sqlite3.DatabaseError as exc:
            if not _damaged(exc):
                raise
            self._recover("已损坏")

    def _recover(self, what: str) -> None:
        """Set a damaged database aside (kept with a timestamp suffix) and start an empty one."""
        moved = data_store.set_aside(self.path) if self.path.exists() else None
        for extra in ("-wal", "-shm"):
            Path(f"{self.path}{extra}").unlink(missing_ok=True)
        kept = f"，原文件已改名为 {moved.name} 留存" if moved else ""
        data_store.notice(f"草稿库{what}，已重新建立一个空的草稿库{kept}。")
        with closing(sqlite3.connect(self.path, timeout=10)) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # one short connection per call: safe across Streamlit's threads and processes
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

    def _writable(self) -> None:
        if self.readonly:
            raise PermissionError("数据文件夹只读，草稿无法保存")

    def create(self, owner: str, title: str, state: str, note: str = "新建") -> str:
        self._writable()
        draft_id = uuid.uuid4().hex[:12]
        now = _now()
        with closing(self._connect()) as db, db:
            db.execute("INSERT INTO drafts VALUES (?,?,?,?,?,?)", (draft_id, owner, title, now, now, state))
            db.execute("INSERT INTO history(draft_id, time, note, state) VALUES (?,?,?,?)", (draft_id, now, note, state))
        return draft_id

    def _check_owner(self, db: sqlite3.Connection, draft_id: str, owner: str) -> None:
        row = db.execute("SELECT owner FROM drafts WHERE id=?", (draft_id,)).fetchone()
        if row is None:
            raise KeyError(f"草稿 {draft_id} 不存在")
        if row[0] != owner:
            raise PermissionError("这份草稿属于其他用户")

    def save(self, draft_id: str, owner: str, state: str, note: str, title: str | None = None) -> None:
        self._writable()
        now = _now()
        with closing(self._connect()) as db, db:
            self._check_owner(db, draft_id, owner)
            if title is None:
                db.execute("UPDATE drafts SET state=?, updated=? WHERE id=?", (state, now, draft_id))
            else:
                db.execute("UPDATE drafts SET state=?, updated=?, title=? WHERE id=?", (state, now, title, draft_id))
            db.execute("INSERT INTO history(draft_id, time, note, state) VALUES (?,?,?,?)", (draft_id, now, note, state))

    def load(self, draft_id: str, owner: str) -> str:
        with closing(self._connect()) as db:
            self._check_owner(db, draft_id, owner)
            return db.execute("SELECT state FROM drafts WHERE id=?", (draft_id,)).fetchone()[0]

    def list(self, owner: str) -> list[DraftSummary]:
        if self.readonly and not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT d.id, d.title, d.created, d.updated, COUNT(h.id) FROM drafts d "
                "LEFT JOIN history h ON h.draft_id = d.id WHERE d.owner=? GROUP BY d.id ORDER BY d.updated DESC",
                (owner,)).fetchall()
        return [DraftSummary(id=r[0], title=r[1], created=r[2], updated=r[3], versions=r[4]) for r in rows]

    def history(self, draft_id: str, owner: str) -> list[HistoryEntry]:
        with closing(self._connect()) as db:
            self._check_owner(db, draft_id, owner)
            rows = db.execute("SELECT id, time, note FROM history WHERE draft_id=? ORDER BY id", (draft_id,)).fetchall()
        return [HistoryEntry(id=r[0], time=r[1], note=r[2]) for r in rows]

    def version(self, draft_id: str, owner: str, history_id: int) -> str:
        with closing(self._connect()) as db:
            self._check_owner(db, draft_id, owner)
            row = db.execute("SELECT state FROM history WHERE draft_id=? AND id=?", (draft_id, history_id)).fetchone()
        if row is None:
            raise KeyError(f"没有这个版本：{history_id}")
        return row[0]

    def give_all(self, from_owner: str, to_owner: str) -> int:
        """Hand every draft of `from_owner` to `to_owner` (the local user's drafts to a signed-in
        person when a unit turns sign-in on); how many were handed over."""
        self._writable()
        if not to_owner or to_owner == from_owner:
            raise ValueError("须交给另一个账号")
        with closing(self._connect()) as db, db:
            count = db.execute("SELECT COUNT(*) FROM drafts WHERE owner=?", (from_owner,)).fetchone()[0]
            db.execute("UPDATE drafts SET owner=? WHERE owner=?", (to_owner, from_owner))
        return count

    # -- drafts shared for review ---------------------------------------------------------------

    def share(self, draft_id: str, owner: str, reviewer: str) -> None:
        """Let `reviewer` read the draft (and its review report); sharing twice changes nothing."""
        self._writable()
        if not reviewer or reviewer == owner:
            raise ValueError("审核人须是另一个人")
        with closing(self._connect()) as db, db:
            self._check_owner(db, draft_id, owner)
            known = db.execute("SELECT 1 FROM shares WHERE draft_id=? AND reviewer=?", (draft_id, reviewer)).fetchone()
            if known is None:
                db.execute("INSERT INTO shares(draft_id, reviewer, created) VALUES (?,?,?)", (draft_id, reviewer, _now()))

    def unshare(self, draft_id: str, owner: str, reviewer: str) -> None:
        self._writable()
        with closing(self._connect()) as db, db:
            self._check_owner(db, draft_id, owner)
            db.execute("DELETE FROM shares WHERE draft_id=? AND reviewer=?", (draft_id, reviewer))

    def reviewers(self, draft_id: str, owner: str) -> list[str]:
        """Who the owner shared the draft with."""
        with closing(self._connect()) as db:
            self._check_owner(db, draft_id, owner)
            rows = db.execute("SELECT reviewer FROM shares WHERE draft_id=? ORDER BY created, reviewer",
                              (draft_id,)).fetchall()
        return [r[0] for r in rows]

    def shared_with(self, reviewer: str) -> list[SharedDraft]:
        """The drafts shared with `reviewer`, latest change first."""
        if self.readonly and not self.path.exists():
            return []
        with closing(self._connect()) as db:
            rows = db.execute(
                "SELECT d.id, d.title, d.owner, d.updated, s.created FROM shares s "
                "JOIN drafts d ON d.id = s.draft_id WHERE s.reviewer=? ORDER BY d.updated DESC", (reviewer,)).fetchall()
        return [SharedDraft(id=r[0], title=r[1], owner=r[2], updated=r[3], shared=r[4]) for r in rows]

    def load_shared(self, draft_id: str, reviewer: str) -> str:
        """The draft's state for a reviewer it was shared with; anyone else gets PermissionError."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT d.state FROM drafts d JOIN shares s ON s.draft_id = d.id "
                             "WHERE d.id=? AND s.reviewer=?", (draft_id, reviewer)).fetchone()
        if row is None:
            raise PermissionError("这份草稿没有共享给您")
        return row[0]


def _has_table(db: sqlite3.Connection, name: str) -> bool:
    # a plain query rather than a look into the catalogue: the same on every SQL database
    try:
        db.execute(f"SELECT 1 FROM {name} WHERE 1=0").fetchall()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc).lower():
            return False
        raise
    return True


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    return any(word in str(exc).lower() for word in _DAMAGE)
