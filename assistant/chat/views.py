"""Answers that read the draft without changing it: explain a row, list the precedents, validate."""

from __future__ import annotations

from corpus.sources import source_label

from ..drafting.convert import check_draft
from .replies import finding_line, findings_summary
from .state import EXAMPLE, ChatError, ChatState, Reply, Services, chat_action, need_draft, row_of


@chat_action("explain")
def explain_row(state: ChatState, row_id: int) -> Reply:
    """Why this row and this value: how it was set and the precedents (with their sources)."""
    need_draft(state)
    pos, r = row_of(state, row_id)
    state.focus_row = r.id
    lines = [f"第{pos}行「{r.name}」（{r.level1}/{r.level2}）{'建议' if r.status == 'suggested' else '当前'}值 "
             f"**{r.value.raw or '（空）'}**，依据：{r.basis}。",
             f"取值方法：{r.how or '—'}。{len(r.evidence)} 条先例，来自 {r.agree} 个项目，置信度 {r.confidence:.0%}。"]
    if r.status in ("edited",) and r.how == "由用户填写":
        lines.append("（此值由你填写；下列先例是原建议所依据的。）")
    if r.description:
        lines.append(f"描述：{r.description}")
    if r.note:
        lines.append(f"注意：{r.note}")
    if r.standard:
        lines.append(f"来源：{r.standard}")
    if r.evidence:
        lines.append("先例：")
        lines += [f"- {p.name}：{p.value or '（空）'}（{source_label(p.unit, p.year, p.source, p.project, p.where)}）"
                  for p in r.evidence]
    elif not r.standard:
        lines.append("没有记录先例：这一行不是由先例提出的，请自行核实。")
    if r.alternatives:
        lines.append("可替换为：" + "；".join(f"{i}. {a.name} {a.value.raw}（{a.agree}个项目）"
                                          for i, a in enumerate(r.alternatives, 1))
                     + f"。说「第{pos}行用备选1」即可替换。")
    return Reply(text="\n".join(lines), action="explain")


@chat_action("precedents")
def list_precedents(state: ChatState, services: Services | None = None) -> Reply:
    """The comparable projects the draft stands on, with the reasons and their sources."""
    if state.draft is None:
        raise ChatError(f"还没有草稿，也就还没有可比项目。请先描述项目，例如「{EXAMPLE}」。")
    d = state.draft
    if not d.comparables:
        return Reply(text="语料中没有找到可比项目，草稿因此没有依据。可以补充项目描述（名称、目标、预算）后重新起草。",
                     action="precedents")
    lines = [f"起草参考了 {len(d.comparables)} 个可比项目（按相似程度排序）："]
    for i, c in enumerate(d.comparables, 1):
        budget = f"{c.budget_wan:g}万元" if c.budget_wan is not None else "预算未列"
        lines.append(f"{i}. 「{c.name}」｜{c.unit} {c.year or ''}｜{budget}｜{c.project_type}\n"
                     f"   理由：{'；'.join(c.reasons)}\n   出处：{c.where or c.source}")
    lines.append("说「解释第N行」可看某一行具体用了哪些先例。")
    return Reply(text="\n".join(lines), action="precedents")


@chat_action("validate")
def validate_draft(state: ChatState, services: Services | None = None) -> Reply:
    """The validator's findings on the draft, summarised and listed per row."""
    d = need_draft(state)
    findings = check_draft(d, services.corpus if services else None, services.indexes if services else None)
    if not findings:
        return Reply(text=f"校验通过：{len(d.rows)} 行都没有发现问题。", action="validate")
    lines = [f"校验结果：{findings_summary(findings)}。"]
    whole = [f for f in findings if f.row_index is None]
    if whole:
        lines.append("整表：")
        lines += [finding_line(f) for f in whole]
    for i, r in enumerate(d.rows):
        mine = [f for f in findings if f.row_index == i]
        if mine:
            lines.append(f"第{i + 1}行「{r.name}」：")
            lines += [finding_line(f) for f in mine]
    return Reply(text="\n".join(lines), action="validate", findings=findings)
