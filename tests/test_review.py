"""assistant.review on the bundled seed documents: findings, comparable precedents, uploads."""

from pathlib import Path

import pytest

from assistant.review import (Precedent, check_document, check_project, comparable_precedents, review_project,
                              review_upload, value_peers)
from corpus import categories as cat
from corpus.values import parse_target_value

from conftest import SEEDS, project_named

SEED_001 = next(SEEDS.glob("001_*.txt"))  # 永宁县团结西路街道办事处, 2024: one 项目名称 per table


def _row(project, name):
    return next(r for r in project.rows if r.name == name)


def test_a_rate_written_as_a_head_count_is_an_error_on_its_row(corpus, indexes, seed_results):
    # seed 000: 工资及保险发放准确率 = 17人, a rate whose value is not a percentage
    project = next(p for p in seed_results["000"].projects
                   if any(r.name == "工资及保险发放准确率" and r.value.raw.strip() == "17人" for r in p.rows))
    review = review_project(project, corpus, indexes)
    [row] = [r for r in review.rows if r.row.name == "工资及保险发放准确率"]
    assert row.has_error
    assert any(f.rule == "fit.rate_needs_percent" and "百分比" in f.fix for f in row.findings)


def test_findings_are_split_between_table_and_rows_without_loss(corpus, seed_results):
    for project in seed_results["003"].projects:
        review = review_project(project, corpus)
        assert [r.index for r in review.rows] == list(range(len(project.rows)))
        assert [r.row for r in review.rows] == project.rows
        per_row = [f for r in review.rows for f in r.findings]
        assert all(f.row_index == r.index for r in review.rows for f in r.findings)
        assert all(f.row_index is None for f in review.table_findings)
        assert len(per_row) + len(review.table_findings) == len(review.findings)
        assert list(review.counts) == ["error", "warning", "hint"]
        assert sum(review.counts.values()) == len(review.findings)
        assert all(r.precedents == [] for r in review.rows)  # no index given: no precedents looked up


def test_precedents_of_a_satisfaction_row_come_from_other_units(indexes, seed_results):
    # every other seed document publishes 满意度 rows, so a 满意度 row of 永宁县 has precedents elsewhere
    project = next(p for p in seed_results["001"].projects
                   if any(r.level2.name == cat.SERVED_SATISFACTION for r in p.rows))
    row = next(r for r in project.rows if r.level2.name == cat.SERVED_SATISFACTION)
    found = comparable_precedents(indexes, project, row)
    assert 1 <= len(found) <= 8
    assert all(p.unit != project.unit for p in found)
    assert all(p.level2 == cat.SERVED_SATISFACTION for p in found)
    assert any("满意" in p.name for p in found)
    assert all(0.0 <= p.similarity <= 1.0 + 1e-6 for p in found)
    # shown to a reviewer as unit · year · the document's own title · project · lines, not a file name
    for p in found:
        assert p.label.startswith(f"{p.unit} · {p.year}年 · 《") and f"「{p.project}」" in p.label
        assert p.source and p.source not in p.label


def test_value_peers_need_two_numbers_in_the_rows_unit():
    row = _with_value("≥95%")

    def peer(number, unit):
        return Precedent(unit="某单位", project="某项目", name="满意度", value=f"{number}{unit}", number=number,
                         value_unit=unit)

    assert value_peers(row, [peer(90, "%")]) == []  # one is not a distribution
    two = [peer(90, "%"), peer(98, "%")]
    assert value_peers(row, two) == two
    assert value_peers(row, [*two, peer(3, "个"), Precedent(unit="u", project="p", name="n", value="较好")]) == two
    assert value_peers(_with_value("较好"), two) == []  # the row itself has no number to place


def _with_value(raw):
    from corpus.models import Category, IndicatorRow, Provenance

    return IndicatorRow(level1=Category(name=cat.SATISFACTION),
                        level2=Category(name=cat.SERVED_SATISFACTION), name="服务对象满意度",
                        value=parse_target_value(raw), provenance=Provenance(source="t.txt"))


def test_uploaded_seed_file_is_reviewed_project_by_project(corpus, tmp_path):
    data = SEED_001.read_bytes()
    tables = sum(1 for line in SEED_001.read_text(encoding="utf-8").splitlines() if line.startswith("项目名称"))
    result = review_upload("永宁.txt", data, corpus)
    assert result.source == "永宁.txt"
    assert len(result.projects) == tables
    assert result.projects[0].project.name.startswith("公用巷道、零散小区无人管理小区环境卫生整")
    assert all(r.project.unit == "永宁县团结西路街道办事处" for r in result.projects)


def test_a_broken_upload_gives_issues_not_projects(corpus):
    result = review_upload("坏文件.docx", b"PK\x03\x04 broken", corpus)
    assert result.projects == []
    assert any(i.severity == "error" and "损坏" in i.message for i in result.issues)


@pytest.mark.parametrize("path_name", ["../../etc/表.txt"])
def test_an_upload_name_is_never_a_path(corpus, path_name):
    result = review_upload(path_name, SEED_001.read_bytes(), corpus)
    assert result.source == Path(path_name).name


def test_siblings_are_the_given_projects_of_the_same_unit(seed_results):
    """A row copied into two other projects of the same unit is boilerplate; the same copies in
    another unit's projects, or not among the given projects, are not."""
    base = project_named(seed_results, "001", "党建经费")
    copies = [base.model_copy(update={"name": f"另一个项目{n}"}) for n in (1, 2)]

    def boilerplate(findings):
        return [f for f in findings if f.rule == "quality.boilerplate"]

    assert boilerplate(check_project(base, None, [base, *copies]))
    assert not boilerplate(check_project(base, None, [base]))
    elsewhere = [c.model_copy(update={"unit": "别的单位"}) for c in copies]
    assert not boilerplate(check_project(base, None, [base, *elsewhere]))


def test_check_document_takes_siblings_from_the_file(seed_results):
    result = seed_results["001"]
    checked = check_document(result, None)
    assert [p for p, _ in checked] == result.projects
    for p, findings in checked:
        assert findings == check_project(p, None, result.projects)
