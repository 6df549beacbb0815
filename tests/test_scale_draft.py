"""A draft's work does not grow with the corpus: its candidates come from searches and from the
index's per-slot aggregate (never every row of a slot), and its queries are encoded in one batch."""

import numpy as np

from assistant.drafting.engine import draft, slot_clusters
from assistant.drafting.profile import make_profile
from index.cache import EmbeddingCache
from index.slot_prior import PRIOR_NAMES, PRIOR_ROWS_PER_NAME, _spread

EXAMPLES = [
    ("社区老年人助餐服务", "为12个社区600名老人提供助餐", "45万元"),
    ("辖区河道保洁及垃圾清运", "保洁河道长度12公里", "86.5万元"),
]


class Watched:
    """The index as the engine sees it, counting what it asks for."""

    def __init__(self, inner):
        self._inner = inner
        self.slot_calls = 0
        self.largest = 0

    def __getattr__(self, name):
        return getattr(self._inner, name)

    def rows_in_slot(self, level2):
        self.slot_calls += 1
        return self._inner.rows_in_slot(level2)

    def slot_prior(self, level2):
        rows = self._inner.slot_prior(level2)
        self.largest = max(self.largest, len(rows))
        return rows


def test_the_engine_never_asks_for_every_row_of_a_slot(indexes):
    watched = Watched(indexes)
    for name, goal, budget in EXAMPLES:
        d = draft(make_profile(name, goal, budget), watched)
        assert d.rows
        slot_clusters(d, "社会效益指标", watched)
    assert watched.slot_calls == 0
    assert 0 < watched.largest <= PRIOR_NAMES * PRIOR_ROWS_PER_NAME


def test_the_slot_aggregate_holds_every_named_row_of_the_bundled_corpus(indexes):
    # the bundled corpus is below the aggregate's bounds, so its drafts are those of the full scan
    for level2 in ("数量指标", "社会效益指标", "服务对象满意度指标"):
        every = [r for r in indexes.rows_in_slot(level2) if r.name]
        assert indexes.slot_prior(level2) == every


def test_a_names_sample_takes_one_unit_after_another():
    units = ["甲"] * 5 + ["乙"] * 2 + ["丙"]  # row i's unit (as codes in the record table)
    rows = list(range(len(units)))
    picked = _spread(rows, units, 4)
    assert [units[i] for i in picked] == ["甲", "乙", "丙", "甲"]
    assert _spread(rows, units, 20) == rows


class CountingEmbedder:
    def __init__(self, inner):
        self.inner = inner
        self.query_calls = 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def encode_query(self, texts, batch_size=64):
        self.query_calls += 1
        return self.inner.encode_query(texts, batch_size)


def _empty_query_cache(indexes, monkeypatch, folder, embedder=None):
    """Nothing remembered yet: a query cache of its own in `folder`, nothing shipped."""
    cache = EmbeddingCache(folder, embedder or indexes.embedder, bundled=False, query=True)
    monkeypatch.setattr(indexes, "query_cache", cache)
    return cache


def test_a_drafts_queries_are_encoded_in_one_batch(indexes, monkeypatch, tmp_path):
    counting = CountingEmbedder(indexes.embedder)
    monkeypatch.setattr(indexes, "embedder", counting)
    _empty_query_cache(indexes, monkeypatch, tmp_path, counting)
    d = draft(make_profile("街道综合执法队执法车辆租赁", "租赁3辆车", "18万元"), indexes)
    assert d.rows and any(r.evidence for r in d.rows)
    assert counting.query_calls == 1
    draft(make_profile("街道综合执法队执法车辆租赁", "租赁3辆车", "18万元"), indexes)
    assert counting.query_calls == 1  # the same draft again: every query vector remembered


def test_primed_vectors_equal_one_by_one_vectors(indexes, monkeypatch, tmp_path):
    cache = _empty_query_cache(indexes, monkeypatch, tmp_path)
    texts = ["老年人满意度", "社区老年人助餐服务 数量", "河道保洁覆盖率"]
    indexes.prime_queries(texts)
    assert cache.misses == len(texts)
    for t in texts:
        alone = indexes.embedder.encode_query([t])[0]
        assert np.allclose(indexes._query_vector(t), alone, atol=1e-5)
    assert cache.misses == len(texts)  # read back, not encoded again


def test_query_vectors_are_kept_for_the_next_process(indexes, monkeypatch, tmp_path):
    """A second process (a new cache over the same folder) searches without a model call."""
    _empty_query_cache(indexes, monkeypatch, tmp_path)
    indexes.prime_queries(["社区数量", "居民满意度"])
    counting = CountingEmbedder(indexes.embedder)
    later = EmbeddingCache(tmp_path, counting, bundled=False, query=True)
    monkeypatch.setattr(indexes, "query_cache", later)
    assert indexes.search_rows("居民满意度", k=3) and indexes.search_rows("社区数量", k=3)
    assert counting.query_calls == 0 and later.hits == 2
    # passages and queries differ for e5 and are kept apart
    passage = EmbeddingCache(tmp_path, counting, bundled=False)
    assert not passage.memory
