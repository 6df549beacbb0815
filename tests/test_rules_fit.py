"""Fit between name, category and value, on real seed rows and small variants of them."""

import pytest

from assistant.validator import validate

from conftest import project_named, findings_of, with_value




def _fit(findings):
    return [f for f in findings if f.rule.startswith("fit.")]


@pytest.mark.parametrize("doc, name", [
    ("004", "楼门栋长补贴经费"), ("004", "企业公章刻制费"), ("004", "行政综合服务中心改造提升工程质保金"),
    ("001", "免费开放文化站"), ("003", "安全生产信息员经费"),
])
def test_well_formed_tables_pass(seed_results, doc, name):
    # 355名, ≤30日, ≤10%, ≥130平方米, ≤9月份, ≤1万 (budget 1万元), 500元 (budget 9000元) …
    assert not _fit(validate(project_named(seed_results, doc, name)))


@pytest.mark.parametrize("raw", ["300元/人", "≤0.5万元/站", "≤6000元/人/月", "≤1万元"])
def test_per_unit_and_total_costs_within_budget_pass(seed_results, raw):
    p = with_value(project_named(seed_results, "001", "免费开放文化站"), "文化站点配套免费开放资金", raw)
    assert not _fit(validate(p))


def test_per_unit_cost_above_the_whole_budget(seed_results):
    p = with_value(project_named(seed_results, "001", "免费开放文化站"), "文化站点配套免费开放资金", "≤2万元/站")
    [f] = _fit(validate(p))
    assert f.rule == "fit.cost_exceeds_budget" and "单位成本" in f.message


def test_rate_with_a_headcount(seed_results):
    # 000: 工资及保险发放准确率 = 17人 (the count copied into the quality row)
    p = project_named(seed_results, "000", "2021年市级社区干部生活补贴")
    [f] = findings_of(validate(p), "fit.rate_needs_percent")
    assert f.severity == "error" and f.row_name == "工资及保险发放准确率" and "17人" in f.message
    assert "%" in f.fix


def test_rate_named_row_with_percent_passes(seed_results):
    p = project_named(seed_results, "000", "车辆保险费")  # 车辆正常运行率 ≥95%
    assert not findings_of(validate(p), "fit.rate_needs_percent")


def test_quantity_needs_a_count(seed_results):
    # 004 融媒体: 数量指标 "刊播数量" = ≥90%
    p = project_named(seed_results, "004", "融媒体宣传专项经费")
    [f] = findings_of(validate(p), "fit.quantity_needs_count")
    assert f.row_name == "刊播数量" and "≥90%" in f.message


@pytest.mark.parametrize("raw", ["是", "及时", "≥95%"])
def test_quantity_with_qualitative_or_rate(seed_results, raw):
    p = with_value(project_named(seed_results, "004", "楼门栋长补贴经费"), "楼门栋长人数", raw)
    [f] = _fit(validate(p))
    assert f.rule == "fit.quantity_needs_count" and raw in f.message


def test_cost_needs_money(seed_results):
    # 000: 成本指标 "项目控制预算数" = 是; the fix names the project budget
    p = project_named(seed_results, "000", "车辆保险费")
    [f] = findings_of(validate(p), "fit.cost_needs_money")
    assert f.row_name == "项目控制预算数" and "「是」" in f.message and "≤0.4万元" in f.fix


def test_cost_as_percentage(seed_results):
    p = project_named(seed_results, "004", "纪工委工作经费")  # 成本控制率 100%
    [f] = findings_of(validate(p), "fit.cost_needs_money")
    assert f.row_name == "成本控制率"


def test_cost_above_budget_in_wrong_unit(seed_results):
    # 001 公用巷道: budget 50万元, cost "≤50万元"; written as 500000万元 it is 10000× the budget
    p = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    assert not findings_of(validate(p), "fit.cost_exceeds_budget")
    bad = with_value(p, "按预算指标完成清扫整治", "≤500000万元")
    [f] = findings_of(validate(bad), "fit.cost_exceeds_budget")
    assert f.severity == "error" and "超过项目预算50万元" in f.message
    # the hint says plainly which unit the number would be in and what to write
    assert "若这笔钱是500000元而不是500000万元，请把指标值写成「≤500000元」（合50万元）" in f.fix
    assert "若本意" not in f.fix


def test_cost_in_yuan_converted_before_comparing(seed_results):
    # 003 地震群测群防: budget 3300元 = 0.33万元; 人均 ≥180元 fits, 3800元 does not
    p = project_named(seed_results, "003", "地震群测群防岗位津贴")
    assert not findings_of(validate(p), "fit.cost_exceeds_budget")
    [f] = findings_of(validate(with_value(p, "人均发放水平", "≥3800元")), "fit.cost_exceeds_budget")
    assert "0.38万元" in f.message and "0.33万元" in f.message


def test_cost_with_budget_number_in_yuan(seed_results):
    p = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    [f] = findings_of(validate(with_value(p, "按预算指标完成清扫整治", "≤50元")), "fit.cost_unit_mismatch")
    assert "≤50万元" in f.fix
    # a per-person cost in 元 is not a total: 001 社区工作者培训费 300元/人
    assert not findings_of(validate(project_named(seed_results, "001", "社区工作者培训费")), "fit.cost_unit_mismatch")


def test_quality_row_with_money(seed_results):
    p = project_named(seed_results, "004", "2021年国有企业退休人员社会化管理省级财政补助资金")  # 预算标准 20.09元
    [f] = findings_of(validate(p), "fit.quality_form")
    assert f.severity == "warning" and f.row_name == "预算标准"


@pytest.mark.parametrize("doc, name, row, raw", [
    ("001", "党建经费", "按期完成县政府下达党建组织工作", "及时"),
    ("002", "祝融街道办事处部门整体支出", "社区正常运转时间", "全年"),
])
def test_timeliness_without_deadline(seed_results, doc, name, row, raw):
    p = next(p for p in seed_results[doc].projects if p.name == name and any(r.name == row for r in p.rows))
    [f] = findings_of(validate(p), "fit.timeliness_form")
    assert f.row_name == row and raw in f.message and "≤12月份" in f.fix


@pytest.mark.parametrize("raw, ok", [("≤12月份", True), ("≤30日", True), ("≤10个月", True), ("年底前", True),
                                     ("≥95%", True), ("≤13月份", False), ("≤2年", False), ("5个", False)])
def test_timeliness_forms(seed_results, raw, ok):
    p = with_value(project_named(seed_results, "004", "企业公章刻制费"), "完成时间", raw)
    assert bool(findings_of(validate(p), "fit.timeliness_form")) is not ok


def test_reverse_indicator_with_at_least(seed_results):
    # 004 退役军人: 降低退役军人反映问题率 ≥90%
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    [f] = findings_of(validate(p), "fit.reverse_operator")
    assert f.row_name == "降低退役军人反映问题率" and "≤90%" in f.fix


def test_reverse_indicators_capped_pass(seed_results):
    # 重大活动突发事件发生率 <1%, 居民纠纷发生率 ≤10%, 安全事故发生率 ≤5%
    for doc, name in [("004", "维稳经费"), ("004", "楼门栋长补贴经费"), ("001", "安全生产（基层消防）业务经费")]:
        assert not findings_of(validate(project_named(seed_results, doc, name)), "fit.reverse_operator")


def test_positive_indicator_capped(seed_results):
    # 004 武装部: 宣传覆盖率 ≤90%
    p = project_named(seed_results, "004", "武装部工作经费")
    [f] = findings_of(validate(p), "fit.positive_capped")
    assert f.row_name == "宣传覆盖率" and "≥90%" in f.fix
    # 成本控制率 ≤100% is a cap by nature, not a positive rate
    assert not findings_of(validate(project_named(seed_results, "004", "档案室改造提升及档案数字化资金")), "fit.positive_capped")
