"""Structure rules on real seed tables: three 一级, four 产出 二级, 效益 二级, duplicates, categories."""

import pytest

from assistant.validator import validate
from corpus.categories import level1_category, level2_category

from conftest import project_named, findings_of




def _drop(p, level2):
    return p.model_copy(update={"rows": [r for r in p.rows if r.level2.name != level2]})


def test_complete_table_passes(seed_results):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    assert not [f for f in validate(p) if f.rule.startswith("structure.")]


def test_missing_satisfaction_where_people_are_served_is_an_error(seed_results):
    # 003 tables stop after 效益; the goal text says 使居民受益
    p = project_named(seed_results, "003", "地震群测群防岗位津贴")
    [f] = findings_of(validate(p), "structure.missing_level1")
    assert f.severity == "error" and f.row_index is None
    assert "满意度指标" in f.message and "居民" in f.message and p.name in f.message
    assert "服务对象满意度" in f.fix


def test_missing_satisfaction_without_service_recipients_is_a_warning(seed_results):
    # 乡镇武装工作经费: 民兵训练、征兵 — no 居民/群众/社区 in name, goals or purpose
    p = project_named(seed_results, "003", "乡镇武装工作经费")
    findings = validate(p)
    assert not findings_of(findings, "structure.missing_level1")
    [f] = findings_of(findings, "structure.missing_satisfaction")
    assert f.severity == "warning"


def test_missing_benefit_level1(seed_results):
    p = project_named(seed_results, "000", "车辆保险费")
    p = p.model_copy(update={"rows": [r for r in p.rows if r.level1.name != "效益指标"]})
    [f] = findings_of(validate(p), "structure.missing_level1")
    assert "效益指标" in f.message


def test_output_must_cover_quantity_quality_timeliness_cost(seed_results):
    p = project_named(seed_results, "004", "企业公章刻制费")
    assert not findings_of(validate(p), "structure.missing_output_level2")
    [f] = findings_of(validate(_drop(p, "时效指标")), "structure.missing_output_level2")
    assert "时效指标" in f.message and "≤12月份" in f.fix


def test_newer_hierarchy_with_cost_as_level1_is_accepted(seed_results):
    p = project_named(seed_results, "004", "企业公章刻制费")
    rows = [r.model_copy(update={"level1": level1_category("成本指标"), "level2": level2_category("经济成本指标")})
            if r.level2.name == "成本指标" else r for r in p.rows]
    findings = validate(p.model_copy(update={"rows": rows}))
    assert not [f for f in findings if f.rule in ("structure.missing_output_level2", "structure.wrong_parent",
                                                  "structure.missing_level1", "structure.unknown_category")]


def test_benefit_needs_a_known_level2(seed_results):
    p = project_named(seed_results, "004", "企业公章刻制费")
    rows = [r.model_copy(update={"level2": level2_category("社会影响")}) if r.level1.name == "效益指标" else r
            for r in p.rows]
    findings = validate(p.model_copy(update={"rows": rows}))
    assert len(findings_of(findings, "structure.benefit_without_level2")) == 1
    [f] = findings_of(findings, "structure.unknown_category")
    assert "社会影响" in f.message and f.row_name == "刻制流程简化效果"


def test_duplicate_indicator_name(seed_results):
    # 001 社区工作者社会保险: "社会保险的社会效益" under 社会效益 and again under 可持续影响
    p = project_named(seed_results, "001", "社区工作者社会保险、公积金")
    [f] = findings_of(validate(p), "structure.duplicate_name")
    assert f.row_name == "社会保险的社会效益" and f.row_index == 5
    assert "第231行" in f.message and f.where.endswith("第232行")


def test_level2_under_wrong_level1(seed_results):
    p = project_named(seed_results, "000", "车辆保险费")
    rows = list(p.rows)
    rows[4] = rows[4].model_copy(update={"level1": level1_category("产出指标")})  # 提高工作效率 (经济效益)
    [f] = findings_of(validate(p.model_copy(update={"rows": rows})), "structure.wrong_parent")
    assert f.severity == "error" and f.row_name == "提高工作效率"
    assert "经济效益指标" in f.message and "效益指标" in f.fix


def test_seeds_put_every_level2_under_its_parent(seed_results):
    for result in seed_results.values():
        for p in result.projects:
            assert not findings_of(validate(p), "structure.wrong_parent"), p.name


def test_level2_name_written_in_level1_cell_is_a_hint_once_per_cell(seed_results):
    # 001 writes "社会效益 指标" in the merged 一级 cell of three rows
    p = project_named(seed_results, "001", "公用巷道、零散小区无人管理小区环境卫生整")
    [f] = findings_of(validate(p), "structure.level2_as_level1")
    assert f.severity == "hint" and "社会效益 指标" in f.message and "效益指标" in f.fix
    assert not findings_of(validate(project_named(seed_results, "000", "车辆保险费")), "structure.level2_as_level1")


@pytest.mark.parametrize("raw", ["", "绩效指标"])
def test_unknown_or_empty_level2(seed_results, raw):
    p = project_named(seed_results, "004", "企业公章刻制费")
    rows = list(p.rows)
    rows[0] = rows[0].model_copy(update={"level2": level2_category(raw)})
    [f] = findings_of(validate(p.model_copy(update={"rows": rows})), "structure.unknown_category")
    assert f.row_index == 0 and (raw or "（空）") in f.message


def test_table_without_rows(seed_results):
    p = project_named(seed_results, "004", "企业公章刻制费").model_copy(update={"rows": []})
    assert [f.rule for f in validate(p)] == ["structure.no_rows"]
