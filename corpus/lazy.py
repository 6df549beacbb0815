"""The stored corpus without parsing it whole: a SQLite companion of corpus.json (one row per
project, a key per indicator row) read by id, so a command that needs a few projects (a draft's
precedents) does not validate a million rows first.

corpus.json stays the one source of truth: the companion records the size and mtime of the
corpus.json it was made from and is made again (from a full parse, once) when they differ."""

from __future__ import annotations

import os
import sqlite3
import threading
from functools import cached_property
from pathlib import Path

from . import store
from .models import Corpus, DocumentResult, IndicatorRow, Project, ProjectHeading

Pair = tuple[Project, IndicatorRow]
PAIR_MEMO = 100_000  # row keys looked up and remembered (a few MB)
VERSION = 3  # of the companion's tables; another version is written again


def companion_path(path: Path) -> Path:
    return path.with_suffix(".sqlite")


def write_companion(corpus: Corpus, path: Path) -> None:
    """Write the companion of `path` (the corpus.json `corpus` was read from or saved to, unchanged since)."""
    stamp = store.file_stamp(path)
    if {k: corpus.origin.get(k) for k in stamp} != stamp:
        return  # the file is no longer what this corpus was read from
    target = companion_path(path)
    tmp = target.with_name(target.name + ".tmp")
    tmp.unlink(missing_ok=True)
    con = sqlite3.connect(tmp)
    try:
        con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value)")
        # name and goals apart: precedents read a candidate's project type from them, for many candidates
        # unit, year, goal_number: the reviewer's list of projects; owner (unit, else file): a unit's projects
        con.execute("CREATE TABLE projects (id INTEGER PRIMARY KEY, data TEXT NOT NULL, name TEXT, goals TEXT, "
                    "unit TEXT, year INTEGER, goal_number INTEGER, owner TEXT)")
        con.execute("CREATE INDEX projects_owner ON projects (owner)")
        # (source, place, 三级) → project and row: the key index.records gives every row record;
        # a later row with the same key wins, as in a dict built over corpus.rows()
        con.execute("CREATE TABLE rowkeys (source TEXT, place TEXT, name TEXT, project INTEGER, pos INTEGER, "
                    "PRIMARY KEY (source, place, name)) WITHOUT ROWID")
        n_projects = n_rows = 0
        for p in corpus.projects():
            con.execute("INSERT INTO projects VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (n_projects, p.model_dump_json(), p.name, " ".join(p.goals), p.unit, p.year, p.goal_number,
                         p.owner))
            con.executemany("INSERT OR REPLACE INTO rowkeys VALUES (?, ?, ?, ?, ?)",
                            ((p.source, r.provenance.where(), r.name, n_projects, i) for i, r in enumerate(p.rows)))
            n_projects += 1
            n_rows += len(p.rows)
        con.executemany("INSERT INTO meta VALUES (?, ?)", [
            ("size", stamp["size"]), ("mtime_ns", stamp["mtime_ns"]), ("documents", len(corpus.documents)),
            ("projects", n_projects), ("rows", n_rows), ("version", VERSION)])
        con.commit()
    finally:
        con.close()
    os.replace(tmp, target)


class LazyCorpus:
    """Reads like corpus.models.Corpus; only what is asked for is parsed. `documents` (and so
    `projects()`, `rows()`) parse corpus.json whole, once, for the tools that need all of it."""

    def __init__(self, path: Path, meta: dict):
        self.path = path
        self._meta = meta
        self._stamp = {"path": str(path.resolve()), "size": meta["size"], "mtime_ns": meta["mtime_ns"]}
        self._db = sqlite3.connect(f"file:{companion_path(path)}?mode=ro", uri=True, check_same_thread=False)
        self._lock = threading.Lock()  # the UI's threads share the connection
        self._projects: dict[int, Project] = {}  # read so far (a draft's precedents: a few hundred)
        self._pairs: dict[tuple[str, str, str], tuple[int, int] | None] = {}  # key → (project, row), as found

    @cached_property
    def _full(self) -> Corpus:
        corpus = store.load(self.path)
        if corpus is None:
            raise ValueError(f"语料文件不见了：{self.path}")
        return corpus

    @property
    def documents(self) -> list[DocumentResult]:
        return self._full.documents

    def projects(self) -> list[Project]:
        return self._full.projects()

    def rows(self) -> list[Pair]:
        return self._full.rows()

    def __getattr__(self, name: str):  # anything else a Corpus offers (model_dump_json …): the whole corpus
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._full, name)

    @property
    def origin(self) -> dict:
        """As Corpus.origin: the file read and how many documents the corpus holds."""
        n = len(self._full.documents) if "_full" in self.__dict__ else self._meta["documents"]
        return {**self._stamp, "documents": n}

    def counts(self) -> tuple[int, int]:
        """(projects, indicator rows), without parsing."""
        return self._meta["projects"], self._meta["rows"]

    @cached_property
    def _headings(self) -> list[ProjectHeading]:
        with self._lock:
            got = self._db.execute("SELECT id, name, unit, year, goal_number FROM projects ORDER BY id").fetchall()
        return [ProjectHeading(id=i, name=n or "", unit=u or "", year=y, goal_number=g) for i, n, u, y, g in got]

    def headings(self) -> list[ProjectHeading]:
        """Every project's name, unit, year and 目标N in corpus order (a list to pick from), unparsed; read
        once (≈ 100 bytes a project): the 审核 page asks on every rerun."""
        return self._headings

    def projects_of(self, owner: str) -> list[Project]:
        """The projects of one unit (or, for projects without one, one file): a table's siblings."""
        with self._lock:
            ids = [i for (i,) in self._db.execute("SELECT id FROM projects WHERE owner = ? ORDER BY id", (owner,))]
        return [self.project(i) for i in ids]

    def project(self, pid: int) -> Project:
        if pid not in self._projects:
            if len(self._projects) >= PAIR_MEMO // 10:
                self._projects.clear()
            with self._lock:
                (data,) = self._db.execute("SELECT data FROM projects WHERE id = ?", (pid,)).fetchone()
            self._projects[pid] = Project.model_validate_json(data)
        return self._projects[pid]

    def heading(self, key: tuple[str, str, str]) -> tuple[str, str] | None:
        """(name, goals joined by spaces) of the project holding this row, without reading the project whole."""
        found = self._find(key)
        if found is None:
            return None
        if found[0] in self._projects:
            p = self._projects[found[0]]
            return p.name, " ".join(p.goals)
        heads = self.__dict__.setdefault("_heads", {})
        if found[0] not in heads:
            with self._lock:
                heads[found[0]] = tuple(self._db.execute("SELECT name, goals FROM projects WHERE id = ?",
                                                         (found[0],)).fetchone())
            if len(heads) >= PAIR_MEMO:
                heads.clear()
        return heads[found[0]]

    def pair(self, key: tuple[str, str, str]) -> Pair | None:
        """The (Project, IndicatorRow) of an index row record's (source, place, 三级), or None."""
        found = self._find(key)
        if found is None:
            return None
        p = self.project(found[0])
        return p, p.rows[found[1]]

    def _find(self, key: tuple[str, str, str]) -> tuple[int, int] | None:
        if key in self._pairs:
            found = self._pairs[key]
        else:
            with self._lock:
                found = self._db.execute("SELECT project, pos FROM rowkeys WHERE source = ? AND place = ? AND name = ?",
                                         key).fetchone()
            if len(self._pairs) >= PAIR_MEMO:
                self._pairs.clear()
            self._pairs[key] = found
        return found


class PairLookup:
    """What precedents read of a corpus: `.get(key)` → (Project, IndicatorRow), like the dict it
    builds over a parsed corpus."""

    def __init__(self, corpus: LazyCorpus):
        self.corpus = corpus

    def get(self, key: tuple[str, str, str]) -> Pair | None:
        return self.corpus.pair(key)

    def heading(self, key: tuple[str, str, str]) -> tuple[str, str] | None:
        return self.corpus.heading(key)


def open_lazy(path: Path | None = None) -> LazyCorpus | None:
    """The stored corpus read lazily when its companion is current; None when there is none or it is
    out of date (the caller loads the corpus whole, which also checks it, then `refresh`es)."""
    path = path or store.corpus_path()
    companion = companion_path(path)
    try:
        if not path.exists() or not companion.exists():
            return None
        st = path.stat()
        con = sqlite3.connect(f"file:{companion}?mode=ro", uri=True)
        try:
            meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
        finally:
            con.close()
    except (OSError, sqlite3.DatabaseError):
        return None
    if meta.get("size") != st.st_size or meta.get("mtime_ns") != st.st_mtime_ns or meta.get("version") != VERSION:
        return None
    return LazyCorpus(path, meta)


def refresh(corpus: Corpus, path: Path | None = None) -> None:
    """Write the companion for a corpus just read whole from (or saved to) `path`; a read-only
    folder keeps none and the next command parses corpus.json again."""
    path = path or store.corpus_path()
    if not getattr(corpus, "origin", None) or isinstance(corpus, LazyCorpus):
        return  # built in memory, or already read through its companion
    try:
        write_companion(corpus, path)
    except (OSError, sqlite3.Error):
        pass


def find_headings(headings: list[ProjectHeading], words: str) -> list[ProjectHeading]:
    """The projects whose name or unit contains these words (nothing for no words)."""
    words = words.strip()
    return [h for h in headings if words and (words in h.name or words in h.unit)]
