"""A review that reads like a reviewer's report: one table's verdict, the reasons for it, and the
findings grouped by severity, each with its fix — the same report for `jixiao check` and the 审核 page,
exportable as .xlsx and .docx.

One numbering: every finding of a row is named by the row's position in the table (第N行, 1-based
position in project.rows) with the place in the user's file beside it, "第3行（工作表「绩效目标表」第9行）"
(assistant.findings.row_label); the file's own row numbers never appear on their own.

Verdict (`verdict_of`), decided from the findings alone, first match wins:

1. 需退回重报 (return) when any of
   - an error in the table's structure or the form of a value (rules `structure.*`, `value.*`):
     the table must be rebuilt, not touched up;
   - an error of a reviewer rule (`reviewer.*`, e.g. reviewer.cost_sum: the cost rows together exceed
     the budget);
   - more than FEW_ERRORS (3) errors, or any error that comes without a suggested fix;
   - MANY_REVIEWER_WARNINGS (3) or more warnings of the reviewer rules (rows not about the project,
     filler, the wrong party's satisfaction, …): the table is largely not about its project.
2. 修改后提交 (revise) when there are warnings, or up to FEW_ERRORS errors (none of the kinds above),
   each with a fix.
3. 可以提交 (submit) when there is no error and no warning (hints do not count).

`reasons` lists, in that order, every condition that applied, naming the rules and rows.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

from corpus.models import Project

from .findings import (
    SEVERITY_LABEL,
    SEVERITY_ORDER,
    Finding,
    detail,
    place_in_file,
    row_label,
)
from .rules import REGISTRY

Verdict = Literal["submit", "revise", "return"]
VERDICT_LABEL: dict[str, str] = {"submit": "可以提交", "revise": "修改后提交", "return": "需退回重报"}
FEW_ERRORS = 3  # more errors than this: back to the unit
MANY_REVIEWER_WARNINGS = 3  # this many reviewer-rule warnings: back to the unit
RETURN_FAMILIES = ("structure.", "value.")  # an error here means the table must be rebuilt
REVIEWER_FAMILY = "reviewer."


class ReportItem(BaseModel):
    """One finding as the report shows it."""

    severity: str
    severity_label: str
    rule: str
    rule_title: str = ""
    row: int | None = None  # 1-based position in the table; None for the whole table
    place: str = ""  # where the row is in the file ("工作表「绩效目标表」第9行"), "" for a draft
    label: str  # "第3行（工作表「绩效目标表」第9行）" or "全表"
    indicator: str = ""  # 三级指标
    value: str = ""  # 指标值 as written
    text: str  # the finding without the row prefix
    fix: str = ""

    def line(self) -> str:
        """'第3行（工作表「绩效目标表」第9行）「居民满意度」指标值「≥100%」：…' — one line of the report."""
        if self.row is None:
            return f"全表：{self.text}"
        value = f"指标值「{self.value}」" if self.value else ""
        return f"{self.label}「{self.indicator}」{value}：{self.text}"


class ReviewReport(BaseModel):
    source: str  # the file (or "草稿")
    project: str
    goal_number: int | None = None
    unit: str = ""
    year: int | None = None
    budget: str = "未列"  # "40万元"
    place: str = ""  # where the table is in the file
    rows: int = 0
    verdict: Verdict
    verdict_label: str
    reasons: list[str] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)  # error, warning, hint: every one present
    groups: dict[str, list[ReportItem]] = Field(default_factory=dict)  # by severity, every one present

    @property
    def items(self) -> list[ReportItem]:
        return [i for s in SEVERITY_ORDER for i in self.groups.get(s, [])]

    @property
    def title(self) -> str:
        goal = f"（目标{self.goal_number}）" if self.goal_number else ""
        return f"{self.project}{goal}"


# ---- the verdict ------------------------------------------------------------------------

def _rows_of(findings: Iterable[Finding]) -> str:
    rows = sorted({f.row_index + 1 for f in findings if f.row_index is not None})
    return ("，第" + "、".join(map(str, rows)) + "行") if rows else ""


def _titles(findings: Sequence[Finding]) -> str:
    seen: dict[str, None] = {}
    for f in findings:
        seen.setdefault(REGISTRY[f.rule].title if f.rule in REGISTRY else f.rule)
    return "；".join(seen)


def verdict_of(findings: Sequence[Finding]) -> tuple[Verdict, list[str]]:
    """The verdict on a table and the reasons for it (rule in the module docstring)."""
    errors = [f for f in findings if f.severity == "error"]
    warnings = [f for f in findings if f.severity == "warning"]
    form = [f for f in errors if f.rule.startswith(RETURN_FAMILIES)]
    reviewer_errors = [f for f in errors if f.rule.startswith(REVIEWER_FAMILY)]
    no_fix = [f for f in errors if not f.fix.strip()]
    reviewer_warnings = [f for f in warnings if f.rule.startswith(REVIEWER_FAMILY)]
    back = []
    if form:
        back.append(f"结构或指标值写法有{len(form)}处错误（{_titles(form)}{_rows_of(form)}），须重新编制")
    if reviewer_errors:
        back.append(f"审核规则指出{len(reviewer_errors)}处错误（{_titles(reviewer_errors)}{_rows_of(reviewer_errors)}）")
    if len(errors) > FEW_ERRORS:
        back.append(f"共{len(errors)}处错误，超过{FEW_ERRORS}处")
    if no_fix:
        back.append(f"{len(no_fix)}处错误没有可给出的修改建议（{_titles(no_fix)}{_rows_of(no_fix)}）")
    if len(reviewer_warnings) >= MANY_REVIEWER_WARNINGS:
        back.append(f"审核规则警告{len(reviewer_warnings)}处（{_titles(reviewer_warnings)}），达到{MANY_REVIEWER_WARNINGS}处："
                    "较多指标不是本项目的")
    if back:
        return "return", back
    if errors or warnings:
        reasons = []
        if errors:
            reasons.append(f"{len(errors)}处错误（{_titles(errors)}{_rows_of(errors)}），均有修改建议")
        if warnings:
            reasons.append(f"{len(warnings)}处警告（{_titles(warnings)}{_rows_of(warnings)}）")
        return "revise", reasons
    hints = sum(f.severity == "hint" for f in findings)
    return "submit", ["没有错误和警告" + (f"；{hints}处提示可酌情修改" if hints else "")]


# ---- building the report ------------------------------------------------------------------

def _text_of(f: Finding, project: Project) -> str:
    """The message without its row (or project) prefix: the report names the row once, itself."""
    if f.row_index is not None:
        return detail(f)
    prefix = f"项目「{project.name}」（{project.provenance.where()}）："
    return f.message.removeprefix(prefix)


def _item(f: Finding, project: Project) -> ReportItem:
    rule = REGISTRY.get(f.rule)
    common = {"severity": f.severity, "severity_label": SEVERITY_LABEL[f.severity], "rule": f.rule,
              "rule_title": rule.title if rule else "", "text": _text_of(f, project), "fix": f.fix}
    if f.row_index is None or f.row_index >= len(project.rows):
        return ReportItem(label="全表", **common)
    r = project.rows[f.row_index]
    return ReportItem(row=f.row_index + 1, place=place_in_file(r.provenance), label=row_label(f.row_index, r.provenance),
                      indicator=r.name, value=r.value.raw.strip(), **common)


def build_report(project: Project, findings: Sequence[Finding]) -> ReviewReport:
    """The reviewer's report on one table from its validator findings."""
    verdict, reasons = verdict_of(findings)
    groups = {s: [_item(f, project) for f in findings if f.severity == s] for s in SEVERITY_ORDER}
    return ReviewReport(
        source=project.source, project=project.name, goal_number=project.goal_number, unit=project.unit,
        year=project.year, budget=f"{project.budget.wan:g}万元" if project.budget.wan is not None else "未列",
        place=project.provenance.where(), rows=len(project.rows), verdict=verdict,
        verdict_label=VERDICT_LABEL[verdict], reasons=reasons,
        counts={s: len(groups[s]) for s in SEVERITY_ORDER}, groups=groups)


def report_of_review(review) -> ReviewReport:
    """The report of an assistant.review.ProjectReview (the 审核 page's review of one table)."""
    return build_report(review.project, review.findings)


def report_text(report: ReviewReport, min_severity: str = "hint") -> str:
    """The report as plain text, for the terminal."""
    head = f"■ {report.title}（{report.unit or '单位未列'}，预算{report.budget}；{report.place}）"
    lines = [head, f"  结论：{report.verdict_label}"]
    lines += [f"    · {r}" for r in report.reasons]
    shown = 0
    for s in SEVERITY_ORDER:
        items = report.groups.get(s, [])
        if not items or SEVERITY_ORDER[s] > SEVERITY_ORDER[min_severity]:
            continue
        lines.append(f"  {SEVERITY_LABEL[s]}（{len(items)}）：")
        for it in items:
            lines.append(f"    [{it.severity_label}] {it.line()}（{it.rule}）")
            if it.fix:
                lines.append(f"        建议：{it.fix}")
            shown += 1
    if not shown:
        lines.append("  未发现问题" if not report.items else "  （其余为较低级别的提示，未显示）")
    lines.append("  小计：" + "，".join(f"{SEVERITY_LABEL[s]}{report.counts.get(s, 0)}" for s in SEVERITY_ORDER))
    return "\n".join(lines)


# ---- a pile of files ------------------------------------------------------------------------

class FileReview(BaseModel):
    """One file of a reviewer's pile: its tables' reports, or why it could not be read."""

    file: str
    reports: list[ReviewReport] = Field(default_factory=list)
    problem: str = ""  # set when the file could not be read (then there are no reports)
    notes: list[str] = Field(default_factory=list)  # what was skipped while reading

    @property
    def readable(self) -> bool:
        return not self.problem


def collect_files(paths: Sequence[Path | str]) -> list[Path]:
    """The files to review: each given file, and every .txt/.docx/.xlsx under each given folder
    (sorted; Office lock files ~$… left out). A named file is kept whatever its suffix, so that
    one that cannot be read is reported, not silently dropped."""
    from corpus.parse import SUPPORTED_SUFFIXES

    out: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            out += sorted(f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES
                          and not f.name.startswith("~$"))
        else:
            out.append(p)
    return out


def _unnamed(message: str, file: str) -> str:
    """A reader's message without the file name it starts with (the summary names the file)."""
    for lead in (f"{file}: ", f"{file}：", f"{file} "):
        if message.startswith(lead):
            return message[len(lead):]
    return message


def review_file(path: Path | str, corpus, label: str | None = None, index=None) -> FileReview:
    """Read one file and report on each of its tables (precedents from `corpus` when given; the
    file's other tables as siblings). A file that cannot be read gives a FileReview with `problem`."""
    from corpus.parse import parse_path

    from .review import check_document

    path = Path(path)
    name = label or str(path)
    try:
        result = parse_path(path)
    except Exception as e:  # noqa: BLE001 - one bad file must not stop the pile
        return FileReview(file=name, problem=f"{type(e).__name__}: {e}")
    if not result.projects:
        why = "；".join(_unnamed(i.message, path.name) for i in result.issues) or "文件中没有绩效目标表"
        return FileReview(file=name, problem=why)
    reports = [build_report(p, fs) for p, fs in check_document(result, corpus, index)]
    return FileReview(file=name, reports=reports, notes=[f"{i.where}：{i.message}" for i in result.issues])


def review_upload_report(upload) -> FileReview:
    """The FileReview of an assistant.review.UploadReview (the 审核 page's upload of one file)."""
    errors = [i for i in upload.issues if i.severity == "error"]
    if not upload.projects:
        why = "；".join(_unnamed(i.message, upload.source) for i in errors or upload.issues) or "文件中没有绩效目标表"
        return FileReview(file=upload.source, problem=why)
    return FileReview(file=upload.source, reports=[report_of_review(p) for p in upload.projects],
                      notes=[f"{i.where}：{i.message}" for i in upload.issues])


SUMMARY_COLUMNS = ["文件", "项目", "错误", "警告", "结论"]


def summary_rows(files: Sequence[FileReview]) -> list[dict[str, str]]:
    """One row per table (and one per unreadable file): 文件, 项目, 错误, 警告, 结论 — all text."""
    rows = []
    for fr in files:
        if fr.problem:
            rows.append({"文件": fr.file, "项目": f"（无法读取：{fr.problem}）", "错误": "—", "警告": "—",
                         "结论": "无法读取"})
        for r in fr.reports:
            rows.append({"文件": fr.file, "项目": r.title, "错误": str(r.counts.get("error", 0)),
                         "警告": str(r.counts.get("warning", 0)), "结论": r.verdict_label})
    return rows


# ---- exports -----------------------------------------------------------------------------------

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ITEM_COLUMNS = ["文件", "项目", "级别", "行", "文件中的位置", "三级指标", "指标值", "问题", "修改建议", "规则"]
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]+')


def safe_file_name(stem: str, suffix: str, limit: int = 60) -> str:
    """A file name that is safe on Windows and Linux: no path separators or reserved characters,
    no leading dots or spaces, at most `limit` characters before the suffix."""
    name = _UNSAFE.sub("_", stem).strip(" ._") or "审核意见"
    return name[:limit].rstrip(" .") + suffix


def report_file_name(reports: Sequence[ReviewReport], suffix: str) -> str:
    """审核意见_项目名.xlsx for one table, 审核意见_N个表.xlsx for several."""
    stem = f"审核意见_{reports[0].title}" if len(reports) == 1 else f"审核意见_{len(reports)}个表"
    return safe_file_name(stem, suffix)


def _item_cells(r: ReviewReport, it: ReportItem) -> list[str]:
    return [r.source, r.title, it.severity_label, it.label if it.row is not None else "全表", it.place,
            it.indicator, it.value, it.text, it.fix, it.rule]


def write_report_xlsx(reports: Sequence[ReviewReport], target: Path | str | io.BytesIO) -> Path | io.BytesIO:
    """Sheet 审核结论 (one row per table: verdict, counts, reasons) and sheet 问题清单 (one row per
    finding). Every cell is written as text, so "=100%" stays a value, not a formula."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    summary = wb.active
    summary.title = "审核结论"
    issues = wb.create_sheet("问题清单")

    def put(ws, row: int, values: Sequence[str], bold: bool = False) -> None:
        for c, v in enumerate(values, 1):
            cell = ws.cell(row=row, column=c)
            cell.value = "" if v is None else str(v)
            cell.data_type = "s"
            cell.number_format = "@"
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if bold:
                cell.font = Font(bold=True)

    put(summary, 1, ["文件", "项目", "单位", "预算", "指标行", "结论", "错误", "警告", "提示", "理由"], bold=True)
    for n, r in enumerate(reports, 2):
        put(summary, n, [r.source, r.title, r.unit, r.budget, str(r.rows), r.verdict_label,
                         *(str(r.counts.get(s, 0)) for s in SEVERITY_ORDER), "\n".join(r.reasons)])
    put(issues, 1, ITEM_COLUMNS, bold=True)
    n = 2
    for r in reports:
        for it in r.items:
            put(issues, n, _item_cells(r, it))
            n += 1
    for ws, widths in ((summary, (24, 28, 24, 10, 8, 12, 6, 6, 6, 60)),
                       (issues, (24, 24, 6, 30, 24, 24, 14, 50, 50, 28))):
        for c, w in enumerate(widths, 1):
            ws.column_dimensions[chr(64 + c)].width = w
        ws.freeze_panes = "A2"
    if not isinstance(target, io.BytesIO):
        target = Path(target)
    wb.save(target)
    return target


def write_report_docx(reports: Sequence[ReviewReport], target: Path | str | io.BytesIO) -> Path | io.BytesIO:
    """A Word document: per table its title, verdict and reasons, then a table of findings per
    severity (行, 三级指标, 指标值, 问题, 修改建议)."""
    from docx import Document

    doc = Document()
    doc.add_heading("绩效目标表审核意见", level=1)
    for r in reports:
        doc.add_heading(r.title, level=2)
        doc.add_paragraph(f"文件：{r.source}　单位：{r.unit or '未列'}　预算：{r.budget}　指标行：{r.rows}")
        doc.add_paragraph(f"结论：{r.verdict_label}")
        for reason in r.reasons:
            doc.add_paragraph(reason, style="List Bullet")
        for s in SEVERITY_ORDER:
            items = r.groups.get(s, [])
            if not items:
                continue
            doc.add_paragraph(f"{SEVERITY_LABEL[s]}（{len(items)}）")
            table = doc.add_table(rows=1 + len(items), cols=5)
            table.style = "Table Grid"
            for c, h in enumerate(["行", "三级指标", "指标值", "问题", "修改建议"]):
                table.cell(0, c).text = h
            for k, it in enumerate(items, 1):
                for c, v in enumerate([it.label, it.indicator, it.value, f"{it.text}（{it.rule}）", it.fix]):
                    table.cell(k, c).text = v
        if not r.items:
            doc.add_paragraph("未发现问题。")
    if not isinstance(target, io.BytesIO):
        target = Path(target)
        doc.save(str(target))
    else:
        doc.save(target)
    return target


def report_bytes(reports: Sequence[ReviewReport], fmt: str) -> bytes:
    """The report as .xlsx or .docx bytes (for a download button)."""
    buf = io.BytesIO()
    (write_report_xlsx if fmt == "xlsx" else write_report_docx)(reports, buf)
    return buf.getvalue()
