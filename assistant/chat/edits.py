"""Editing actions on rows: replace, set a value, edit a cell, add, remove, accept, pick an alternative."""

from __future__ import annotations

import re

from corpus import categories as cat
from corpus.values import parse_target_value, unit_family

from .. import domain
from ..drafting import engine
from ..drafting.models import SuggestedRow
from ..rules.fit import cost_needs_money, rate_needs_percent
from .replies import row_findings, with_findings
from .rows import further, insert_in_slot, new_row, same_name, swap, taken, usable_name
from .slots import slot_name
from .state import (
    EDIT_FIELDS, EXAMPLE, FIELD_LABEL, ChatError, ChatState, Reply, Services, chat_action, need_draft, row_of,
)


@chat_action("replace_row")
def replace_row(state: ChatState, row_id: int, services: Services) -> Reply:
    """Replace a row by its best alternative not already in the draft; the row keeps its position."""
    need_draft(state)
    pos, row = row_of(state, row_id)
    _keep_own_quantity(pos, row)
    choice = next((a for a in row.alternatives if not taken(state.draft, a.name, row.id)
                   and not same_name(a.name, row.name)), None)
    if choice is None:
        clusters = engine.slot_clusters(state.draft, row.level2, services.indexes)
        more = further(row.level2, clusters, state.draft, [row.name], 1, state.draft.profile)
        if not more:
            raise ChatError(f"第{pos}行「{row.name}」没有别的{row.level2}先例可换了。"
                            f"可以直接改：「第{pos}行名称改为…」「第{pos}行改为…」。")
        choice = more[0]
    old_name, old_value = row.name, row.value.raw
    new = swap(state, row, choice, services)
    state.focus_row = new.id
    text = (f"第{pos}行已由「{old_name}」（{old_value or '待填'}）换为「{new.name}」：{new.value.raw or '（待填）'}"
            f"（依据：{new.basis}，{new.agree}个项目采用）。")
    if new.alternatives:
        text += "\n其他备选：" + "；".join(f"{i}. {a.name} {a.value.raw}" for i, a in enumerate(new.alternatives, 1))
    findings = row_findings(state, services, new.id)
    return Reply(text=with_findings(text, findings), action="replace_row", changed=True, findings=findings)


@chat_action("replace_slot")
def replace_slot(state: ChatState, level2: str, services: Services) -> Reply:
    """Replace the row of this 二级 (the focused one if it is in the slot, else the slot's first)."""
    d = need_draft(state)
    level2 = slot_name(level2)
    rows = [r for r in d.rows if r.level2 == level2]
    if not rows:
        reply = add_row(state, level2, services)
        reply.text = f"草稿里还没有{level2}，已为你增加一行。\n" + reply.text
        reply.action = "replace_slot"
        return reply
    row = next((r for r in rows if r.id == state.focus_row), rows[0])
    reply = replace_row(state, row.id, services)
    reply.action = "replace_slot"
    return reply


@chat_action("set_value")
def set_value(state: ChatState, row_id: int, value: str, services: Services | None = None) -> Reply:
    """Set a row's 指标值; a value that does not parse cleanly is refused and the old one kept."""
    need_draft(state)
    pos, row = row_of(state, row_id)
    state.focus_row = row.id
    value = re.sub(r"\s+", "", str(value or "")).strip("「」“”\"'")
    parsed = parse_target_value(value)
    if not parsed.clean:
        raise ChatError(f"「{value}」不是可用的指标值（{parsed.problem or '无法识别'}），第{pos}行仍为"
                        f"「{row.value.raw or '（空）'}」。请写成 运算符+数字+单位，例如 ≥95%、≥350人、≤12月份。")
    _same_count_unit(pos, row, parsed)
    warn = _value_doubts(row, parsed)
    old = row.value.raw
    row.value = parsed
    row.how = "由用户填写"
    if row.level2 == cat.QUANTITY:
        row.quantity = value  # the user's own count: no precedent replaces it
    row.status = "edited"
    text = f"第{pos}行「{row.name}」的指标值已由「{old or '（空）'}」改为「{value}」。"
    if warn:
        text += f"\n注意：{warn}"
    findings = row_findings(state, services, row.id)
    return Reply(text=with_findings(text, findings), action="set_value", changed=True, findings=findings)


def _keep_own_quantity(pos: int, row: SuggestedRow) -> None:
    """A row that carries the user's own quantity is not swapped for another project's count."""
    if row.quantity:
        raise ChatError(f"第{pos}行「{row.name}」是项目描述中的数量（{row.quantity}），不换成其他项目的指标。"
                        f"要改数值请说「第{pos}行改为…」，要改名称请说「第{pos}行名称改为…」。")


_PEOPLE = domain.PEOPLE_UNITS


def _same_count_unit(pos: int, row: SuggestedRow, v) -> None:
    """A count row keeps what it counts: 社区数量 =12个 does not become ≥650人."""
    old = row.value
    if row.level2 != cat.QUANTITY or v.number is None or not old.raw:
        return
    if old.number is None or not old.unit or old.unit == v.unit or {old.unit, v.unit} <= _PEOPLE:
        return
    if unit_family(old.unit) in ("count", "size") and unit_family(v.unit) in ("count", "size"):
        raise ChatError(f"第{pos}行「{row.name}」以「{old.unit}」计（{old.raw}），「{v.raw}」以「{v.unit}」计，"
                        f"说的不是同一样东西。要计{v.unit}，请先把名称改为相应的指标（「第{pos}行名称改为…」），"
                        f"或「增加一个数量指标」。")


def _looks_like_value(text: str) -> bool:
    """'≥13个', '95%', '=12个': a target typed into the name cell."""
    v = parse_target_value(text)
    return v.clean and v.number is not None and len(re.sub(r"[\d.,%≥≤=<>\s]", "", text)) <= 3


def _value_doubts(row: SuggestedRow, v) -> str:
    """What a reviewer would question about this value for this row (said, not refused).
    The rate and cost checks are the fit rules' own predicates; the two percentage checks stay
    here because the value-form rules differ (growth names may exceed 100%, ≥100% is its own rule)."""
    fam = unit_family(v.unit) if v.number is not None else "none"
    if rate_needs_percent(row.name, fam):
        return f"「{row.name}」是比率，指标值通常应为百分数。"
    if fam == "percent" and v.number is not None and v.number > 100:
        return "百分数超过100%，不可信。"
    if "满意" in row.name and fam == "percent" and v.number is not None and v.number >= 100:
        return "满意度100%不可信，通常为≥80%至≥95%。"
    if v.number is not None and cost_needs_money(row.level2, fam):
        return "成本指标应为金额（元/万元）。"
    return ""


@chat_action("edit")
def edit_row(state: ChatState, row_id: int, field: str, value: str, services: Services | None = None) -> Reply:
    """Edit one cell (name / description / value / basis) of a row; status edited."""
    need_draft(state)
    if field not in EDIT_FIELDS:
        raise ChatError(f"只能修改：{'、'.join(FIELD_LABEL.values())}。")
    if field == "value":
        reply = set_value(state, row_id, value, services)
        reply.action = "edit"
        return reply
    pos, row = row_of(state, row_id)
    state.focus_row = row.id
    value = (value or "").strip().strip("「」“”\"'")
    if field == "name" and not value:
        raise ChatError("指标名称不能为空。")
    if field == "name" and _looks_like_value(value):
        raise ChatError(f"「{value}」是指标值，不是指标名称；第{pos}行名称仍为「{row.name}」。"
                        f"要改指标值请说「第{pos}行改为{value}」。")
    old = getattr(row, field)
    setattr(row, field, value)
    row.status = "edited"
    text = f"第{pos}行的{FIELD_LABEL[field]}已由「{old or '（空）'}」改为「{value or '（空）'}」。"
    findings = row_findings(state, services, row.id)
    return Reply(text=with_findings(text, findings), action="edit", changed=True, findings=findings)


@chat_action("add_row")
def add_row(state: ChatState, level2: str, services: Services) -> Reply:
    """A new row for this 二级 from precedents (the best one not in the draft yet); status added."""
    if state.draft is None:
        raise ChatError(f"还没有草稿。请先描述项目，例如「{EXAMPLE}」。")
    d = state.draft
    level2 = slot_name(level2)
    clusters = engine.slot_clusters(d, level2, services.indexes)
    free = [c for c in clusters if usable_name(c.name) and not taken(d, c.name)]
    if not free:
        raise ChatError(f"语料中没有更多的{level2}先例（有的都已在草稿里）。" if clusters
                        else f"语料中没有{level2}的先例，无法提出有依据的指标。")
    c = free[0]
    alts = further(level2, free[1:], d, [c.name], 3, d.profile)
    row_id = max(state.next_row_id, max((r.id for r in d.rows), default=0) + 1)
    row = new_row(row_id, level2, c, alts, d.profile, "added")
    state.next_row_id = row_id + 1
    pos = insert_in_slot(d, row)
    state.focus_row = row.id
    text = f"已增加第{pos}行［{level2}］「{row.name}」：{row.value.raw or '（待填）'}（依据：{row.basis}，{row.agree}个项目采用）。"
    if row.note:
        text += f"\n注意：{row.note}"
    if alts:
        text += "\n其他备选：" + "；".join(f"{i}. {a.name} {a.value.raw}" for i, a in enumerate(alts, 1))
    findings = row_findings(state, services, row.id)
    return Reply(text=with_findings(text, findings), action="add_row", changed=True, findings=findings)


@chat_action("remove_row")
def remove_row(state: ChatState, row_id: int) -> Reply:
    d = need_draft(state)
    pos, row = row_of(state, row_id)
    d.rows.remove(row)
    if state.focus_row == row.id:
        state.focus_row = None
    text = f"已删除第{pos}行「{row.name}」（{row.level2}）。后面的行号依次前移。"
    if row.level2 in domain.REQUIRED_SLOTS + [cat.SERVED_SATISFACTION] and not any(r.level2 == row.level2 for r in d.rows):
        text += f"\n注意：草稿已没有{row.level2}，报送时会被指出缺项。可以说「增加一个{row.level2}」。"
    return Reply(text=text, action="remove_row", changed=True)


@chat_action("accept")
def accept_row(state: ChatState, row_id: int) -> Reply:
    need_draft(state)
    pos, row = row_of(state, row_id)
    row.status = "accepted"
    state.focus_row = row.id
    return Reply(text=f"已接受第{pos}行「{row.name}」：{row.value.raw or '（待填）'}。", action="accept", changed=True)


@chat_action("accept")
def accept_all(state: ChatState) -> Reply:
    d = need_draft(state)
    for r in d.rows:
        r.status = "accepted"
    return Reply(text=f"已接受全部 {len(d.rows)} 行。可以说「检查一下」再「导出excel」。", action="accept", changed=True)


@chat_action("pick_alternative")
def pick_alternative(state: ChatState, row_id: int, index: int, services: Services) -> Reply:
    """Replace a row by its alternative number `index` (0-based into row.alternatives)."""
    need_draft(state)
    pos, row = row_of(state, row_id)
    if not row.alternatives:
        raise ChatError(f"第{pos}行没有备选。可以说「第{pos}行换一个」从先例中再找。")
    if not 0 <= index < len(row.alternatives):
        raise ChatError(f"第{pos}行只有 {len(row.alternatives)} 个备选：" + "；".join(
            f"{i}. {a.name} {a.value.raw}" for i, a in enumerate(row.alternatives, 1)))
    _keep_own_quantity(pos, row)
    choice = row.alternatives[index]
    if taken(state.draft, choice.name, row.id):
        other = next(i for i, r in enumerate(state.draft.rows, 1) if r.id != row.id and same_name(r.name, choice.name))
        raise ChatError(f"「{choice.name}」已在第{other}行，不必重复。")
    old_name = row.name
    new = swap(state, row, choice, services)
    state.focus_row = new.id
    text = f"第{pos}行已由「{old_name}」换为备选「{new.name}」：{new.value.raw or '（待填）'}（{new.agree}个项目采用）。"
    findings = row_findings(state, services, new.id)
    return Reply(text=with_findings(text, findings), action="pick_alternative", changed=True, findings=findings)
