"""Real .docx/.xlsx files, generated here, parse back to the same rows."""


import pytest

from corpus.export import write_docx, write_xlsx
from corpus.parse import parse_path


def _key(p):
    return [(r.level1.name, r.level2.name, r.name, r.description, r.value.raw, r.basis) for r in p.rows]


@pytest.fixture(scope="module")
def sample_projects(seed_results):
    # one table of each seed layout: cell-per-line (万元 and 元), tab-per-row, department goals
    return [seed_results["000"].projects[0], seed_results["003"].projects[6],
            seed_results["001"].projects[3], seed_results["002"].projects[1],
            seed_results["004"].projects[5]]


@pytest.mark.parametrize("writer, suffix", [(write_xlsx, ".xlsx"), (write_docx, ".docx")])
def test_official_layout_round_trip(tmp_path, sample_projects, writer, suffix):
    path = writer(sample_projects, tmp_path / f"表{suffix}")
    result = parse_path(path)
    assert not result.issues
    assert [p.name for p in result.projects] == [p.name for p in sample_projects]
    for want, got in zip(sample_projects, result.projects):
        assert _key(got) == _key(want)
        assert got.budget.wan == pytest.approx(want.budget.wan) if want.budget.wan else got.budget.wan is None
        assert got.goals == want.goals and got.code == want.code
    # provenance points into the file: sheet row or table row
    first = result.projects[0].rows[0].provenance
    assert (first.sheet or first.table) and first.cell.startswith("第")


def test_xlsx_formula_like_values_stay_text(tmp_path, seed_results):
    from openpyxl import load_workbook

    project = seed_results["002"].projects[0]  # values such as "=8.73亩", "=100%"
    path = write_xlsx([project], tmp_path / "t.xlsx")
    ws = load_workbook(path).active
    cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str) and c.value.startswith("=")]
    assert cells and all(c.data_type == "s" for c in cells)


def test_hand_built_docx_with_symbol_columns_and_vertical_merges(tmp_path):
    from docx import Document

    doc = Document()
    doc.add_paragraph("1.社区居家养老服务站运营绩效目标表")
    doc.add_paragraph("单位：元")
    meta = doc.add_table(rows=2, cols=4)
    for (r, c), text in {(0, 0): "项目名称", (0, 1): "社区居家养老服务站运营", (0, 2): "项目编码",
                         (0, 3): "X-01", (1, 0): "预算数", (1, 1): "400000", (1, 2): "其中：财政资金",
                         (1, 3): "400000"}.items():
        meta.cell(r, c).text = text
    head = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "评（扣）分标准", "指标值", "", "", "指标值确定依据"]
    sub = ["", "", "", "", "", "符号", "值", "单位", ""]
    data = [
        ["产出指标", "数量指标", "服务老人人数", "服务的老年人数量", "全部完成得满分", "≥", "350", "人", "工作计划"],
        ["", "质量指标", "服务合格率", "服务质量达标", "每降1%扣1分", "≥", "95", "%", "行业标准"],
        ["", "成本指标", "人均服务成本", "每名老人年服务费用", "超支不得分", "≤", "1142", "元/人", "预算支出标准"],
        ["满意度指标", "服务对象满意度指标", "老人满意度", "满意和较满意占比", "低于80%不得分", "≥", "90", "%", "其他"],
    ]
    t = doc.add_table(rows=2 + len(data), cols=9)
    for r, cells in enumerate([head, sub, *data]):
        for c, text in enumerate(cells):
            t.cell(r, c).text = text
    t.cell(0, 5).merge(t.cell(0, 7)).text = "指标值"  # horizontal merge over 符号/值/单位
    t.cell(2, 0).merge(t.cell(4, 0)).text = "产出指标"  # vertical merge of the 一级 cell
    path = tmp_path / "hand.docx"
    doc.save(path)

    result = parse_path(path)
    assert not result.issues
    (p,) = result.projects
    assert p.name == "社区居家养老服务站运营" and p.money_unit == "元" and p.budget.wan == 40
    assert [(r.level1.name, r.level2.name, r.name, r.value.op, r.value.number, r.value.unit) for r in p.rows] == [
        ("产出指标", "数量指标", "服务老人人数", "≥", 350, "人"),
        ("产出指标", "质量指标", "服务合格率", "≥", 95, "%"),
        ("产出指标", "成本指标", "人均服务成本", "≤", 1142, "元/人"),
        ("满意度指标", "服务对象满意度指标", "老人满意度", "≥", 90, "%"),
    ]
    assert p.rows[0].scoring == "全部完成得满分" and p.rows[2].basis == "预算支出标准"
    assert p.rows[1].provenance.table == 2


def test_hand_built_xlsx_with_number_cells_and_merged_parents(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "项目表"
    ws.append(["2.社区环境整治绩效目标表"])
    ws.append(["项目名称", "社区环境整治", "预算数（万元）", 12.5])
    ws.append(["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"])
    ws.append(["产出指标", "数量指标", "整治小区数量", "整治的小区个数", "≥6个", "计划标准"])
    ws.append([None, "质量指标", "验收合格率", "验收合格比例", 1, "行业标准"])
    ws["E5"].number_format = "0%"  # a percentage typed as a number in Excel
    ws.append([None, "时效指标", "完成时间", "整治完成月份", "≤10月份", "计划标准"])
    ws.merge_cells("A4:A6")
    ws.append(["效益指标", "生态效益指标", "垃圾清运率", "清运垃圾占产生量比例", "≥95%", "历史标准"])
    path = tmp_path / "hand.xlsx"
    wb.save(path)

    (p,) = parse_path(path).projects
    assert p.name == "社区环境整治" and p.budget.wan == 12.5
    assert [(r.level1.name, r.level2.name, r.value.text()) for r in p.rows] == [
        ("产出指标", "数量指标", "≥6个"), ("产出指标", "质量指标", "100%"),
        ("产出指标", "时效指标", "≤10月份"), ("效益指标", "生态效益指标", "≥95%"),
    ]
    assert p.rows[1].provenance.sheet == "项目表" and p.rows[1].provenance.cell == "第5行"
