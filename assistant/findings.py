"""What the validator reports: one Finding per problem, named by rule, row and place."""

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
