"""Drafts saved on every change, with their history, separated by owner so two users never see or
overwrite each other's drafts. Kept in an embedded SQLite file in the data folder (the default), or
on a PostgreSQL server shared by several app replicas when a database URL is set
($JIXIAO_DATABASE_URL or `database_url` in config.json).

All the SQL is here, once, in the subset both databases read (`?` placeholders; see
draft_postgres.py for the little it translates); a backend only hands out connections and deals
with its own faults (draft_sqlite.py: a file; draft_postgres.py: a server). Either backend's
connection is used the same way: `with closing(self._connect()) as db, db:` is one transaction
(committed at the end, rolled back if the block raises), `db.execute(sql, params)` returns a cursor
(fetchone / fetchall). A new table goes in _SCHEMA and a new method is written like the ones below:
it then works on both backends."""

from __future__ import annotations

import time
import uuid
from contextlib import closing
from pathlib import Path

from pydantic import BaseModel

from corpus.store import home

from .draft_postgres import DraftsUnavailable
from .draft_sqlite import SQLiteDrafts

__all__ = ["DraftStore", "DraftSummary", "HistoryEntry", "DraftsUnavailable"]

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
    def __init__(self, path: Path | None = None, url: str | None = None):
        """`path`: a SQLite file; `url`: a PostgreSQL database. Neither: the configured database
        URL if any (index.settings.database_url), else drafts.sqlite3 in the data folder."""
        if url is None and path is None:
            from index.settings import database_url

            url = database_url()
        if url:
            from .draft_postgres import PostgresDrafts

            self.backend = PostgresDrafts(url, _SCHEMA)
        else:
            self.backend = SQLiteDrafts(Path(path or home() / "drafts.sqlite3"), _SCHEMA, legacy_owner=LOCAL_OWNER)

    @property
    def path(self) -> Path | None:
        """The SQLite file (None on PostgreSQL)."""
        return self.backend.path

    @property
    def readonly(self) -> bool:
        return self.backend.readonly

    def reachable(self) -> bool:
        """False when the last call could not reach the drafts database (a server; a file always is)."""
        return self.backend.reachable()

    def _connect(self):
        """A connection of the backend (see the module's docstring)."""
        return self.backend.connect()

    def _listing(self, sql: str, who: str) -> list[tuple]:
        """The rows of a listing for one person; none when there is nothing to read (a read-only folder
        without a database, an unreachable server: said in a notice)."""
        if self.backend.absent():
            return []
        try:
            with closing(self._connect()) as db:
                return db.execute(sql, (who,)).fetchall()
        except DraftsUnavailable:
            return []

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

    def _check_owner(self, db, draft_id: str, owner: str) -> None:
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
        """The owner's drafts, latest first; none when there is nothing to read (a read-only folder
        without a database, an unreachable server: said in a notice)."""
        rows = self._listing(
            "SELECT d.id, d.title, d.created, d.updated, COUNT(h.id) FROM drafts d "
            "LEFT JOIN history h ON h.draft_id = d.id WHERE d.owner=? GROUP BY d.id ORDER BY d.updated DESC", owner)
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
        """The drafts shared with `reviewer`, latest change first (none when there is nothing to read)."""
        rows = self._listing(
            "SELECT d.id, d.title, d.owner, d.updated, s.created FROM shares s "
            "JOIN drafts d ON d.id = s.draft_id WHERE s.reviewer=? ORDER BY d.updated DESC", reviewer)
        return [SharedDraft(id=r[0], title=r[1], owner=r[2], updated=r[3], shared=r[4]) for r in rows]

    def load_shared(self, draft_id: str, reviewer: str) -> str:
        """The draft's state for a reviewer it was shared with; anyone else gets PermissionError."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT d.state FROM drafts d JOIN shares s ON s.draft_id = d.id "
                             "WHERE d.id=? AND s.reviewer=?", (draft_id, reviewer)).fetchone()
        if row is None:
            raise PermissionError("这份草稿没有共享给您")
        return row[0]

