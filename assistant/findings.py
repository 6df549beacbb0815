"""What the validator reports: one Finding per problem, named by rule, row and place.

One numbering: a row is always called by its position in the table (第N行, 1-based position in
project.rows, the number the chat and the pages use), with the place in the user's file beside
it in brackets: "第3行（工作表「绩效目标表」第9行）". `row_label` writes it; every message of a
row-level finding starts with it.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Severity = Literal["error", "warning", "hint"]

SEVERITY_ORDER: dict[str, int] = {"error": 0, "warning": 1, "hint": 2}
SEVERITY_LABEL: dict[str, str] = {"error": "错误", "warning": "警告", "hint": "提示"}


class Evidence(BaseModel):
    """A comparable row from another table, shown so the user can judge the suggestion."""

    value: str  # 指标值 as published
    row_name: str  # 三级指标
    project: str
    unit: str = ""  # the unit (单位) that published it
    where: str = ""  # provenance: file and line / cell


class Finding(BaseModel):
    rule: str  # e.g. "structure.missing_level1"
    severity: Severity
    message: str  # Chinese, names the row and where it is
    fix: str = ""  # suggested correction ("" when none can be suggested)
    row_index: int | None = None  # index into project.rows; None for table-level findings
    row_name: str = ""
    where: str = ""
    project: str = ""  # project name, for grouping in reports
    source: str = ""  # document the project came from
    evidence: list[Evidence] = Field(default_factory=list)

    @property
    def is_error(self) -> bool:
        return self.severity == "error"


def sort_key(f: Finding) -> tuple:
    """Table-level findings first, then by row, then by severity."""
    return (-1 if f.row_index is None else f.row_index, SEVERITY_ORDER[f.severity], f.rule)


def place_in_file(provenance) -> str:
    """Where a row sits in its file, without the file name: "工作表「绩效目标表」第9行",
    "原文第268-273行", "Word表2 第5行"; "" when the row has no place (a draft)."""
    p = provenance
    if p.line_start is not None:
        span = f"{p.line_start}-{p.line_end}" if p.line_end and p.line_end != p.line_start else f"{p.line_start}"
        return f"原文第{span}行"
    if p.sheet is not None:
        return f"工作表「{p.sheet}」{p.cell or ''}"
    if p.table is not None:
        return f"Word表{p.table} {p.cell or ''}".rstrip()
    return ""


def row_label(index: int, provenance=None) -> str:
    """The one way a row is named: "第3行（工作表「绩效目标表」第9行）" (index is 0-based)."""
    place = place_in_file(provenance) if provenance is not None else ""
    return f"第{index + 1}行" + (f"（{place}）" if place else "")


def detail(f: Finding) -> str:
    """The message without its row prefix ("第3行（…）「name」："), for places that name the row
    themselves (a table's 校验 column, a report grouped by row)."""
    if f.row_index is not None:
        mark = f"「{f.row_name}」："
        at = f.message.find(mark)
        if f.message.startswith(f"第{f.row_index + 1}行") and at >= 0:
            return f.message[at + len(mark):]
    return f.message
