"""Consistency with the project (goal numbers, budget text) and position among other units' precedents."""

import pytest

from assistant.rules.matching import MIN_PRECEDENTS
from assistant.rules.precedent import compare
from assistant.validator import precedents_from_corpus, validate
from corpus.models import Corpus

from conftest import project_named, findings_of, with_value


@pytest.fixture(scope="module")
def corpus(seed_results):
    # the seed objects themselves: rules compare projects by identity
    return Corpus(documents=list(seed_results.values()))






# ---- numbers in the goal text ----------------------------------------------------

def test_goal_count_missing_from_indicators(seed_results):
    # 004 社区工作经费: goal says 11个社区, the 数量指标 says 13个
    p = project_named(seed_results, "004", "社区工作经费")
    [f] = findings_of(validate(p), "consistency.goal_number_missing")
    assert f.severity == "warning" and f.row_index is None and "11个" in f.message


@pytest.mark.parametrize("name", ["楼门栋长补贴经费", "企业公章刻制费", "纪工委工作经费", "社区工作者人员经费"])
def test_goal_counts_carried_by_indicators(seed_results, name):
    # 355名 / 800个 / 20份 / 88名 in the goal, and the same number in a 数量指标
    assert not findings_of(validate(project_named(seed_results, "004", name)), "consistency.goal_number_missing")


def test_thresholds_and_ranges_in_goal_text_are_not_targets(seed_results):
    # 001 社区办公经费: "<3000户,10万元;3000户-5000户(含3000户),13万元;≥5000户" is a funding formula
    assert not findings_of(validate(project_named(seed_results, "001", "社区办公经费")), "consistency.goal_number_missing")


def test_goal_count_dropped_from_a_variant(seed_results):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    [f] = findings_of(validate(with_value(p, "楼门栋长人数", "350名")), "consistency.goal_number_missing")
    assert "355名" in f.message


# ---- budget figures in the text --------------------------------------------------

def test_budget_text_in_wrong_unit(seed_results):
    # 003 城区办退役士官再就业经费: "项目预算资金2546773.88万元" while the budget is 2546773.88元
    p = project_named(seed_results, "003", "城区办退役士官再就业经费")
    [f] = findings_of(validate(p), "consistency.budget_text_mismatch")
    assert f.severity == "error" and "2546773.88万元" in f.message
    assert "2546773.88元" in f.fix


def test_budget_text_agreeing_with_metadata(seed_results):
    # "项目资金3300元" / "项目预算资金24万元" agree with 3300.00 元 and 240000.00 元
    for name in ("地震群测群防岗位津贴", "退役军人公益岗位人员工资", "楼院长补贴"):
        assert not findings_of(validate(project_named(seed_results, "003", name)), "consistency.budget_text_mismatch")


def test_budget_text_with_a_different_amount(seed_results):
    p = project_named(seed_results, "003", "楼院长补贴")
    p = p.model_copy(update={"purpose": p.purpose.replace("367680元", "376680元")})
    [f] = findings_of(validate(p), "consistency.budget_text_mismatch")
    assert "376680元" in f.message and "36.768万元" in f.fix


# ---- against precedents ------------------------------------------------------------

def test_positive_target_below_precedents(seed_results, corpus):
    # 001 安全生产: 群众满意度 80% while other units write ≥90%…≥95%
    p = project_named(seed_results, "001", "安全生产（基层消防）业务经费")
    [f] = findings_of(validate(p, precedents_from_corpus(p, corpus)), "consistency.below_precedents")
    assert f.severity == "hint" and f.row_name == "群众满意度" and "80%" in f.message
    assert len(f.evidence) >= MIN_PRECEDENTS and len({e.unit for e in f.evidence}) >= 2
    assert all(e.unit != p.unit for e in f.evidence)


def test_typical_target_is_silent(seed_results, corpus):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")  # 综合满意度 ≥90%, 补助金发放率 ≥95%
    findings = validate(p, precedents_from_corpus(p, corpus))
    assert not [f for f in findings if f.rule in ("consistency.below_precedents", "precedent.out_of_range")]


def test_target_above_precedents(seed_results, corpus):
    # 001 为民服务和发展专项资金: 群众满意度 96% above the ≥90%…≥95% of other units
    p = project_named(seed_results, "001", "为民服务和发展专项资金")
    [f] = findings_of(validate(p, precedents_from_corpus(p, corpus)), "precedent.out_of_range")
    assert f.row_name == "群众满意度" and "高于" in f.message and "90%至95%" in f.message and f.evidence


def test_position_needs_three_values_from_two_units(seed_results, corpus):
    p = project_named(seed_results, "001", "安全生产（基层消防）业务经费")
    row = next(r for r in p.rows if r.name == "群众满意度")
    comparable = [pr for pr in precedents_from_corpus(p, corpus) if pr[1].level2.name == row.level2.name]
    c = compare(row, comparable)
    assert c.position == "below" and c.key == "%" and c.value == 80 and c.low >= 90
    assert compare(row, comparable[:2]) is None
    one_unit = [pr for pr in comparable if pr[0].unit == comparable[0][0].unit]
    assert len(one_unit) >= MIN_PRECEDENTS and compare(row, one_unit) is None


def test_counts_and_totals_are_not_placed_among_precedents(seed_results, corpus):
    # 13个 communities vs 4个 elsewhere says nothing about quality: no distribution for counts
    p = project_named(seed_results, "004", "社区党组织服务群众专项经费")
    row = p.rows[0]
    assert row.value.unit == "个" and compare(row, precedents_from_corpus(p, corpus)) is None
