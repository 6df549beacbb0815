"""Reviewer rules: each fires on a real seed row or a variant of one, and stays silent on a sound row."""

from conftest import findings_of, project_named, with_value

from assistant.validator import siblings_from, validate
from corpus.models import Category, IndicatorRow, Money, Provenance
from corpus.values import parse_target_value


def _row(level2: str, name: str, value: str, description: str = "") -> IndicatorRow:
    level1 = {"数量指标": "产出指标", "质量指标": "产出指标", "时效指标": "产出指标", "成本指标": "产出指标",
              "社会效益指标": "效益指标", "服务对象满意度指标": "满意度指标"}[level2]
    return IndicatorRow(level1=Category(name=level1, raw=level1), level2=Category(name=level2, raw=level2),
                        name=name, name_raw=name, description=description, value=parse_target_value(value),
                        provenance=Provenance(source="变体", cell=name))


def _with_rows(project, *rows, budget: float | None = None):
    update = {"rows": [*project.rows, *rows]}
    if budget is not None:
        update["budget"] = Money(wan=budget, raw=f"{budget}万元", unit="万元")
    return project.model_copy(update=update)


def _names(findings):
    return [f.row_name for f in findings]


def test_satisfaction_of_another_party_is_flagged(seed_results):
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    assert "居民满意度" in _names(findings_of(validate(p), "reviewer.satisfaction_party"))
    fixed = p.model_copy(update={"rows": [r.model_copy(update={"name": "退役军人满意度"}) if r.name == "居民满意度" else r
                                          for r in p.rows]})
    assert _names(findings_of(validate(fixed), "reviewer.satisfaction_party")) == []


def test_filler_is_flagged_and_a_measurable_row_is_not(seed_results):
    p = project_named(seed_results, "003", "乡镇武装工作经费")
    flagged = _names(findings_of(validate(p), "reviewer.filler"))
    assert "社会影响力" in flagged
    assert not any("率" in n for n in flagged if n != "正常运行率")


def test_off_topic_slogan_is_flagged_and_a_generic_form_is_not(seed_results):
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    variant = _with_rows(p, _row("社会效益指标", "北三县环境综合整治工作", "≥95%"),
                         _row("时效指标", "资金支付及时率", "≥95%", "按时支付的资金占应支付资金的比例"))
    flagged = _names(findings_of(validate(variant), "reviewer.off_topic"))
    assert "北三县环境综合整治工作" in flagged and "资金支付及时率" not in flagged


def test_description_of_another_indicator_is_flagged(seed_results):
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    variant = _with_rows(p, _row("质量指标", "补贴发放率", "=100%", "人员工资发放率"),
                         _row("质量指标", "服务台账完整率", "≥95%", "服务台账完整的比例"))
    flagged = _names(findings_of(validate(variant), "reviewer.description_mismatch"))
    assert "补贴发放率" in flagged and "服务台账完整率" not in flagged


def test_cost_rows_that_together_exceed_the_budget(seed_results):
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    base = p.model_copy(update={"rows": [r for r in p.rows if r.level2.name != "成本指标"]})
    over = _with_rows(base, _row("成本指标", "项目总成本", "≤18万元"), _row("成本指标", "设备购置成本", "≤10万元"), budget=18)
    assert len(findings_of(validate(over), "reviewer.cost_sum")) == 1
    within = _with_rows(base, _row("成本指标", "项目总成本", "≤18万元"), _row("成本指标", "人均成本", "≤500元/人"), budget=18)
    assert findings_of(validate(within), "reviewer.cost_sum") == []


def test_per_unit_cost_must_count_a_quantity_of_the_project(seed_results):
    p = project_named(seed_results, "004", "退役军人管理服务站经费")
    variant = _with_rows(p, _row("成本指标", "每公里保洁成本", "≤5000元/公里"), _row("成本指标", "人均成本", "≤500元/人"))
    flagged = _names(findings_of(validate(variant), "reviewer.per_unit_mismatch"))
    assert flagged == ["每公里保洁成本"]


def test_a_count_copied_from_another_project_is_flagged(seed_results):
    projects = seed_results["004"].projects
    p = project_named(seed_results, "004", "社区工作经费")
    flagged = _names(findings_of(validate(p, siblings=siblings_from(p, projects)), "reviewer.unsupported_count"))
    assert "社区数量" in flagged
    # the same count stated in the goal is the project's own
    own = p.model_copy(update={"goals": [*p.goals, "覆盖13个社区"]})
    assert "社区数量" not in _names(findings_of(validate(own, siblings=siblings_from(p, projects)), "reviewer.unsupported_count"))


def test_vague_target_where_a_number_is_possible_is_a_warning(seed_results):
    p = _with_rows(project_named(seed_results, "004", "退役军人管理服务站经费"), _row("质量指标", "服务台账质量", "≥95%"))
    name = "服务台账质量"  # not a rate: no form rule speaks for it
    vague = with_value(p, name, "较好")
    found = findings_of(validate(vague), "reviewer.vague_measurable")
    assert [f.row_name for f in found] == [name] and found[0].severity == "warning"
    assert findings_of(validate(with_value(p, name, "≥95%")), "reviewer.vague_measurable") == []


def test_an_aim_written_as_the_indicator_is_flagged_in_any_table(seed_results):
    """「社区居民居住环境得到提升 ≥90%」(a real unit table's row): ≥90% of what? A measure of the same thing is not."""
    unit_tables = [p for p in seed_results["002"].projects if p.kind != "project"]
    found = [f for t in unit_tables for f in findings_of(validate(t), "reviewer.statement_as_indicator")]
    assert {f.row_name for f in found} == {"社区居民居住环境得到提升", "社区文化环境、公共设施得到改善",
                                           "社区下辖的小区环境卫生得到改善"}
    assert found[0].severity == "warning" and "≥90%" in found[0].message
    p = _with_rows(project_named(seed_results, "004", "退役军人管理服务站经费"),
                   _row("社会效益指标", "服务环境有效改善", "≥90%"), _row("质量指标", "服务环境改善达标率", "≥90%"))
    assert _names(findings_of(validate(p), "reviewer.statement_as_indicator")) == ["服务环境有效改善"]


def test_common_deadlines_read_cleanly():
    for raw, month in (("2024年12月底前", 12), ("12月31日前", 12), ("≤12月份", 12), ("2025年6月30日前", 6)):
        v = parse_target_value(raw)
        assert (v.clean, v.op, v.number, v.unit) == (True, "≤", month, "月份"), raw
    for raw in ("年底前", "第四季度"):
        v = parse_target_value(raw)
        assert v.clean and v.qualitative == raw
