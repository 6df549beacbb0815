"""Value-form rules: unreadable values reported with their raw text, operators, units, credible percentages."""

import pytest

from assistant.validator import validate
from corpus.values import parse_target_value

from conftest import project_named, findings_of, with_value




def _value_findings(findings):
    return [f for f in findings if f.rule.startswith("value.")]


def test_clean_values_pass(seed_results):
    for doc, name in [("004", "楼门栋长补贴经费"), ("004", "企业公章刻制费"), ("001", "社区工作者培训费")]:
        assert not _value_findings(validate(project_named(seed_results, doc, name))), name


def test_run_together_digits_are_reported_with_raw_text_never_repaired(seed_results):
    p = project_named(seed_results, "003", "团委综合事务管理经费")
    findings = findings_of(validate(p), "value.unparsed")
    assert [f.row_name for f in findings] == ["正常运行率", "控制资金支出", "预算执行率", "社会影响力"]
    f = findings[0]
    assert f.severity == "error" and "≥95100%" in f.message and "数字粘连" in f.message
    assert "第283-288行" in f.message  # names where the row is
    assert "≥95%" in f.fix and "100%" in f.fix  # the two candidates, offered not applied
    assert p.rows[1].value.number is None  # the model still holds no guessed number


def test_every_unclean_seed_value_is_reported(seed_results):
    rows = [(p, r) for res in seed_results.values() for p in res.projects for r in p.rows if not r.value.clean]
    reported = sum(len(findings_of(validate(p), "value.unparsed")) for p in {id(p): p for p, _ in rows}.values())
    assert reported == len(rows) == 64


def test_empty_value(seed_results):
    p = with_value(project_named(seed_results, "004", "企业公章刻制费"), "刻制公章数量", "")
    [f] = _value_findings(validate(p))
    assert f.rule == "value.empty" and f.row_name == "刻制公章数量"


@pytest.mark.parametrize("raw, op", [("95%以上", "≥"), ("90%及以上", "≥"), ("5%以下", "≤"), ("约95%", "=")])
def test_operator_outside_the_closed_set(seed_results, raw, op):
    p = with_value(project_named(seed_results, "004", "企业公章刻制费"), "刻制公章合格率", raw)
    [f] = _value_findings(validate(p))  # one finding, not also "unparsed"
    assert f.rule == "value.operator" and raw in f.message and f"「{op}" in f.fix


def test_number_without_unit(seed_results):
    # 001 信访维稳: 时效 "按期完成县政府下达信访维稳、减少矛盾纠纷工作" = 1
    p = project_named(seed_results, "001", "信访维稳工作经费")
    [f] = findings_of(validate(p), "value.missing_unit")
    assert f.severity == "error" and "「1」" in f.message
    assert not findings_of(validate(p), "fit.timeliness_form")  # said once


def test_percentage_above_100(seed_results):
    p = with_value(project_named(seed_results, "004", "企业公章刻制费"), "刻制公章合格率", "120%")
    [f] = _value_findings(validate(p))
    assert f.rule == "value.percent_range" and "120%" in f.message


def test_growth_rate_may_exceed_100(seed_results):
    p = project_named(seed_results, "004", "企业公章刻制费")
    rows = list(p.rows)
    rows[1] = rows[1].model_copy(update={"name": "办件量增长率", "value": parse_target_value("≥120%")})
    assert not _value_findings(validate(p.model_copy(update={"rows": rows})))


@pytest.mark.parametrize("doc, name, goal, row", [
    ("002", "祝融街道办事处部门整体支出", 3, "社区退休人员满意度"),  # ≥100%
    ("004", "平房小区公共基础设施提升改造工程", None, "工程验收合格率"),  # ≥100％ (full-width)
    ("004", "社区工作人员补贴资金", None, "补助发放时间"),  # ≥100百分比
])
def test_at_least_100_percent_is_not_credible(seed_results, doc, name, goal, row):
    findings = findings_of(validate(project_named(seed_results, doc, name, goal)), "value.ge_100")
    assert [f.row_name for f in findings] == [row]
    assert "=100%" in findings[0].fix


def test_exactly_100_percent_rate_is_fine(seed_results):
    # 002 目标1: 工程综合验收合格率 =100%
    assert not _value_findings(validate(project_named(seed_results, "002", "祝融街道办事处部门整体支出", 1)))


def test_satisfaction_of_100_percent(seed_results):
    p = with_value(project_named(seed_results, "004", "企业公章刻制费"), "居民满意度", "100%")
    [f] = _value_findings(validate(p))
    assert f.rule == "value.satisfaction_full" and f.severity == "warning"
