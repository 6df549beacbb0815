"""Writing tables in the official layout (.xlsx with merged parent cells, .docx), as filed."""

from __future__ import annotations

import re
from pathlib import Path

from .models import IndicatorRow, Project

HEADER = ["一级指标", "二级指标", "三级指标", "绩效指标描述", "指标值", "指标值确定依据"]
_FORMULA_START = ("=", "+", "-", "@")
# control characters are not allowed in the XML of .xlsx/.docx (a \x0b or \x01 makes a broken or
# unwritable file): removed on export, tab and line breaks kept
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    return CONTROL.sub("", value) if isinstance(value, str) else value


def control_chars(projects: list[Project]) -> int:
    """How many control characters an export of `projects` will remove (for the note to the user)."""
    texts = [t for p in projects for cells in _meta_rows(p) for t in cells]
    texts += [t for p in projects for r in p.rows for t in _indicator_cells(r)]
    texts += [p.name for p in projects]
    return sum(len(CONTROL.findall(t)) for t in texts if isinstance(t, str))


def _money(value: float | None) -> str:
    # 6 decimals of 万元 keep amounts exact to the cent (120.701328万元 = 1207013.28元)
    return "" if value is None else f"{value:.6f}".rstrip("0").rstrip(".")


def _meta_rows(p: Project) -> list[list[str]]:
    quarters = ("3月底", "6月底", "10月底", "12月底")
    plan = [["资金支出计划（%）", *quarters, ""], ["", *[p.spending_plan.get(k, "") for k in quarters], ""]]
    return [
        ["项目名称", p.name, "", "项目编码", p.code, ""],
        ["主管部门", p.unit, "", "项目属性", p.attribute, ""],
        ["预算数", _money(p.budget.wan), "其中：财政资金", _money(p.fiscal.wan), "其他资金", _money(p.other_funds.wan)],
        *([["资金用途", p.purpose, "", "", "", ""]] if p.purpose else []),
        *(plan if p.spending_plan else []),
        ["绩效目标", "\n".join(p.goals), "", "", "", ""],
    ]


def _indicator_cells(r: IndicatorRow) -> list[str]:
    return [r.level1.name or r.level1.raw, r.level2.name or r.level2.raw, r.name, r.description, r.value.raw, r.basis]


def _runs(rows: list[IndicatorRow], key) -> list[tuple[int, int]]:
    """Index ranges of consecutive rows sharing a parent cell, to merge them."""
    runs, start = [], 0
    for i in range(1, len(rows) + 1):
        if i == len(rows) or key(rows[i]) != key(rows[start]):
            runs.append((start, i - 1))
            start = i
    return runs



def write_xlsx(projects: list[Project], path: Path | str) -> Path:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = "绩效目标表"
    r = 1

    def put(row: int, col: int, value: str) -> None:
        value = clean_text(value)
        cell = ws.cell(row=row, column=col, value=value)
        if isinstance(value, str) and value.startswith(_FORMULA_START):
            cell.data_type = "s"  # '=100%' is a target value, not a formula to run
        cell.alignment = Alignment(wrap_text=True, vertical="center")

    for n, p in enumerate(projects, 1):
        put(r, 1, f"{n}.{p.name}绩效目标表")
        ws.cell(row=r, column=1).font = Font(bold=True)
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=6)
        r += 1
        put(r, 1, "单位：万元")
        r += 1
        for cells in _meta_rows(p):
            for c, v in enumerate(cells, 1):
                if v:
                    put(r, c, v)
            if cells[0] == "绩效目标":
                ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=6)
            r += 1
        for c, v in enumerate(HEADER, 1):
            put(r, c, v)
            ws.cell(row=r, column=c).font = Font(bold=True)
        r += 1
        first = r
        for row in p.rows:
            for c, v in enumerate(_indicator_cells(row), 1):
                if c > 2 and v:
                    put(r, c, v)
            r += 1
        for col, key in ((1, lambda x: x.level1.name), (2, lambda x: (x.level1.name, x.level2.name))):
            for a, b in _runs(p.rows, key):
                put(first + a, col, _indicator_cells(p.rows[a])[col - 1])
                if b > a:
                    ws.merge_cells(start_row=first + a, start_column=col, end_row=first + b, end_column=col)
        r += 1
    for col, width in zip("ABCDEF", (12, 16, 28, 36, 14, 18)):
        ws.column_dimensions[col].width = width
    path = Path(path)
    wb.save(path)
    return path


def write_docx(projects: list[Project], path: Path | str) -> Path:
    from docx import Document

    doc = Document()
    for n, p in enumerate(projects, 1):
        doc.add_paragraph(clean_text(f"{n}.{p.name}绩效目标表"))
        doc.add_paragraph("单位：万元")
        meta = _meta_rows(p)
        table = doc.add_table(rows=len(meta) + 1 + len(p.rows), cols=6)
        table.style = "Table Grid"
        for i, cells in enumerate(meta):
            for c, v in enumerate(cells):
                table.cell(i, c).text = clean_text(v)
        goal_row = len(meta) - 1
        table.cell(goal_row, 1).merge(table.cell(goal_row, 5)).text = clean_text("\n".join(p.goals))
        h = len(meta)
        for c, v in enumerate(HEADER):
            table.cell(h, c).text = v
        for i, row in enumerate(p.rows, h + 1):
            for c, v in enumerate(_indicator_cells(row)):
                if c > 1:
                    table.cell(i, c).text = clean_text(v)
        for col, key in ((0, lambda x: x.level1.name), (1, lambda x: (x.level1.name, x.level2.name))):
            for a, b in _runs(p.rows, key):
                top = table.cell(h + 1 + a, col)
                cell = top.merge(table.cell(h + 1 + b, col)) if b > a else top
                cell.text = clean_text(_indicator_cells(p.rows[a])[col])
    path = Path(path)
    doc.save(str(path))
    return path
