"""Quality of targets: vague values (with and without precedents), placeholders, descriptions,
确定依据, and rows copied verbatim across a unit's projects."""

import pytest

from assistant.rules.lexicon import official_basis
from assistant.validator import precedents_from_corpus, siblings_from, validate
from corpus.models import Corpus

from conftest import project_named, findings_of


@pytest.fixture(scope="module")
def corpus(seed_results):
    # the seed objects themselves: rules compare projects by identity
    return Corpus(documents=list(seed_results.values()))






def _full(p, corpus):
    return validate(p, precedents_from_corpus(p, corpus), siblings_from(p, corpus.projects()))


# ---- vague values ---------------------------------------------------------------

def test_vague_value_without_precedent_is_a_hint(seed_results, corpus):
    # 000 车辆保险费: 经济效益 "提高工作效率" = 是; no other unit quantifies it
    p = project_named(seed_results, "000", "车辆保险费")
    [f] = [f for f in _full(p, corpus) if f.rule.startswith("quality.vague") and f.row_name == "提高工作效率"]
    assert f.rule == "quality.vague" and f.severity == "hint" and "「是」" in f.message


def test_vague_value_with_numeric_precedent_is_a_warning_naming_it(seed_results, corpus):
    # 001: "有效改善老旧小区卫生环境情况" = 明显; 002 measures "社区下辖的小区环境卫生得到改善" ≥90%
    p = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    [f] = findings_of(_full(p, corpus), "quality.vague_with_precedent")
    assert f.severity == "warning" and f.row_name == "有效改善老旧小区卫生环境情况"
    assert "≥90%" in f.message and "衡阳市南岳区祝融街道办事处" in f.message
    assert f.evidence and f.evidence[0].value == "≥90%" and f.evidence[0].where.startswith("002_")
    # without precedents the same row is only a hint
    assert [x.row_name for x in findings_of(validate(p), "quality.vague")].count("有效改善老旧小区卫生环境情况") == 1


def test_specific_values_are_not_vague(seed_results):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    assert not [f for f in validate(p) if f.rule.startswith("quality.vague")]


def test_vague_timeliness_is_reported_once_as_a_fit_error(seed_results):
    # 001 "按时完成县政府统筹安排卫生管理" = 及时: the timeliness error says it; no extra vague hint
    p = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    rules = [f.rule for f in validate(p) if f.row_name == "按时完成县政府统筹安排卫生管理"]
    assert "fit.timeliness_form" in rules and not [r for r in rules if r.startswith("quality.vague")]


def test_placeholder_rows(seed_results):
    # 001 纪委工作经费: 经济效益 "无" = 无, 生态效益 "无" = 无
    p = project_named(seed_results, "001", "纪委工作经费")
    findings = findings_of(validate(p), "quality.placeholder_row")
    assert [f.row_index for f in findings] == [4, 6] and "删除" in findings[0].fix


# ---- descriptions ---------------------------------------------------------------

def test_description_repeating_the_name(seed_results, corpus):
    # 000 车辆保险费: 车辆正常运行率 / 车辆正常运行率; the fix quotes a precedent's description
    p = project_named(seed_results, "000", "车辆保险费")
    names = [f.row_name for f in findings_of(_full(p, corpus), "quality.description_repeats_name")]
    assert names == ["车辆正常运行率"]
    f = findings_of(_full(p, corpus), "quality.description_repeats_name")[0]
    assert "分子和分母" in f.fix and "同类指标先例的描述" in f.fix


def test_real_descriptions_pass(seed_results):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")  # 楼门栋长人数: 保证355名人员到岗工作
    assert not [f for f in validate(p) if f.rule.startswith("quality.description")]


def test_layout_without_descriptions_is_one_table_hint(seed_results):
    p = project_named(seed_results, "001", "党建经费")
    [f] = findings_of(validate(p), "quality.description_missing")
    assert f.row_index is None and "所有指标" in f.message


def test_single_missing_description(seed_results):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    rows = list(p.rows)
    rows[2] = rows[2].model_copy(update={"description": ""})
    [f] = findings_of(validate(p.model_copy(update={"rows": rows})), "quality.description_missing")
    assert f.row_index == 2 and f.row_name == "发放及时性"


# ---- 确定依据 ---------------------------------------------------------------------

@pytest.mark.parametrize("basis, term", [
    ("工作计划", "计划标准"), ("依据工作方案", "计划标准"), ("预算数额", "预算支出标准"), ("预算编制", "预算支出标准"),
    ("满意度调查", "其他"), ("问卷调查", "其他"), ("19、20、21三年测算", "历史标准"), ("上一年完成量", "历史标准"),
    ("验收标准", "行业标准"), ("计划标准", ""), ("行业标准", ""), ("其他", ""),
])
def test_basis_mapping(basis, term):
    assert official_basis(basis) == term


def test_free_text_basis_gets_the_official_term(seed_results):
    p = project_named(seed_results, "000", "车辆保险费")
    by_row = {f.row_name: f for f in findings_of(validate(p), "quality.basis_nonstandard")}
    assert by_row["按计划完成工作"].fix.startswith("改为「计划标准」")  # 工作计划
    assert by_row["项目控制预算数"].fix.startswith("改为「预算支出标准」")  # 预算数额
    assert by_row["单位工作人员满意度"].fix.startswith("改为「其他」")  # 满意度调查
    assert all(f.severity == "hint" for f in by_row.values())


def test_official_basis_passes(seed_results):
    dept = seed_results["004"].projects[0]  # 合格率 … 行业标准
    rows = [i for i, r in enumerate(dept.rows) if r.basis == "行业标准"]
    flagged = {f.row_index for f in findings_of(validate(dept), "quality.basis_nonstandard")}
    assert rows and not flagged & set(rows)


def test_layout_without_basis_is_one_table_hint(seed_results):
    [f] = findings_of(validate(project_named(seed_results, "001", "党建经费")), "quality.basis_missing")
    assert f.row_index is None


# ---- boilerplate ----------------------------------------------------------------

def test_row_copied_across_a_units_projects(seed_results, corpus):
    # 003: "社会影响力 ≥95100%" repeated in project after project
    p = project_named(seed_results, "003", "团委综合事务管理经费")
    by_row = {f.row_name: f for f in findings_of(_full(p, corpus), "quality.boilerplate")}
    f = by_row["社会影响力"]
    assert f.severity == "warning" and "≥95100%" in f.message and "另外8个项目" in f.message  # 9 tables carry it
    assert all(e.unit == "保定市徐水区城区办事处" for e in f.evidence)
    # 001: "影响生态环境的改善" = 影响生态环境的改善
    p = project_named(seed_results, "001", "党建经费")
    assert "影响生态环境的改善" in {f.row_name for f in findings_of(_full(p, corpus), "quality.boilerplate")}


def test_boilerplate_needs_siblings(seed_results):
    p = project_named(seed_results, "003", "团委综合事务管理经费")
    assert not findings_of(validate(p), "quality.boilerplate")


def test_shared_satisfaction_and_year_end_deadline_are_not_boilerplate(seed_results, corpus):
    # 004: "居民满意度 ≥90%" and "完成时间 ≤12月份" recur in many projects by design
    p = project_named(seed_results, "004", "群众说事干部解题工作经费")
    flagged = {f.row_name for f in findings_of(_full(p, corpus), "quality.boilerplate")}
    assert not flagged & {"居民满意度", "完成时间"}


def test_goals_of_one_department_table_are_not_unrelated_projects(seed_results, corpus):
    # 002 目标2 and 目标3 both carry "执行标的额到位率 =100%": one table, not copying
    for goal in seed_results["002"].projects:
        assert not findings_of(_full(goal, corpus), "quality.boilerplate")
