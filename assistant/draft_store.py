"""Drafts kept in an embedded SQLite database (WAL): saved on every change, with their history,
separated by owner so two users never see or overwrite each other's drafts."""

from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path

from pydantic import BaseModel

from corpus.store import home

_SCHEMA = """
CREATE TABLE IF NOT EXISTS drafts (
    id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL,
    created TEXT NOT NULL, updated TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS drafts_owner ON drafts(owner, updated);
CREATE TABLE IF NOT EXISTS history (
    id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL, time TEXT NOT NULL,
    note TEXT NOT NULL, state TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS history_draft ON history(draft_id, id);
"""


class DraftSummary(BaseModel):
    id: str
    title: str
    created: str
    updated: str
    versions: int


class HistoryEntry(BaseModel):
    id: int
    time: str
    note: str


def _now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


class DraftStore:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or home() / "drafts.sqlite3")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        # one short connection per call: safe across Streamlit's threads and processes
        db = sqlite3.connect(self.path, timeout=10)
        db.execute("PRAGMA synchronous=NORMAL")
        return db

    def create(self, owner: str, title: str, state: str, note: str = "新建") -> str:
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
