"""Reply text: the profile line, the markdown table, findings summarised and listed, help."""

from __future__ import annotations

from ..drafting.convert import check_draft
from ..drafting.models import Draft
from ..drafting.profile import ProjectProfile
from ..findings import SEVERITY_LABEL, Finding
from .state import CAPABILITIES, STATUS_LABEL, ChatState, Reply, Services, position_of


def _cell(text: str) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def _budget_text(p: ProjectProfile) -> str:
    b = p.budget
    if b.wan is None:
        return "未给出"
    return b.raw if b.raw and b.unit == "元" else f"{b.wan:g}万元"


def profile_text(p: ProjectProfile, label: str = "") -> str:
    parts = [f"项目：**{p.name}**", f"预算：{_budget_text(p)}"]
    if p.goal:
        parts.append(f"目标：{p.goal}")
    if p.quantities:
        parts.append("数量：" + "、".join(q.raw for q in p.quantities))
    if label:
        parts.append(f"类型：{label}")
    if p.unit:
        parts.append(f"单位：{p.unit}")
    if p.year:
        parts.append(f"年度：{p.year}")
    return "｜".join(parts)


def table(d: Draft) -> str:
    lines = ["| 行 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 依据 | 先例项目 | 状态 |",
             "|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(d.rows, 1):
        lines.append(f"| {i} | {r.level1} | {r.level2} | {_cell(r.name)} | {_cell(r.value.raw) or '（待填）'} | "
                     f"{r.basis} | {r.agree} | {STATUS_LABEL.get(r.status, r.status)} |")
    return "\n".join(lines)


def findings_summary(findings: list[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABEL}
    return "，".join(f"{SEVERITY_LABEL[s]} {n} 条" for s, n in counts.items() if n) or "没有发现问题"


def row_findings(state: ChatState, services: Services | None, row_id: int) -> list[Finding]:
    pos = position_of(state, row_id)
    return [f for f in check_draft(state.draft, services.corpus if services else None,
                                      services.indexes if services else None) if f.row_index == pos - 1]


def finding_line(f: Finding) -> str:
    """'- [错误] message（建议：fix）'"""
    return f"- [{SEVERITY_LABEL[f.severity]}] {f.message}" + (f"（建议：{f.fix}）" if f.fix else "")


def with_findings(text: str, findings: list[Finding]) -> str:
    """A row reply followed by what the validator says about that row (hints left out)."""
    shown = [f for f in findings if f.severity != "hint"]
    if not shown:
        return text
    return text + "\n\n校验提示：\n" + "\n".join(finding_line(f) for f in shown)


def help_text() -> Reply:
    return Reply(text="我是绩效目标表起草助手，每条建议都来自已公开的同类项目（先例）。\n\n" + CAPABILITIES
                 + "\n\n行号按表中显示的顺序，可以写「第3行」或「第三行」。", action="help")
