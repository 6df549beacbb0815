"""assistant.precedents: the one precedent source (the index), on the bundled corpus."""

from corpus import categories as cat

from assistant.drafting.convert import check_draft
from assistant.precedents import precedent_pairs, precedents_for, row_precedents, stored_index
from assistant.review import check_project, comparable_precedents
from assistant.rules.matching import NAME_THRESHOLD, is_comparable, name_similarity
from assistant.validator import precedents_from_corpus, validate

from conftest import findings_of, project_named


def _row(project, name):
    return next(r for r in project.rows if r.name == name)


def _corpus_project(corpus, doc, name):
    return next(p for p in corpus.projects() if p.source.startswith(doc) and p.name == name)


def test_precedents_of_a_satisfaction_row_are_comparable_rows_of_other_units(corpus, indexes):
    p = _corpus_project(corpus, "001", "安全生产（基层消防）业务经费")
    row = _row(p, "群众满意度")
    found = row_precedents(p, row, indexes, corpus)
    assert len(found) >= 3 and len({x.unit for x in found}) >= 2
    for x in found:
        assert x.unit and x.unit != p.unit  # other units only
        assert x.record.level2 == row.level2.name == cat.SERVED_SATISFACTION
        assert x.similarity == name_similarity(row.name, x.record.name) >= NAME_THRESHOLD
        assert x.project and x.year and x.source.endswith(".txt") and x.where
    assert [x.score for x in found] == sorted((x.score for x in found), reverse=True)


def test_a_row_without_a_comparable_precedent_gets_none(corpus, indexes):
    p = _corpus_project(corpus, "001", "居委会租房费")
    row = _row(p, "宁和社区老饭桌与祥和社区老饭桌租房费")
    assert row_precedents(p, row, indexes, corpus) == []
    assert not [r for q, r in precedents_from_corpus(p, corpus) if is_comparable(row, r)]


def test_pairs_are_the_corpus_objects_and_match_the_scan(corpus, indexes):
    # on the bundled corpus the index finds every comparable row the full scan finds, and no other
    for p in corpus.documents[1].projects:  # 001: 21 projects
        pairs = precedents_for(p, indexes, corpus)
        assert all(any(q is x and r in x.rows for x in corpus.projects()) for q, r in pairs[:3])
        assert all((q.unit or q.source) != (p.unit or p.source) for q, _ in pairs)
        assert {id(r) for _, r in pairs} == {id(r) for _, r in precedents_from_corpus(p, corpus)}, p.name


def test_precedent_pairs_fall_back_to_the_scan_without_an_index(corpus, indexes, seed_results):
    p = project_named(seed_results, "001", "安全生产（基层消防）业务经费")
    assert precedent_pairs(p, None, indexes) == []
    assert precedent_pairs(p, corpus) == precedents_from_corpus(p, corpus)
    assert {id(r) for _, r in precedent_pairs(p, corpus, indexes)} == {id(r) for _, r in precedents_from_corpus(p, corpus)}


def test_precedent_rules_fire_with_precedents_from_the_index(corpus, indexes, seed_results):
    below = project_named(seed_results, "001", "安全生产（基层消防）业务经费")
    [f] = findings_of(validate(below, precedent_pairs(below, corpus, indexes)), "consistency.below_precedents")
    assert f.row_name == "群众满意度" and "80%" in f.message and all(e.unit != below.unit for e in f.evidence)
    above = project_named(seed_results, "001", "为民服务和发展专项资金")
    [f] = findings_of(validate(above, precedent_pairs(above, corpus, indexes)), "precedent.out_of_range")
    assert f.row_name == "群众满意度" and "高于" in f.message and "90%至95%" in f.message
    vague = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    [f] = findings_of(check_project(vague, corpus, corpus.projects(), indexes), "quality.vague_with_precedent")
    assert f.row_name == "有效改善老旧小区卫生环境情况" and "≥90%" in f.message


def test_review_precedents_carry_project_unit_and_year(corpus, indexes):
    p = _corpus_project(corpus, "001", "安全生产（基层消防）业务经费")
    row = _row(p, "群众满意度")
    shown = comparable_precedents(indexes, p, row, corpus)
    assert 1 <= len(shown) <= 8
    assert all(x.unit != p.unit and x.project and x.year and x.level2 == row.level2.name for x in shown)
    assert all(name_similarity(row.name, x.name) >= NAME_THRESHOLD for x in shown)
    assert comparable_precedents(indexes, p, _row(_corpus_project(corpus, "001", "居委会租房费"),
                                                  "宁和社区老饭桌与祥和社区老饭桌租房费"), corpus) == []


def test_stored_index_only_when_current(corpus, prebuilt_home):
    idx = stored_index(corpus)
    assert idx is not None and idx.manifest.counts["rows"] == sum(len(p.rows) for p in corpus.projects())
    changed = corpus.model_copy(update={"documents": corpus.documents[:-1]})
    assert stored_index(changed) is None  # out of date: the caller scans the corpus instead


def test_no_stored_index_means_none(corpus):
    assert stored_index(corpus) is None  # the test's own empty data folder: nothing is built


def test_draft_page_validates_each_draft_version_once(monkeypatch, corpus, indexes):
    from assistant.chat import Services
    from assistant.drafting.engine import draft
    from assistant.drafting.profile import make_profile
    from ui import draft_page

    services = Services(indexes=indexes, corpus=corpus)
    d = draft(make_profile("社区居家养老服务站运营", "服务13个社区的350名老人", 40), indexes)
    calls = []

    def counting(d, c=None, i=None):
        calls.append(d.model_dump_json())
        return check_draft(d, c, i)

    monkeypatch.setattr(draft_page, "check_draft", counting)
    draft_page._findings.clear()
    first = draft_page.findings_of(services, d)
    again = draft_page.findings_of(services, d.model_copy(deep=True))  # a rerun, nothing changed
    assert len(calls) == 1 and first == again == check_draft(d, corpus, indexes)
    edited = d.model_copy(deep=True)
    edited.rows[0].value = "≥1个"
    draft_page.findings_of(services, edited)
    assert len(calls) == 2
