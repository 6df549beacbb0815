"""One searchable collection (indicator rows or projects): vectors in a FAISS backend plus
lexical matching, fused. Identical texts share one vector, so a corpus that repeats the same
phrases embeds and indexes each phrase once and keeps a list of the rows that carry it."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from . import fusion as fuse
from .cache import EmbeddingCache
from .embedders import Embedder
from .lexical import LexicalIndex, fuzzy_ratio
from .record_table import RecordTable
from .records import Filters, Granularity, Hit, ProjectRecord, Record, RowRecord
from .vectors import VectorBackend, choose_backend, new_backend

DESCRIPTION_WEIGHT = 0.5  # a row's vector: name + half its description (the name is what is compared)
BLEND_ALPHA = 0.9  # weight of the embedding in the blend: cross-validated in index/evaluation/data/results.md
EXACT_SUBSET_MAX = 20_000  # filtered searches over fewer distinct texts than this go exact
FILTER_MEMO = 32  # filter results (record mask, distinct-text ids) kept until records are added


def combine(field_vectors: list[np.ndarray]) -> np.ndarray:
    """A record's vector from its embedded fields (name first), normalised."""
    v = field_vectors[0].copy()
    for extra in field_vectors[1:]:
        v += DESCRIPTION_WEIGHT * extra
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    return np.divide(v, norm, out=np.zeros_like(v), where=norm > 0)


def share_texts(records: Sequence[Record], key_of: dict[str, int], names: list[str]) -> tuple[list[int], list[Record]]:
    """Each record's distinct-text id, a new id (and its name in `names`) for a text not seen yet;
    returns the ids, record by record, and the records whose text is new (those to embed)."""
    keys: list[int] = []
    new: list[Record] = []
    for rec in records:
        text = rec.lexical_text()
        key = key_of.get(text)
        if key is None:
            key = key_of[text] = len(key_of)
            names.append(rec.name)
            new.append(rec)
        keys.append(key)
    return keys, new


def embed_records(records: Sequence[Record], cache: EmbeddingCache,
                  progress: Callable[[int], None] | None = None) -> np.ndarray:
    """The vectors of these records' texts (their embedded fields combined), through the cache."""
    fields = list(zip(*(r.embed_fields() for r in records)))
    return combine([cache.encode(list(f), progress=progress) for f in fields])


class HybridIndex:
    def __init__(self, granularity: Granularity, dim: int, backend: VectorBackend | None = None,
                 fusion: str = "blend", alpha: float = BLEND_ALPHA):
        self.granularity = granularity
        self.dim = dim
        # records as columns (+ SQLite once saved); record → distinct text id is records.key
        self.records = RecordTable(RowRecord if granularity == "rows" else ProjectRecord)
        self.key_of: dict[str, int] = {}  # distinct lexical text → id
        self.names: list[str] = []  # distinct text id → the name it starts with (for fuzzy matching)
        self.backend = backend  # holds the vectors: one per distinct text, in id order
        self.lexical = LexicalIndex()
        self.fusion, self.alpha = fusion, alpha

    # -- building --------------------------------------------------------------
    def register(self, records: Sequence[Record]) -> list[Record]:
        """Take records in, sharing one distinct-text id per text; return those whose text is new."""
        keys, new_texts = share_texts(records, self.key_of, self.names)
        self.records.extend(records, keys)
        return new_texts

    def restore(self, texts: list[str], names: list[str], records: RecordTable) -> None:
        """Take back a saved collection's distinct texts and records (nothing embedded, nothing parsed)."""
        self.key_of = {t: i for i, t in enumerate(texts)}
        self.names, self.records = list(names), records
        if len(self.key_of) != len(texts) or len(names) != len(texts) or (len(records.key) and
                                                                         int(records.key.max()) >= len(texts)):
            raise ValueError(f"索引文件不一致（{self.granularity}：文本与记录不符）")

    def add(self, records: Sequence[Record], cache: EmbeddingCache, backend: str = "auto",
            progress: Callable[[int], None] | None = None) -> None:
        new_texts = self.register(records)
        if new_texts:
            vectors = embed_records(new_texts, cache, progress)
            if self.backend is None:
                self.backend = new_backend(choose_backend(len(self.key_of), backend), self.dim)
            self.backend.add(vectors)
        self.lexical.fit(list(self.key_of))

    # -- searching -------------------------------------------------------------
    def _columns(self) -> dict:
        """The filterable fields as arrays (the record table's columns; the members rebuilt after
        additions): a filter over a million rows is then a few vector operations, not a Python loop."""
        cols = self.__dict__.get("_cols")
        t = self.records
        if cols is None or cols["n"] != len(t):
            cols = {"n": len(t), "key": t.key, "budget": t.budget, "year": t.year}
            for field in ("level1", "level2", "kind", "region", "unit"):
                cols[field] = (t.values[field], t.codes[field])
            # distinct text → its records (ascending), as arrays: a filter over a text's many rows is one operation
            order = np.argsort(t.key, kind="stable")
            counts = np.bincount(t.key, minlength=len(self.key_of))
            cols["members"] = np.split(order.astype(np.int64), np.cumsum(counts)[:-1]) if len(self.key_of) else []
            self._cols = cols
        return cols

    @property
    def members(self) -> list[np.ndarray]:
        """Distinct text id → the ids of the records carrying it."""
        return self._columns()["members"]

    def _allowed(self, filters: Filters | None) -> tuple[np.ndarray, np.ndarray] | tuple[None, None]:
        """The records passing the filters (a mask) and the distinct-text ids that carry at least one
        of them; (None, None) when nothing is filtered."""
        if filters is None or not filters.active():
            return None, None
        cols = self._columns()
        key = tuple(filters.model_dump().values())
        memo = cols.setdefault("allowed", {})  # a draft or a check repeats the same few filters
        if key not in memo:
            if len(memo) >= FILTER_MEMO:
                memo.pop(next(iter(memo)))
            memo[key] = self._filter(cols, filters)
        return memo[key]

    def _filter(self, cols: dict, filters: Filters) -> tuple[np.ndarray, np.ndarray]:
        mask = np.ones(cols["n"], dtype=bool)
        for field, wanted, exact in (("level1", filters.level1, True), ("level2", filters.level2, True),
                                     ("kind", filters.kind, True), ("region", filters.region, False),
                                     ("unit", filters.unit, False)):
            if wanted and not (self.granularity == "projects" and field.startswith("level")):
                uniques, codes = cols[field]  # (projects have no 一级/二级: those filters are for rows)
                ok = np.array([(u == wanted) if exact else (wanted in u) for u in uniques], dtype=bool)
                mask &= ok[codes] if len(ok) else False
        with np.errstate(invalid="ignore"):  # unknown budgets (nan) fail any budget bound
            if filters.budget_min is not None:
                mask &= cols["budget"] >= filters.budget_min
            if filters.budget_max is not None:
                mask &= cols["budget"] <= filters.budget_max
        if filters.year is not None:
            mask &= cols["year"] == filters.year
        return mask, np.unique(cols["key"][mask]).astype(np.int64)

    def search(self, query: str, k: int = 10, filters: Filters | None = None, embedder: Embedder | None = None,
               query_vector: np.ndarray | None = None, distinct: bool = False) -> list[Hit]:
        if not self.records or not query.strip():
            return []
        qv = query_vector if query_vector is not None else embedder.encode_query([query])[0]
        passing, allowed = self._allowed(filters)
        if allowed is not None and not len(allowed):
            return []
        depth = max(k * 5, 50)

        # vector side: ANN over everything, or exact over a small filtered subset
        if allowed is not None and len(allowed) <= EXACT_SUBSET_MAX:
            vec_ids = allowed[np.argsort(-self.backend.exact_scores(qv, allowed))[:depth]]
        else:
            fetch = depth if allowed is None else min(self.backend.ntotal, depth * 10)
            _, ids = self.backend.search(qv[None, :], fetch)
            vec_ids = ids[0][ids[0] >= 0]
            if allowed is not None:
                vec_ids = vec_ids[np.isin(vec_ids, allowed)]

        # lexical side over the same distinct texts
        lex_all = self.lexical.scores(query)
        if allowed is not None:
            cand = allowed[np.argsort(-lex_all[allowed])[:depth]]
        else:
            cand = np.argsort(-lex_all)[:depth]
        lex_ids = cand[lex_all[cand] > 0]

        if self.fusion == "rrf":
            fused = fuse.rrf_merge(vec_ids, lex_ids)
            ratio = None  # the lexical side of rrf is the TF-IDF ranking
        else:
            # convex blend after per-query min-max scaling: e5 cosines are squeezed into a few
            # hundredths, so raw scores would let the lexical side decide alone
            cand = np.array(sorted(set(map(int, vec_ids)) | set(map(int, lex_ids))), dtype=np.int64)
            vec = self.backend.exact_scores(qv, cand)
            ratios = [fuzzy_ratio(query, self.names[t], scorer="ratio") for t in cand]
            lex = np.array(ratios, dtype=np.float32)
            fused = dict(zip(cand.tolist(), fuse.blend(vec, lex, self.alpha).tolist()))
            ratio = {t: r / 100 for t, r in zip(cand.tolist(), ratios)}

        member_arrays = self._columns()["members"]
        found: list[tuple[int, dict]] = []  # record id, the hit's scores
        seen_names: set[str] = set()
        for t, score in sorted(fused.items(), key=lambda kv: -kv[1]):
            members = member_arrays[t]
            if passing is not None:
                members = members[passing[members]]
            if not len(members):
                continue
            cosine = round(float(self.backend.reconstruct(np.array([t]))[0] @ qv), 4)
            for m in members.tolist():
                name = self.records.value("name", m)  # the record itself is read only when it is a hit
                if distinct:  # one hit per name: the best-scoring text that carries it
                    if name in seen_names:
                        break
                    seen_names.add(name)
                found.append((m, dict(rank=len(found) + 1, score=round(score, 6), vector_score=cosine,
                                      lexical_score=round(float(lex_all[t]) if ratio is None else ratio[t], 4),
                                      tfidf_score=round(float(lex_all[t]), 4),
                                      fuzzy=round(fuzzy_ratio(query, name), 1), same_text=len(members))))
                if len(found) == k:
                    return self._hits(found)
        return self._hits(found)

    def _hits(self, found: list[tuple[int, dict]]) -> list[Hit]:
        """The hits with their records, read in one go."""
        records = self.records.many(m for m, _ in found)
        return [Hit(record=r, **parts) for r, (_, parts) in zip(records, found)]

