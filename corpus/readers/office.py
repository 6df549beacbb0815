"""Word (.docx) and Excel (.xlsx) files read directly: table cells in order, merged cells resolved."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ..models import Provenance
from .blocks import Block, ReadError, Row, Text


def docx_blocks(path: Path, source: str) -> list[Block]:
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        doc = Document(str(path))
    except Exception as exc:  # python-docx raises several kinds for a broken package
        raise ReadError(f"{source}: 不是有效的Word文档（.docx），文件可能已损坏或被截断（{type(exc).__name__}）") from exc
    blocks: list[Block] = []
    table_no = para_no = 0
    # Walk the body in document order so that titles stay before their tables.
    for child in doc.element.body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            para_no += 1
            text = Paragraph(child, doc).text.strip()
            if text:
                blocks.append(Text(text=text, where=Provenance(source=source, cell=f"段落{para_no}")))
        elif tag == "tbl":
            table_no += 1
            for r, row in enumerate(Table(child, doc).rows, 1):
                cells: list[str] = []
                seen: set[int] = set()
                for cell in row.cells:
                    # a horizontally merged cell comes back once per grid column: keep it once
                    key = id(cell._tc)
                    cells.append("" if key in seen else cell.text.strip())
                    seen.add(key)
                blocks.append(Row(cells=cells, where=Provenance(source=source, table=table_no, cell=f"第{r}行"), layout="grid"))
    return blocks


def _cell_text(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, (int, float)):
        if "%" in (cell.number_format or ""):
            return f"{value * 100:g}%"
        return f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()
    return str(value).strip()


def xlsx_blocks(path: Path, source: str) -> list[Block]:
    from openpyxl import load_workbook

    from ..limits import MAX_CELLS, MAX_SHEET_ROWS

    try:
        wb = load_workbook(str(path), data_only=True, read_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a broken package
        raise ReadError(f"{source}: 不是有效的Excel文件（.xlsx），文件可能已损坏或被截断（{type(exc).__name__}）") from exc
    blocks: list[Block] = []
    rows = cells_seen = 0
    try:
        for ws in wb.worksheets:
            for r, row in enumerate(ws.iter_rows(), 1):
                rows += 1
                cells_seen += len(row)
                if rows > MAX_SHEET_ROWS:
                    raise ReadError(f"{source}: 工作簿超过{MAX_SHEET_ROWS}行的上限，未读取")
                if cells_seen > MAX_CELLS:
                    raise ReadError(f"{source}: 工作簿超过{MAX_CELLS}个单元格的上限，未读取")
                cells = [_cell_text(c) for c in row]
                while cells and not cells[-1]:
                    cells.pop()
                if cells:
                    blocks.append(Row(cells=cells, where=Provenance(source=source, sheet=ws.title, cell=f"第{r}行"), layout="grid"))
    finally:
        wb.close()
    return blocks

