"""The five bundled documents parse completely: counts decided by reading them, and exact rows."""

import pytest

# (projects, indicator rows, rows whose value does not parse cleanly), counted by hand:
# 000: 13 project tables × 9 rows; 001: 21 tab-per-row tables (165 "指标N:" cells);
# 002: one department table with 目标1-4 (12+12+8+12 rows); 003: 18 tables × 5 rows, 64 values
# with run-together digits ("≥95100%"); 004: department table (26 rows, 符号/值/单位 columns) + 25 project tables.
EXPECTED = {
    "000": (13, 117, 0),
    "001": (21, 165, 0),
    "002": (4, 44, 0),
    "003": (18, 90, 64),
    "004": (26, 185, 0),
}


@pytest.mark.parametrize("doc", sorted(EXPECTED))
def test_counts(seed_results, doc):
    result = seed_results[doc]
    rows = [r for p in result.projects for r in p.rows]
    assert (len(result.projects), len(rows), sum(not r.value.clean for r in rows)) == EXPECTED[doc]
    assert not [i for i in result.issues if i.severity == "error"]
    # every row is categorised and named
    assert all(r.level1.name and r.level2.name and r.name for r in rows)


def _find(result, project, name):
    p = next(p for p in result.projects if p.name == project)
    return p, next(r for r in p.rows if r.name == name)


def test_cell_per_line_layout_budget_in_wan(seed_results):
    p, r = _find(seed_results["000"], "车辆保险费", "车辆正常运行率")
    assert p.budget.wan == 0.4 and p.budget.unit == "万元" and p.budget.raw == "0.40"
    assert p.code == "13030322P00397010008F" and p.unit == "山海关区西关街道办事处" and p.year == 2022
    assert p.spending_plan == {"3月底": "25%", "6月底": "50%", "10月底": "75%", "12月底": "100%"}
    assert (r.level1.name, r.level2.name, r.value.op, r.value.number, r.value.unit) == ("产出指标", "质量指标", "≥", 95, "%")
    assert r.basis == "车辆正常运行情况" and r.provenance.line_start == 157


def test_row_split_by_blank_line_is_joined(seed_results):
    # 000 lines 371-377: a blank line falls inside the row; the value and basis belong to it
    p, r = _find(seed_results["000"], "办事处、社区工作经费", "支付经费人数")
    assert (r.description, r.value.raw, r.basis) == ("支付公用经费人数", "49人", "在编人数")
    assert (r.provenance.line_start, r.provenance.line_end) == (371, 377)


def test_yuan_document_normalised_to_wan(seed_results):
    p, r = _find(seed_results["003"], "2019年既有建筑节能改造项目保证金", "绩效评价次数")
    assert p.money_unit == "元" and p.budget.raw == "1207013.28"
    assert p.budget.wan == pytest.approx(120.701328)
    assert (r.value.number, r.value.unit) == (4, "次")
    p, r = _find(seed_results["003"], "地震群测群防岗位津贴", "人均发放水平")
    assert p.budget.wan == pytest.approx(0.33) and (r.value.op, r.value.number, r.value.unit) == ("≥", 180, "元")


def test_garbled_values_keep_raw_text(seed_results):
    p, r = _find(seed_results["003"], "团委综合事务管理经费", "正常运行率")
    assert r.value.raw == "≥95100%" and not r.value.clean and r.value.number is None


def test_tab_per_row_layout(seed_results):
    p, r = _find(seed_results["001"], "安全生产（基层消防）业务经费", "消防专干人数")
    assert p.budget.wan == 5 and p.unit == "永宁县团结西路街道办事处" and p.region == "永宁县" and p.year == 2024
    assert p.attribute == "延续性项目" and p.period == "长期"
    assert r.name_raw == "指标2：消防专干人数" and (r.level1.name, r.level2.name) == ("产出指标", "数量指标")
    assert (r.value.number, r.value.unit) == (1, "人")
    p, r = _find(seed_results["001"], "社区工作者培训费", "工作经费的成本节约")
    assert (r.value.number, r.value.unit, r.level2.name) == (300, "元/人", "成本指标")
    # "社会效益 指标" written in the 一级 column is read as 效益指标, the raw text kept
    p, r = _find(seed_results["001"], "公用巷道、零散小区无人管理小区环境卫生整", "有效改善老旧小区卫生环境情况")
    assert r.level1.name == "效益指标" and r.level1.raw == "社会效益 指标"
    # 妇联: the total is blank in the document; it is not invented from the parts
    p = next(p for p in seed_results["001"].projects if p.name == "基层妇联工作保障经费")
    assert p.budget.wan is None and p.fiscal.wan == 2 and p.other_funds.wan == 2


def test_department_table_with_goals(seed_results):
    goals = seed_results["002"].projects
    assert [p.goal_number for p in goals] == [1, 2, 3, 4]
    assert all(p.kind == "department" and p.budget.wan == 649.4 for p in goals)
    assert goals[1].goals == ["目标2：四个社区包干经费，保障街道社区（居委会）全年各项工作正常开展；"]
    r = next(r for r in goals[1].rows if r.name == "全年对每个社区工作人员补助标准")
    assert (r.value.op, r.value.number, r.value.unit) == ("≤", 6, "万元/人")
    # goal 4's first row lost its label cell in the export; it still lands in goal 4
    assert goals[3].rows[0].name == "惠民社区数量" and goals[3].rows[0].value.raw == "=4个社区"
    sat = goals[2].rows[-1]
    assert (sat.level1.name, sat.level2.name, sat.value.number) == ("满意度指标", "服务对象满意度指标", 100)


def test_symbol_value_unit_columns_with_scoring(seed_results):
    dept = seed_results["004"].projects[0]
    assert dept.kind == "department" and len(dept.rows) == 26
    r = next(r for r in dept.rows if r.name == "社区补贴平均成本")
    assert (r.value.op, r.value.number, r.value.unit, r.value.raw) == ("=", 200000, "元", "=200000元")
    assert r.scoring.startswith("成本每偏离指标值1%") and r.basis == "预算编制"
    r = next(r for r in dept.rows if r.name == "保障宣传效果")
    assert r.value.qualitative == "有效保障" and r.value.number is None
    r = next(r for r in dept.rows if r.name == "楼门栋长人数")
    assert (r.value.op, r.value.number, r.value.unit) == ("=", 355, "名")


def test_004_projects_have_no_budget_table(seed_results):
    p, r = _find(seed_results["004"], "社区及新时代文明实践所房租资金", "保障社区正常运转")
    assert p.budget.wan is None and r.value.qualitative == "有效保障"  # split over two lines in the source
    p, r = _find(seed_results["004"], "维稳经费", "重大活动突发事件发生率")
    assert (r.value.op, r.value.number, r.value.unit) == ("<", 1, "%")
