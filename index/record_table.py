"""The records of one collection, compact: what search and filters read is kept as numpy columns
(a few bytes a record); the whole records live in SQLite next to the vectors and are
materialised only for the ids asked for (the hits, a project's rows, a slot's prior).

Records not yet saved (a build or an append in progress, or a read-only data folder) are held
as objects until `save` writes them out."""

from __future__ import annotations

import json
import shutil
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from .records import ProjectRecord, RowRecord

CODED = ("level1", "level2", "kind", "region", "unit", "name")  # string fields kept as codes
SQL_CHUNK = 900  # ids per `IN (…)`: below SQLite's default variable limit
RECORD_MEMO = 20_000  # records read from disk kept (≈ 1.5 KB each): drafts and checks ask for the same ones


class RecordTable:
    def __init__(self, record_type: type[RowRecord] | type[ProjectRecord]):
        self.record_type = record_type
        self.key = np.zeros(0, np.int32)  # record → distinct text id
        self.project_id = np.zeros(0, np.int32)  # rows: their project (projects: -1)
        self.year = np.zeros(0, np.int32)  # -1 when unknown
        self.budget = np.zeros(0, np.float64)  # 万元, nan when unknown (float64: filters compare as before)
        self.codes = {f: np.zeros(0, np.int32) for f in CODED}
        self.values: dict[str, list[str]] = {f: [] for f in CODED}  # code → value
        self._code_of: dict[str, dict[str, int]] = {f: {} for f in CODED}
        self._db: sqlite3.Connection | None = None
        self._db_path: Path | None = None
        self._on_disk = 0  # records 0…_on_disk-1 are in the database, the rest in _pending
        self._pending: list = []
        self._lock = threading.Lock()  # one connection, shared by the UI's threads
        self._memo: OrderedDict[int, RowRecord | ProjectRecord] = OrderedDict()

    def __len__(self) -> int:
        return len(self.key)

    # -- adding ------------------------------------------------------------------
    def extend(self, records: Sequence[RowRecord | ProjectRecord], keys: Sequence[int]) -> None:
        """Append records (their ids continue from len(self)) with their distinct-text ids."""
        self.key = np.concatenate([self.key, np.asarray(keys, np.int32)])
        self.project_id = np.concatenate([self.project_id, np.array(
            [getattr(r, "project_id", -1) for r in records], np.int32)])
        self.year = np.concatenate([self.year, np.array([-1 if r.year is None else r.year for r in records], np.int32)])
        self.budget = np.concatenate([self.budget, np.array(
            [np.nan if r.budget_wan is None else r.budget_wan for r in records], np.float64)])
        for f in CODED:
            code_of, values = self._code_of[f], self.values[f]
            new = np.empty(len(records), np.int32)
            for i, r in enumerate(records):
                v = getattr(r, f, "") or ""
                c = code_of.get(v)
                if c is None:
                    c = code_of[v] = len(values)
                    values.append(v)
                new[i] = c
            self.codes[f] = np.concatenate([self.codes[f], new])
        self._pending.extend(records)

    # -- reading -----------------------------------------------------------------
    def value(self, field: str, i: int) -> str:
        return self.values[field][self.codes[field][i]]

    def code(self, field: str, value: str) -> int | None:
        return self._code_of[field].get(value)

    def __getitem__(self, i: int) -> RowRecord | ProjectRecord:
        return self.many([i])[0]

    def many(self, ids: Iterable[int]) -> list:
        """The records of these ids, in the order given."""
        ids = [int(i) for i in ids]
        found: dict[int, object] = {i: self._pending[i - self._on_disk] for i in ids if i >= self._on_disk}
        stored = sorted({i for i in ids if i < self._on_disk})
        if stored:
            with self._lock:
                memo, wanted = self._memo, []
                for i in stored:
                    if i in memo:
                        memo.move_to_end(i)
                        found[i] = memo[i]
                    else:
                        wanted.append(i)
                for s in range(0, len(wanted), SQL_CHUNK):
                    part = wanted[s:s + SQL_CHUNK]
                    rows = self._db.execute(f"SELECT id, data FROM records WHERE id IN ({','.join('?' * len(part))})",
                                            part).fetchall()
                    for rid, data in rows:
                        found[rid] = memo[rid] = self.record_type.model_validate_json(data)
                while len(memo) > RECORD_MEMO:
                    memo.popitem(last=False)
        missing = [i for i in ids if i not in found]
        if missing:
            raise ValueError(f"索引记录缺失（{len(missing)} 条，如 {missing[0]}），索引文件可能已损坏")
        return [found[i] for i in ids]

    def __iter__(self):
        for s in range(0, len(self), 10_000):
            yield from self.many(range(s, min(len(self), s + 10_000)))

    # -- persistence -------------------------------------------------------------
    def save(self, folder: Path, name: str) -> None:
        """Write `name`.records.sqlite (the old database copied, the pending records added) and the columns."""
        path = folder / f"{name}.records.sqlite"
        if self._db_path is not None and self._on_disk:
            shutil.copyfile(self._db_path, path)
        con = sqlite3.connect(path)
        try:
            con.execute("CREATE TABLE IF NOT EXISTS records (id INTEGER PRIMARY KEY, data TEXT NOT NULL)")
            con.executemany("INSERT INTO records VALUES (?, ?)",
                            ((r.id, r.model_dump_json()) for r in self._pending))
            con.commit()
        finally:
            con.close()
        np.savez(folder / f"{name}.columns.npz", key=self.key, project_id=self.project_id, year=self.year,
                 budget=self.budget, **{f"code_{f}": self.codes[f] for f in CODED})
        (folder / f"{name}.values.json").write_text(json.dumps(self.values, ensure_ascii=False), encoding="utf-8")

    def attach(self, folder: Path, name: str) -> None:
        """Read records from the saved database from now on and let go of the objects held."""
        path = folder / f"{name}.records.sqlite"
        # immutable: the file is never changed in place (a save writes a new folder and swaps it in),
        # and a read-only data folder needs no lock file
        con = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True, check_same_thread=False)
        try:
            top = con.execute("SELECT max(id), min(id) FROM records").fetchone()
        except sqlite3.DatabaseError as exc:
            con.close()
            raise ValueError(f"记录库无法读取：{exc}") from exc
        n = 0 if top[0] is None else top[0] + 1
        if n != len(self) or (n and top[1] != 0):
            con.close()
            raise ValueError(f"记录库不完整（{n} 条，应有 {len(self)} 条）")
        if self._db is not None:
            self._db.close()
        self._db, self._db_path, self._on_disk, self._pending = con, path, n, []
        self._memo.clear()

    @classmethod
    def load(cls, folder: Path, name: str, record_type) -> "RecordTable":
        t = cls(record_type)
        with np.load(folder / f"{name}.columns.npz") as cols:
            t.key, t.project_id, t.year, t.budget = cols["key"], cols["project_id"], cols["year"], cols["budget"]
            t.codes = {f: cols[f"code_{f}"] for f in CODED}
        t.values = json.loads((folder / f"{name}.values.json").read_text(encoding="utf-8"))
        t._code_of = {f: {v: i for i, v in enumerate(t.values[f])} for f in CODED}
        if any(len(c) != len(t.key) for c in (t.project_id, t.year, t.budget, *t.codes.values())):
            raise ValueError("记录列长度不一致")
        t.attach(folder, name)
        return t
