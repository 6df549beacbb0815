"""One granularity (indicator rows or projects) in Milvus: the hybrid search of index/hybrid.py
with the records, their filter fields and their vectors in the served store.

Two collections per granularity:
  * `<name>`: one entity per record — the filter fields as scalars, the record as JSON, and its
    text's vector, so Milvus does the filtered vector search (grouped by distinct text);
  * `<name>_texts`: one entity per distinct text (key, name, text, vector) — the unfiltered vector
    search, exact scores of fused candidates, and what each process fits its lexical index on.
The process holds only the distinct texts (≈ 17k at 1M rows) for TF-IDF and rapidfuzz; the
records stay in Milvus and are fetched for the hits."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence

import numpy as np

from . import fusion as fuse
from .cache import EmbeddingCache
from .hybrid import BLEND_ALPHA, embed_records, share_texts
from .lexical import LexicalIndex, fuzzy_ratio
from .milvus_filters import filter_expression
from .records import Filters, Granularity, Hit, ProjectRecord, Record, RowRecord

INSERT_BATCH = 2_000  # entities per insert call (a 384-d vector is 1.5 KB; keeps a call well under gRPC's limit)
QUERY_LIMIT = 16_384  # Milvus's largest query/search window
FILTER_MEMO = 32  # filters whose passing distinct texts are remembered (a draft repeats a few 二级 filters)
TEXT_FIELDS = {"source": 1024, "unit": 512, "region": 256, "kind": 128, "level1": 256, "level2": 256, "name": 4096}


def _clip(text: str, max_bytes: int) -> str:
    """A filter field within its VARCHAR length (only absurd values are cut; the payload keeps the whole)."""
    data = (text or "").encode("utf-8")
    return text if len(data) <= max_bytes else data[:max_bytes].decode("utf-8", "ignore")


class MilvusCollection:
    def __init__(self, milvus, name: str, granularity: Granularity, dim: int, local: bool,
                 fusion: str = "blend", alpha: float = BLEND_ALPHA):
        self.milvus, self.name, self.texts_name = milvus, name, f"{name}_texts"
        self.granularity, self.dim, self.local = granularity, dim, local
        self.record_type = RowRecord if granularity == "rows" else ProjectRecord
        self.key_of: dict[str, int] = {}  # distinct lexical text → key
        self.names: list[str] = []  # key → the name it starts with (rapidfuzz)
        self.lexical = LexicalIndex()
        self.n_records = 0
        self.fusion, self.alpha = fusion, alpha
        self._allowed: dict[str, tuple[np.ndarray, dict[int, list[int]]]] = {}  # filter → passing texts, records

    # -- schema ----------------------------------------------------------------
    def _index_params(self, field: str):
        params = self.milvus.prepare_index_params()
        # exact search in milvus-lite (results as the local flat index); the server picks its own ANN index
        params.add_index(field, index_type="FLAT" if self.local else "AUTOINDEX", metric_type="IP")
        return params

    def create(self) -> None:
        from pymilvus import DataType, MilvusClient

        self.drop()
        schema = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        schema.add_field("id", DataType.INT64, is_primary=True)
        schema.add_field("key", DataType.INT64)
        schema.add_field("project_id", DataType.INT64)
        schema.add_field("year", DataType.INT64, nullable=True)
        schema.add_field("budget_wan", DataType.DOUBLE, nullable=True)
        for field, size in TEXT_FIELDS.items():
            schema.add_field(field, DataType.VARCHAR, max_length=size)
        schema.add_field("payload", DataType.VARCHAR, max_length=65_535)
        schema.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
        self.milvus.create_collection(self.name, schema=schema, index_params=self._index_params("vector"))

        texts = MilvusClient.create_schema(auto_id=False, enable_dynamic_field=False)
        texts.add_field("key", DataType.INT64, is_primary=True)
        texts.add_field("name", DataType.VARCHAR, max_length=65_535)
        texts.add_field("text", DataType.VARCHAR, max_length=65_535)
        texts.add_field("vector", DataType.FLOAT_VECTOR, dim=self.dim)
        self.milvus.create_collection(self.texts_name, schema=texts, index_params=self._index_params("vector"))
        self.load()

    def drop(self) -> None:
        for name in (self.name, self.texts_name):
            if self.milvus.has_collection(name):
                self.milvus.drop_collection(name)

    def exists(self) -> bool:
        return self.milvus.has_collection(self.name) and self.milvus.has_collection(self.texts_name)

    def load(self) -> None:
        """Collections are released when a database is reopened: load them for search and query."""
        for name in (self.name, self.texts_name):
            self.milvus.load_collection(name)

    def open(self) -> None:
        """Read the distinct texts back (key order) and fit the lexical index on them."""
        self.load()
        got = sorted(self._iterate(self.texts_name, "", ["key", "name", "text"]), key=lambda r: r["key"])
        if [r["key"] for r in got] != list(range(len(got))):
            raise ValueError(f"{self.texts_name}：文本编号不连续，集合可能已损坏")
        self.key_of = {r["text"]: r["key"] for r in got}
        self.names = [r["name"] for r in got]
        self.lexical.fit(list(self.key_of))
        self.n_records = self.count()

    def count(self) -> int:
        got = self.milvus.query(self.name, filter="", output_fields=["count(*)"])
        return int(got[0]["count(*)"])

    # -- building --------------------------------------------------------------
    def add(self, records: Sequence[Record], cache: EmbeddingCache,
            progress: Callable[[int], None] | None = None) -> None:
        """Insert records (ids continue the collection's); new distinct texts are embedded (cached)."""
        keys, new = share_texts(records, self.key_of, self.names)
        if new:
            vectors = embed_records(new, cache, progress)
            self._insert(self.texts_name, [{"key": self.key_of[r.lexical_text()], "name": r.name,
                                            "text": r.lexical_text(), "vector": v.tolist()}
                                           for r, v in zip(new, vectors)])
        vector_of = self._vectors_of(sorted(set(keys)))
        self._insert(self.name, [self._entity(rec, key, vector_of[key]) for rec, key in zip(records, keys)])
        # seal what was inserted: queries on unsealed (growing) data took 0.5 s each at 10k rows, 18 ms sealed
        self.milvus.flush(self.texts_name)
        self.milvus.flush(self.name)
        self.lexical.fit(list(self.key_of))
        self.n_records += len(records)
        self._allowed.clear()

    def _entity(self, rec: Record, key: int, vector: list[float]) -> dict:
        out = {"id": rec.id, "key": key, "project_id": getattr(rec, "project_id", rec.id), "year": rec.year,
               "budget_wan": rec.budget_wan, "payload": rec.model_dump_json(), "vector": vector}
        for field, size in TEXT_FIELDS.items():
            out[field] = _clip(getattr(rec, field, "") or "", size)
        return out

    def _insert(self, collection: str, entities: list[dict]) -> None:
        for start in range(0, len(entities), INSERT_BATCH):
            self.milvus.insert(collection, entities[start:start + INSERT_BATCH])

    def _vectors_of(self, keys: Sequence[int]) -> dict[int, list[float]]:
        """Stored vectors of distinct texts (as inserted: float32, exactly)."""
        out: dict[int, list[float]] = {}
        for start in range(0, len(keys), QUERY_LIMIT):
            batch = list(keys[start:start + QUERY_LIMIT])
            for r in self.milvus.get(self.texts_name, ids=batch, output_fields=["vector"]):
                out[int(r["key"])] = r["vector"]
        return out

    # -- reading ---------------------------------------------------------------
    def _iterate(self, collection: str, expr: str, fields: list[str], batch: int = 4_096) -> Iterator[dict]:
        it = self.milvus.query_iterator(collection, batch_size=batch, filter=expr, output_fields=fields)
        try:
            while page := it.next():
                yield from page
        finally:
            it.close()

    def records_where(self, expr: str) -> list[Record]:
        """Every record matching the expression, in corpus (id) order."""
        got = self.milvus.query(self.name, filter=expr, output_fields=["payload"], limit=QUERY_LIMIT)
        if len(got) >= QUERY_LIMIT:  # more than one window: page through all of them
            got = list(self._iterate(self.name, expr, ["payload"]))
        return sorted((self.record_type.model_validate_json(r["payload"]) for r in got), key=lambda r: r.id)

    def records_by_id(self, ids: Sequence[int]) -> list[Record]:
        out: list[Record] = []
        for start in range(0, len(ids), QUERY_LIMIT):
            got = self.milvus.get(self.name, ids=list(ids[start:start + QUERY_LIMIT]), output_fields=["payload"])
            out += [self.record_type.model_validate_json(r["payload"]) for r in got]
        return sorted(out, key=lambda r: r.id)

    def light_rows(self, fields: list[str]) -> Iterator[dict]:
        """Chosen scalar fields of every record (the slot prior is computed from these)."""
        return self._iterate(self.name, "", fields)

    # -- searching -------------------------------------------------------------
    def search(self, query: str, qv: np.ndarray, k: int = 10, filters: Filters | None = None,
               distinct: bool = False) -> list[Hit]:
        """As `HybridIndex.search`: vector and lexical candidates over distinct texts, fused, then
        each text's records passing the filters in corpus order."""
        if not self.n_records or not query.strip():
            return []
        expr = filter_expression(filters, self.granularity)
        depth = max(k * 5, 50)
        found: dict[int, list[float]] = {}  # vectors the searches returned: fetched only for the rest
        vec_ids = self._vector_candidates(qv, expr, depth, found)
        lex_all = self.lexical.scores(query)
        lex_ids = self._lexical_candidates(lex_all, expr, depth)
        if expr is not None and not len(vec_ids) and not len(lex_ids):
            return []

        if self.fusion == "rrf":
            fused = fuse.rrf_merge(vec_ids, lex_ids)
            ratio = None
            cand = np.array(sorted(fused), dtype=np.int64)
        else:
            cand = np.array(sorted(set(map(int, vec_ids)) | set(map(int, lex_ids))), dtype=np.int64)
        vectors = found | self._vectors_of([int(t) for t in cand if int(t) not in found])
        matrix = np.array([vectors[int(t)] for t in cand], dtype=np.float32).reshape(len(cand), self.dim)
        vec = matrix @ qv  # the local store's arithmetic: float32 vectors, one product each
        cosine_of = {int(t): round(float(s), 4) for t, s in zip(cand, vec)}
        if self.fusion != "rrf":
            ratios = [fuzzy_ratio(query, self.names[t], scorer="ratio") for t in cand]
            fused = dict(zip(cand.tolist(), fuse.blend(vec, np.array(ratios, dtype=np.float32), self.alpha).tolist()))
            ratio = {t: r / 100 for t, r in zip(cand.tolist(), ratios)}

        ordered = [t for t, _ in sorted(fused.items(), key=lambda kv: -kv[1])]
        hits: list[Hit] = []
        seen_names: set[str] = set()
        for start in range(0, len(ordered), max(k, 8)):
            batch = ordered[start:start + max(k, 8)]
            if expr is None:
                members = self._members(batch, None)
            else:
                passing = self._passing(expr)[1]
                members = {t: (passing[t], len(passing[t])) for t in batch}
            records = {r.id: r for r in self.records_by_id([m for t in batch for m in members[t][0][:k]])}
            for t in batch:
                ids, same = members[t]
                for m in ids[:k]:
                    rec = records[m]
                    if distinct:
                        if rec.name in seen_names:
                            break
                        seen_names.add(rec.name)
                    hits.append(Hit(rank=len(hits) + 1, score=round(fused[t], 6), vector_score=cosine_of[t],
                                    lexical_score=round(float(lex_all[t]) if ratio is None else ratio[t], 4),
                                    tfidf_score=round(float(lex_all[t]), 4),
                                    fuzzy=round(fuzzy_ratio(query, rec.name), 1), record=rec, same_text=same))
                    if len(hits) == k:
                        return hits
        return hits

    def _vector_candidates(self, qv: np.ndarray, expr: str | None, depth: int, found: dict) -> np.ndarray:
        """The `depth` distinct texts nearest the query among those with a record passing the filter."""
        if expr is None:
            got = self.milvus.search(self.texts_name, [qv.tolist()], limit=min(depth, QUERY_LIMIT),
                                     output_fields=["key", "vector"])[0]
        else:  # Milvus filters the records and returns one (the best) per distinct text
            got = self.milvus.search(self.name, [qv.tolist()], limit=min(depth, QUERY_LIMIT), filter=expr,
                                     output_fields=["key", "vector"], group_by_field="key")[0]
        for h in got:
            found[int(h["entity"]["key"])] = h["entity"]["vector"]
        return np.array([int(h["entity"]["key"]) for h in got], dtype=np.int64)

    def _lexical_candidates(self, lex_all: np.ndarray, expr: str | None, depth: int) -> np.ndarray:
        """The `depth` distinct texts with the highest TF-IDF score (> 0) among those passing the filter
        (the local store's arithmetic over the same set)."""
        if expr is None:
            cand = np.argsort(-lex_all)[:depth]
        else:
            allowed = self._passing(expr)[0]
            cand = allowed[np.argsort(-lex_all[allowed])[:depth]]
        return cand[lex_all[cand] > 0]

    def _passing(self, expr: str) -> tuple[np.ndarray, dict[int, list[int]]]:
        """The records passing a filter, as (distinct texts carrying one, text → their ids in corpus
        order): one query per filter, remembered, as the local store remembers its filter masks —
        a draft repeats the same few 二级 filters, and each search then needs no further query for them."""
        if expr not in self._allowed:
            if len(self._allowed) >= FILTER_MEMO:
                self._allowed.pop(next(iter(self._allowed)))
            members: dict[int, list[int]] = {}
            for r in self._iterate(self.name, expr, ["id", "key"], batch=QUERY_LIMIT):
                members.setdefault(int(r["key"]), []).append(int(r["id"]))
            for ids in members.values():
                ids.sort()
            self._allowed[expr] = (np.array(sorted(members), dtype=np.int64), members)
        return self._allowed[expr]

    def _members(self, keys: list[int], expr: str | None) -> dict[int, tuple[list[int], int]]:
        """Per distinct text: its first records passing the filter (corpus order) and how many pass."""
        where = f"key in {keys}" + (f" and ({expr})" if expr else "")
        got = self.milvus.query(self.name, filter=where, output_fields=["id", "key"], limit=QUERY_LIMIT)
        ids: dict[int, list[int]] = {t: [] for t in keys}
        for r in got:
            ids[int(r["key"])].append(int(r["id"]))
        out = {t: (sorted(v), len(v)) for t, v in ids.items()}
        if len(got) >= QUERY_LIMIT:  # a very common text: count exactly, list what came back
            for t in keys:
                n = self.milvus.query(self.name, filter=f"key == {t}" + (f" and ({expr})" if expr else ""),
                                      output_fields=["count(*)"])[0]["count(*)"]
                out[t] = (out[t][0], int(n))
        return out
