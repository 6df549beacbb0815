"""The chat assistant: Chinese requests → one drafting action, deterministically (regex + rapidfuzz).

`respond(state, text, services)` is what the chat box calls; every action is also a plain function
the UI's buttons call directly. Each action returns a `Reply` and mutates `state`; none raises:
a request that cannot be done (no draft yet, no such row, a value that does not parse) gets a
Chinese answer that says why and what to do instead.

Rows have stable ids (`SuggestedRow.id`, used by the functions and by `ChatState.focus_row`);
users speak of positions ("第3行" = the 3rd row shown). Display order is list order, and
`row_id_at` / `position_of` are the one place positions and ids meet.

Sections: state and replies · positions · the draft's slots (engine reuse) · actions ·
intents (the text → action map) · respond.
"""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field
from rapidfuzz import fuzz

from corpus import categories as cat
from corpus.values import normalise_text, parse_target_value, unit_family
from index.protocol import Index

from .drafting import engine
from .drafting.adapt import adapt
from .rules.lexicon import is_rate_name
from .drafting.comparables import comparable_projects
from .drafting.convert import check_draft, draft_to_project
from .drafting.models import Alternative, Draft, SuggestedRow
from .drafting.profile import ProjectProfile, extract_quantities, make_profile
from .drafting.taxonomy import OTHER, type_of
from .findings import SEVERITY_LABEL, Finding

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# State and replies
# ---------------------------------------------------------------------------------------------

ACTIONS = ("describe", "draft", "replace_row", "replace_slot", "set_value", "add_row", "remove_row",
           "explain", "precedents", "validate", "export", "help", "accept", "edit", "pick_alternative",
           "unknown")
EXPORT_FORMATS = ("xlsx", "docx", "json")
EDIT_FIELDS = ("name", "description", "value", "basis")
FIELD_LABEL = {"name": "名称", "description": "描述", "value": "指标值", "basis": "依据"}
STATUS_LABEL = {"suggested": "建议", "accepted": "已接受", "edited": "已修改", "added": "新增"}
# display order of the 二级 slots (the official hierarchy); added rows go into their slot
SLOT_ORDER = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.ECONOMIC, cat.SOCIAL,
              cat.ECOLOGICAL, cat.SUSTAINABLE, cat.SERVED_SATISFACTION]
EXAMPLE = "社区居家养老服务站运营，预算40万元，服务350名老人"


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Message(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    time: str = Field(default_factory=_now)  # ISO 8601


class ChatState(BaseModel):
    """One conversation; stored by the UI as `model_dump_json()`."""

    profile: ProjectProfile | None = None
    draft: Draft | None = None
    messages: list[Message] = Field(default_factory=list)
    focus_row: int | None = None  # id (not position) of the row last talked about
    next_row_id: int = 1  # id for the next added row


class Reply(BaseModel):
    text: str  # Chinese, markdown
    action: str  # one of ACTIONS
    changed: bool = False  # the draft changed
    findings: list[Finding] = Field(default_factory=list)
    file: str | None = None  # path of an exported file


@dataclass
class Services:
    """What the actions need besides the state; built by the caller (UI, CLI, tests)."""

    indexes: Index  # index.store.Indexes, seen through index.protocol.Index
    corpus: Any = None  # corpus.models.Corpus: precedents for the validator
    export_folder: str | Path | None = None  # where `respond` exports ("导出"); default <home>/exports


class ChatError(Exception):
    """A request that cannot be done as asked; its message is the Chinese answer."""


def _action(name: str):
    """Wrap an action: a ChatError becomes its answer; anything unexpected restores the draft,
    is logged, and becomes a short answer. Actions never raise."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(state: ChatState, *args, **kwargs) -> Reply:
            saved = (state.profile.model_copy(deep=True) if state.profile else None,
                     state.draft.model_copy(deep=True) if state.draft else None,
                     state.focus_row, state.next_row_id)
            try:
                return fn(state, *args, **kwargs)
            except ChatError as exc:
                return Reply(text=str(exc), action=name)
            except Exception as exc:  # noqa: BLE001 - the chat must answer, whatever broke
                log.exception("chat action %s failed", name)
                state.profile, state.draft, state.focus_row, state.next_row_id = saved
                return Reply(text=f"抱歉，处理时出错（{type(exc).__name__}：{exc}），草稿没有改动。\n\n{CAPABILITIES}",
                             action=name)
        return run
    return wrap


def add_messages(state: ChatState, user_text: str | None, reply: Reply) -> None:
    """Record an exchange, for UI buttons that call an action directly but want it in the chat."""
    if user_text is not None:
        state.messages.append(Message(role="user", text=user_text))
    state.messages.append(Message(role="assistant", text=reply.text))


# ---------------------------------------------------------------------------------------------
# Positions ↔ ids (the one place they meet)
# ---------------------------------------------------------------------------------------------

def _need_draft(state: ChatState) -> Draft:
    if state.draft is None:
        raise ChatError(f"还没有草稿。请先描述项目，例如「{EXAMPLE}」。")
    if not state.draft.rows:
        raise ChatError("草稿里还没有指标行。可以说「增加一个数量指标」，或补充项目描述后「重新起草」。")
    return state.draft


def row_id_at(state: ChatState, position: int) -> int:
    """The id of the row shown at `position` (1-based)."""
    d = _need_draft(state)
    if not 1 <= position <= len(d.rows):
        raise ChatError(f"草稿只有 {len(d.rows)} 行，没有第{position}行。请说第1到第{len(d.rows)}行中的一行。")
    return d.rows[position - 1].id


def position_of(state: ChatState, row_id: int) -> int:
    """The 1-based position at which the row with this id is shown."""
    d = _need_draft(state)
    for i, r in enumerate(d.rows, 1):
        if r.id == row_id:
            return i
    raise ChatError(f"草稿中没有这一行（编号 {row_id}），可能已被删除。")


def _row(state: ChatState, row_id: int) -> tuple[int, SuggestedRow]:
    pos = position_of(state, row_id)
    return pos, state.draft.rows[pos - 1]


# ---------------------------------------------------------------------------------------------
# The draft's slots: the engine's clusters for one 二级, to replace or add a row
# ---------------------------------------------------------------------------------------------

def _slot_clusters(d: Draft, level2: str, indexes: Index) -> list[engine.Cluster]:
    comps = d.comparables
    if not comps:
        ptype = OTHER if d.project_type == OTHER.key else type_of(d.project_type)
        comps = comparable_projects(d.profile, indexes, ptype, k=10)
    if not comps:
        return []
    best = max(c.score for c in comps)
    weights = {c.project_id: math.exp((c.score - best) / engine.TEMPERATURE) for c in comps}
    return engine._cluster(engine._candidates(level2, comps, weights, indexes, d.profile), indexes, d.profile)


def _same_name(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= engine.NAME_SIMILAR


_PLACEHOLDER_NAMES = {"无", "/", "-", "—", "——", "暂无", "无此项", "不适用"}


def _usable_name(name: str) -> bool:
    """Published tables fill an unused slot with 「无」: that is no indicator to propose."""
    return len(name.strip()) >= 2 and name.strip() not in _PLACEHOLDER_NAMES


def _taken(d: Draft, name: str, except_id: int | None = None) -> bool:
    """Is an indicator of this name already in the draft (another row than except_id)?"""
    return any(_same_name(name, r.name) for r in d.rows if r.id != except_id)


def _as_alternative(level2: str, c: engine.Cluster, profile: ProjectProfile) -> Alternative:
    return Alternative(name=c.name, value=adapt(level2, c.name, c.rows, c.weights, profile).value,
                       description=engine._description(c), agree=len(c.projects()))


def _cluster_named(name: str, clusters: list[engine.Cluster], profile: ProjectProfile,
                   description: str = "") -> engine.Cluster | None:
    exact = next((c for c in clusters if c.name == name), None)
    near = exact or next((c for c in clusters if _same_name(name, c.name)), None)
    if near is not None or not clusters:
        return near
    # a row the engine named after the user's own quantity ("老人人数"): no precedent has that
    # name, the slot's best precedents stand as its form, as in engine._cover_quantities
    q = next((q for q in profile.quantities if q.noun and q.noun in name), None)
    if q is None:
        return None
    base = clusters[0]
    return engine.Cluster(name=name, vector=base.vector, rows=base.rows, weights=base.weights, quantity=q,
                          description=description or f"反映本项目涉及的{name}（按项目描述）")


def _new_row(row_id: int, level2: str, c: engine.Cluster, alts: list[Alternative], profile: ProjectProfile,
             status: str) -> SuggestedRow:
    row = engine._suggest(row_id, level2, c, [], profile)
    row.alternatives = alts
    row.status = status
    return row


def _further(level2: str, clusters, d: Draft, skip: list[str], n: int, profile) -> list[Alternative]:
    """Up to n more alternatives: clusters not in the draft and not already listed."""
    out: list[Alternative] = []
    for c in clusters:
        if len(out) >= n:
            break
        if not _usable_name(c.name) or _taken(d, c.name) or any(_same_name(c.name, s) for s in skip):
            continue
        out.append(_as_alternative(level2, c, profile))
        skip = [*skip, c.name]
    return out


def _swap(state: ChatState, row: SuggestedRow, choice: Alternative, services: Services) -> SuggestedRow:
    """Put the indicator `choice` in place of `row` (same id, same position, status edited).
    Its alternatives: the row's others, then further precedents, then the replaced one last,
    so asking again walks through all of them instead of flipping between two."""
    d = state.draft
    clusters = _slot_clusters(d, row.level2, services.indexes)
    c = _cluster_named(choice.name, clusters, d.profile, choice.description)
    rest = [a for a in row.alternatives if not _same_name(a.name, choice.name) and not _taken(d, a.name, row.id)]
    rest += _further(row.level2, clusters, d, [choice.name, row.name, *(a.name for a in rest)], 3 - len(rest),
                     d.profile)
    rest.append(Alternative(name=row.name, value=row.value, description=row.description, agree=row.agree))
    if c is None:  # the index changed since the draft was made: keep what the alternative says
        new = row.model_copy(update=dict(
            name=choice.name, value=choice.value, description=choice.description, agree=choice.agree,
            evidence=[], how="取自备选", note="未能在当前语料中找到该指标的先例，请核实", alternatives=rest))
    else:
        new = _new_row(row.id, row.level2, c, rest, d.profile, "edited")
    new.status = "edited"
    d.rows[d.rows.index(row)] = new
    return new


def _insert_in_slot(d: Draft, row: SuggestedRow) -> int:
    """Insert after the last row of the same or an earlier slot; returns the 1-based position."""
    order = {l2: i for i, l2 in enumerate(SLOT_ORDER)}
    mine = order.get(row.level2, len(SLOT_ORDER))
    at = 0
    for i, r in enumerate(d.rows):
        if order.get(r.level2, len(SLOT_ORDER)) <= mine:
            at = i + 1
    d.rows.insert(at, row)
    return at + 1


# ---------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------

def _cell(text: str) -> str:
    return (text or "").replace("|", "｜").replace("\n", " ")


def _budget_text(p: ProjectProfile) -> str:
    if p.budget_wan is None:
        return "未给出"
    return p.budget_raw if p.budget_raw and p.budget_unit == "元" else f"{p.budget_wan:g}万元"


def _profile_text(p: ProjectProfile, label: str = "") -> str:
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


def _table(d: Draft) -> str:
    lines = ["| 行 | 一级指标 | 二级指标 | 三级指标 | 指标值 | 依据 | 先例项目 | 状态 |",
             "|---|---|---|---|---|---|---|---|"]
    for i, r in enumerate(d.rows, 1):
        lines.append(f"| {i} | {r.level1} | {r.level2} | {_cell(r.name)} | {_cell(r.value) or '（待填）'} | "
                     f"{r.basis} | {r.agree} | {STATUS_LABEL.get(r.status, r.status)} |")
    return "\n".join(lines)


def _findings_summary(findings: list[Finding]) -> str:
    counts = {s: sum(1 for f in findings if f.severity == s) for s in SEVERITY_LABEL}
    return "，".join(f"{SEVERITY_LABEL[s]} {n} 条" for s, n in counts.items() if n) or "没有发现问题"


def _row_findings(state: ChatState, services: Services | None, row_id: int) -> list[Finding]:
    pos = position_of(state, row_id)
    return [f for f in check_draft(state.draft, services.corpus if services else None) if f.row_index == pos - 1]


def _with_findings(text: str, findings: list[Finding]) -> str:
    shown = [f for f in findings if f.severity != "hint"]
    if not shown:
        return text
    return text + "\n\n校验提示：\n" + "\n".join(f"- [{SEVERITY_LABEL[f.severity]}] {f.message}"
                                              + (f"（建议：{f.fix}）" if f.fix else "") for f in shown)


# ---------------------------------------------------------------------------------------------
# Actions (each returns a Reply and mutates state)
# ---------------------------------------------------------------------------------------------

CAPABILITIES = (
    "我可以：\n"
    f"- 描述项目并起草：「{EXAMPLE}」，「项目：…，预算…」；「重新起草」\n"
    "- 换指标：「换一个质量指标」「第3行换一个」「第3行用备选2」\n"
    "- 改值：「满意度改为≥95%」「第2行改成≥90%」；改名称/描述/依据：「第2行名称改为…」\n"
    "- 增删：「增加一个生态效益指标」「删除第5行」\n"
    "- 解释：「为什么建议这个值?」「解释第4行」；先例：「有哪些先例」\n"
    "- 校验：「检查一下」；接受：「接受第2行」「全部接受」\n"
    "- 导出：「导出excel」「导出word」「导出json」"
)


def help_text() -> Reply:
    return Reply(text="我是绩效目标表起草助手，每条建议都来自已公开的同类项目（先例）。\n\n" + CAPABILITIES
                 + "\n\n行号按表中显示的顺序，可以写「第3行」或「第三行」。", action="help")


@_action("draft")
def make_draft(state: ChatState, services: Services) -> Reply:
    """Draft afresh from state.profile (user edits to an earlier draft are dropped, and said so)."""
    if state.profile is None:
        raise ChatError(f"还没有项目信息。请先描述项目，例如「{EXAMPLE}」。")
    lost = sum(1 for r in state.draft.rows if r.status != "suggested") if state.draft else 0
    head = "已起草。" if state.draft is None else "已重新起草。"
    if lost:
        head = f"已重新起草（之前修改、接受或新增的 {lost} 行已被新的建议替换）。"
    _redraft(state, services, keep_user_rows=False)
    return _draft_reply(state, services, head)


def _redraft(state: ChatState, services: Services, keep_user_rows: bool) -> tuple[list[SuggestedRow], int]:
    """Draft from the profile. When keep_user_rows, rows the user edited or added survive (in place
    of the new row of the same slot and name, else in their slot), and an accepted row stays
    accepted where the new draft suggests the same. Returns the kept rows and the number of
    accepted rows whose suggestion changed (to be confirmed again)."""
    old = state.draft
    d = engine.draft(state.profile, services.indexes)
    next_id = max((r.id for r in d.rows), default=0) + 1
    kept: list[SuggestedRow] = []
    unconfirmed = 0
    if keep_user_rows and old is not None:
        for r in old.rows:
            if r.status == "accepted":
                same = next((n for n in d.rows if n.level2 == r.level2 and n.name == r.name), None)
                if same is not None and same.value == r.value:
                    same.status = "accepted"
                else:
                    unconfirmed += 1
            if r.status not in ("edited", "added"):
                continue
            r = r.model_copy(update={"id": next_id})
            next_id += 1
            same = next((n for n in d.rows if n.level2 == r.level2 and n.status == "suggested"
                         and _same_name(n.name, r.name)), None)
            if same is not None:
                d.rows[d.rows.index(same)] = r
            elif not _taken(d, r.name):
                _insert_in_slot(d, r)
            else:
                continue
            kept.append(r)
    state.draft = d
    state.focus_row = None
    state.next_row_id = next_id
    return kept, unconfirmed


def _draft_reply(state: ChatState, services: Services, head: str, action: str = "draft") -> Reply:
    d = state.draft
    findings = check_draft(d, services.corpus)
    parts = [head, _profile_text(d.profile, d.project_type_label)]
    if d.rows:
        comps = "；".join(f"{c.name}（{c.unit} {c.year or ''}）" for c in d.comparables[:3])
        parts.append(f"参考的可比项目：{comps}" if comps else "")
        parts.append(_table(d))
    parts += [f"注意：{n}" for n in d.notes]
    if d.rows:
        parts.append(f"校验：{_findings_summary(findings)}。可以说「为什么建议这个值」「第3行换一个」"
                     "「满意度改为≥95%」「检查一下」「导出excel」。")
    return Reply(text="\n\n".join(p for p in parts if p), action=action, changed=True, findings=findings)


@_action("describe")
def describe(state: ChatState, text: str, services: Services) -> Reply:
    """Read name/goal/budget/quantities from free text, keep what it does not mention, then draft."""
    info = parse_description(text or "")
    old = state.profile
    if info.budget_error:
        raise ChatError(f"预算无法识别：「{info.budget_error}」。请用数字写，例如：40万元、3300元。")
    if info.empty():
        raise ChatError(f"没有读出项目信息。请这样描述：「{EXAMPLE}」，或「项目：…，预算…，目标：…」。")
    if old is None and not info.name:
        raise ChatError("还不知道项目名称。请先说项目名称，例如「项目：社区居家养老服务站运营，预算40万元」。")
    if old is not None and info.name_guessed:  # a sentence about the project we already have
        info.name, info.name_guessed = "", False
    name = info.name or old.name
    # a new, different project described in full: its own budget and goal, not the last one's
    fresh = old is None or (bool(info.name) and fuzz.ratio(info.name, old.name) < 50
                            and (info.budget is not None or bool(info.goal)))
    if fresh:
        goal = info.goal
    elif info.goal_replaces or (info.name and info.goal):
        goal = info.goal
    elif info.goal and info.goal not in (old.goal or ""):
        goal = "，".join(g for g in (old.goal, info.goal) if g)
    else:
        goal = old.goal
    ptype = info.project_type or (None if fresh else old.project_type)
    if ptype:
        try:
            ptype = type_of(ptype).key
        except ValueError as exc:
            raise ChatError(str(exc)) from None
    extra = dict(unit=info.unit or (old.unit if old else ""), region=old.region if old else "",
                 year=info.year or (old.year if old else None), project_type=ptype)
    try:
        profile = make_profile(name, goal, info.budget, **extra)
    except ValueError as exc:
        raise ChatError(str(exc)) from None
    if info.budget is None and not fresh and old.budget_wan is not None and profile.budget_wan is None:
        profile = profile.model_copy(update=dict(budget_wan=old.budget_wan, budget_raw=old.budget_raw,
                                                 budget_unit=old.budget_unit))
        profile.quantities = [q for q in profile.quantities if q.raw not in old.budget_raw]
    state.profile = profile
    kept, unconfirmed = _redraft(state, services, keep_user_rows=not fresh)
    head = "已记录项目信息" + ("并起草（新项目）。" if fresh and old is not None else "并起草。")
    if info.name_guessed:
        head += f"项目名称暂定为「{profile.name}」，如需更改请说「项目名称改为…」。"
    if kept:
        head += f"你修改或新增的 {len(kept)} 行已保留。"
    if unconfirmed:
        head += f"你接受过的 {unconfirmed} 行建议因新信息而变化，请重新确认。"
    return _draft_reply(state, services, head, action="describe")


@_action("replace_row")
def replace_row(state: ChatState, row_id: int, services: Services) -> Reply:
    """Replace a row by its best alternative not already in the draft; the row keeps its position."""
    _need_draft(state)
    pos, row = _row(state, row_id)
    choice = next((a for a in row.alternatives if not _taken(state.draft, a.name, row.id)
                   and not _same_name(a.name, row.name)), None)
    if choice is None:
        clusters = _slot_clusters(state.draft, row.level2, services.indexes)
        more = _further(row.level2, clusters, state.draft, [row.name], 1, state.draft.profile)
        if not more:
            raise ChatError(f"第{pos}行「{row.name}」没有别的{row.level2}先例可换了。"
                            f"可以直接改：「第{pos}行名称改为…」「第{pos}行改为…」。")
        choice = more[0]
    old_name, old_value = row.name, row.value
    new = _swap(state, row, choice, services)
    state.focus_row = new.id
    text = (f"第{pos}行已由「{old_name}」（{old_value or '待填'}）换为「{new.name}」：{new.value or '（待填）'}"
            f"（依据：{new.basis}，{new.agree}个项目采用）。")
    if new.alternatives:
        text += "\n其他备选：" + "；".join(f"{i}. {a.name} {a.value}" for i, a in enumerate(new.alternatives, 1))
    findings = _row_findings(state, services, new.id)
    return Reply(text=_with_findings(text, findings), action="replace_row", changed=True, findings=findings)


def _slot_name(level2: str) -> str:
    canon = canonical_slot(level2)
    if canon is None:
        raise ChatError(f"不能起草「{level2}」。可选的二级指标：{'、'.join(SLOT_ORDER)}。")
    return canon


@_action("replace_slot")
def replace_slot(state: ChatState, level2: str, services: Services) -> Reply:
    """Replace the row of this 二级 (the focused one if it is in the slot, else the slot's first)."""
    d = _need_draft(state)
    level2 = _slot_name(level2)
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


@_action("set_value")
def set_value(state: ChatState, row_id: int, value: str, services: Services | None = None) -> Reply:
    """Set a row's 指标值; a value that does not parse cleanly is refused and the old one kept."""
    _need_draft(state)
    pos, row = _row(state, row_id)
    state.focus_row = row.id
    value = re.sub(r"\s+", "", str(value or "")).strip("「」“”\"'")
    parsed = parse_target_value(value)
    if not parsed.clean:
        raise ChatError(f"「{value}」不是可用的指标值（{parsed.problem or '无法识别'}），第{pos}行仍为"
                        f"「{row.value or '（空）'}」。请写成 运算符+数字+单位，例如 ≥95%、≥350人、≤12月份。")
    warn = _value_doubts(row, parsed)
    old = row.value
    row.value = value
    row.how = "由用户填写"
    row.status = "edited"
    text = f"第{pos}行「{row.name}」的指标值已由「{old or '（空）'}」改为「{value}」。"
    if warn:
        text += f"\n注意：{warn}"
    findings = _row_findings(state, services, row.id)
    return Reply(text=_with_findings(text, findings), action="set_value", changed=True, findings=findings)


def _value_doubts(row: SuggestedRow, v) -> str:
    """What a reviewer would question about this value for this row (said, not refused)."""
    fam = unit_family(v.unit) if v.number is not None else "none"
    if is_rate_name(row.name) and fam != "percent":
        return f"「{row.name}」是比率，指标值通常应为百分数。"
    if fam == "percent" and v.number is not None and v.number > 100:
        return "百分数超过100%，不可信。"
    if "满意" in row.name and fam == "percent" and v.number is not None and v.number >= 100:
        return "满意度100%不可信，通常为≥80%至≥95%。"
    if row.level2 == cat.COST and v.number is not None and fam != "money":
        return "成本指标应为金额（元/万元）。"
    return ""


@_action("edit")
def edit_row(state: ChatState, row_id: int, field: str, value: str, services: Services | None = None) -> Reply:
    """Edit one cell (name / description / value / basis) of a row; status edited."""
    _need_draft(state)
    if field not in EDIT_FIELDS:
        raise ChatError(f"只能修改：{'、'.join(FIELD_LABEL.values())}。")
    if field == "value":
        reply = set_value(state, row_id, value, services)
        reply.action = "edit"
        return reply
    pos, row = _row(state, row_id)
    state.focus_row = row.id
    value = (value or "").strip().strip("「」“”\"'")
    if field == "name" and not value:
        raise ChatError("指标名称不能为空。")
    old = getattr(row, field)
    setattr(row, field, value)
    row.status = "edited"
    text = f"第{pos}行的{FIELD_LABEL[field]}已由「{old or '（空）'}」改为「{value or '（空）'}」。"
    findings = _row_findings(state, services, row.id)
    return Reply(text=_with_findings(text, findings), action="edit", changed=True, findings=findings)


@_action("add_row")
def add_row(state: ChatState, level2: str, services: Services) -> Reply:
    """A new row for this 二级 from precedents (the best one not in the draft yet); status added."""
    if state.draft is None:
        raise ChatError(f"还没有草稿。请先描述项目，例如「{EXAMPLE}」。")
    d = state.draft
    level2 = _slot_name(level2)
    clusters = _slot_clusters(d, level2, services.indexes)
    free = [c for c in clusters if _usable_name(c.name) and not _taken(d, c.name)]
    if not free:
        raise ChatError(f"语料中没有更多的{level2}先例（有的都已在草稿里）。" if clusters
                        else f"语料中没有{level2}的先例，无法提出有依据的指标。")
    c = free[0]
    alts = _further(level2, free[1:], d, [c.name], 3, d.profile)
    row_id = max(state.next_row_id, max((r.id for r in d.rows), default=0) + 1)
    row = _new_row(row_id, level2, c, alts, d.profile, "added")
    state.next_row_id = row_id + 1
    pos = _insert_in_slot(d, row)
    state.focus_row = row.id
    text = f"已增加第{pos}行［{level2}］「{row.name}」：{row.value or '（待填）'}（依据：{row.basis}，{row.agree}个项目采用）。"
    if row.note:
        text += f"\n注意：{row.note}"
    if alts:
        text += "\n其他备选：" + "；".join(f"{i}. {a.name} {a.value}" for i, a in enumerate(alts, 1))
    findings = _row_findings(state, services, row.id)
    return Reply(text=_with_findings(text, findings), action="add_row", changed=True, findings=findings)


@_action("remove_row")
def remove_row(state: ChatState, row_id: int) -> Reply:
    d = _need_draft(state)
    pos, row = _row(state, row_id)
    d.rows.remove(row)
    if state.focus_row == row.id:
        state.focus_row = None
    text = f"已删除第{pos}行「{row.name}」（{row.level2}）。后面的行号依次前移。"
    if row.level2 in engine.REQUIRED + [cat.SERVED_SATISFACTION] and not any(r.level2 == row.level2 for r in d.rows):
        text += f"\n注意：草稿已没有{row.level2}，报送时会被指出缺项。可以说「增加一个{row.level2}」。"
    return Reply(text=text, action="remove_row", changed=True)


@_action("accept")
def accept_row(state: ChatState, row_id: int) -> Reply:
    _need_draft(state)
    pos, row = _row(state, row_id)
    row.status = "accepted"
    state.focus_row = row.id
    return Reply(text=f"已接受第{pos}行「{row.name}」：{row.value or '（待填）'}。", action="accept", changed=True)


@_action("accept")
def accept_all(state: ChatState) -> Reply:
    d = _need_draft(state)
    for r in d.rows:
        r.status = "accepted"
    return Reply(text=f"已接受全部 {len(d.rows)} 行。可以说「检查一下」再「导出excel」。", action="accept", changed=True)


@_action("pick_alternative")
def pick_alternative(state: ChatState, row_id: int, index: int, services: Services) -> Reply:
    """Replace a row by its alternative number `index` (0-based into row.alternatives)."""
    _need_draft(state)
    pos, row = _row(state, row_id)
    if not row.alternatives:
        raise ChatError(f"第{pos}行没有备选。可以说「第{pos}行换一个」从先例中再找。")
    if not 0 <= index < len(row.alternatives):
        raise ChatError(f"第{pos}行只有 {len(row.alternatives)} 个备选：" + "；".join(
            f"{i}. {a.name} {a.value}" for i, a in enumerate(row.alternatives, 1)))
    choice = row.alternatives[index]
    if _taken(state.draft, choice.name, row.id):
        other = next(i for i, r in enumerate(state.draft.rows, 1) if r.id != row.id and _same_name(r.name, choice.name))
        raise ChatError(f"「{choice.name}」已在第{other}行，不必重复。")
    old_name = row.name
    new = _swap(state, row, choice, services)
    state.focus_row = new.id
    text = f"第{pos}行已由「{old_name}」换为备选「{new.name}」：{new.value or '（待填）'}（{new.agree}个项目采用）。"
    findings = _row_findings(state, services, new.id)
    return Reply(text=_with_findings(text, findings), action="pick_alternative", changed=True, findings=findings)


@_action("explain")
def explain_row(state: ChatState, row_id: int) -> Reply:
    """Why this row and this value: how it was set and the precedents (with their sources)."""
    _need_draft(state)
    pos, r = _row(state, row_id)
    state.focus_row = r.id
    lines = [f"第{pos}行「{r.name}」（{r.level1}/{r.level2}）{'建议' if r.status == 'suggested' else '当前'}值 "
             f"**{r.value or '（空）'}**，依据：{r.basis}。",
             f"取值方法：{r.how or '—'}。{len(r.evidence)} 条先例，来自 {r.agree} 个项目，置信度 {r.confidence:.0%}。"]
    if r.status in ("edited",) and r.how == "由用户填写":
        lines.append("（此值由你填写；下列先例是原建议所依据的。）")
    if r.description:
        lines.append(f"描述：{r.description}")
    if r.note:
        lines.append(f"注意：{r.note}")
    if r.evidence:
        lines.append("先例：")
        lines += [f"- {p.unit} {p.year or ''}「{p.project}」{p.name}：{p.value or '（空）'}"
                  f"（出处：{p.where or p.source}）" for p in r.evidence]
    else:
        lines.append("没有记录先例：这一行不是由先例提出的，请自行核实。")
    if r.alternatives:
        lines.append("可替换为：" + "；".join(f"{i}. {a.name} {a.value}（{a.agree}个项目）"
                                          for i, a in enumerate(r.alternatives, 1))
                     + f"。说「第{pos}行用备选1」即可替换。")
    return Reply(text="\n".join(lines), action="explain")


@_action("precedents")
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


@_action("validate")
def validate_draft(state: ChatState, services: Services | None = None) -> Reply:
    """The validator's findings on the draft, summarised and listed per row."""
    d = _need_draft(state)
    findings = check_draft(d, services.corpus if services else None)
    if not findings:
        return Reply(text=f"校验通过：{len(d.rows)} 行都没有发现问题。", action="validate")
    lines = [f"校验结果：{_findings_summary(findings)}。"]
    table = [f for f in findings if f.row_index is None]
    if table:
        lines.append("整表：")
        lines += [f"- [{SEVERITY_LABEL[f.severity]}] {f.message}" + (f"（建议：{f.fix}）" if f.fix else "")
                  for f in table]
    for i, r in enumerate(d.rows):
        mine = [f for f in findings if f.row_index == i]
        if mine:
            lines.append(f"第{i + 1}行「{r.name}」：")
            lines += [f"- [{SEVERITY_LABEL[f.severity]}] {f.message}" + (f"（建议：{f.fix}）" if f.fix else "")
                      for f in mine]
    return Reply(text="\n".join(lines), action="validate", findings=findings)


_FORMAT_WORDS = {"xlsx": "xlsx", "excel": "xlsx", "xls": "xlsx", "表格": "xlsx", "电子表格": "xlsx",
                 "docx": "docx", "word": "docx", "doc": "docx", "文档": "docx", "json": "json"}


def export_format(word: str | None) -> str | None:
    """'excel' → xlsx, 'word' → docx, 'json' → json; None for a format we do not write."""
    return _FORMAT_WORDS.get((word or "xlsx").strip().lower().lstrip("."))


def export_name(d: Draft, kind: str) -> str:
    """File name of an exported draft: its project name, safe for any file system."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", d.profile.name).strip("_")[:40] or "草稿"
    return f"{stem}_绩效目标表.{kind}"


@_action("export")
def export_draft(state: ChatState, fmt: str = "xlsx", folder: str | Path | None = None) -> Reply:
    """Write the draft as .xlsx / .docx (the official layout) or .json (the draft itself)."""
    kind = export_format(fmt)
    if kind is None:
        raise ChatError(f"不能导出为「{fmt}」。可以导出：Excel（xlsx）、Word（docx）、JSON。例如「导出excel」。")
    d = _need_draft(state)
    from corpus.export import write_docx, write_xlsx
    from corpus.store import home

    out = Path(folder) if folder else home() / "exports"
    out.mkdir(parents=True, exist_ok=True)
    path = out / export_name(d, kind)
    if kind == "xlsx":
        write_xlsx([draft_to_project(d)], path)
    elif kind == "docx":
        write_docx([draft_to_project(d)], path)
    else:
        path.write_text(json.dumps(d.model_dump(mode="json"), ensure_ascii=False, indent=2), encoding="utf-8")
    errors = [f for f in check_draft(d) if f.is_error]
    text = f"已导出 {len(d.rows)} 行到 `{path}`。"
    if errors:
        text += f"\n注意：草稿还有 {len(errors)} 个错误，报送前请处理（说「检查一下」查看）。"
    return Reply(text=text, action="export", file=str(path))


# ---------------------------------------------------------------------------------------------
# Reading a project description
# ---------------------------------------------------------------------------------------------

@dataclass
class Description:
    name: str = ""
    name_guessed: bool = False  # taken from a sentence, not given as a name
    goal: str = ""
    goal_replaces: bool = False  # given as 目标：… (replaces the old goal rather than adding to it)
    budget: str | None = None  # the text parse_budget reads
    budget_error: str = ""
    unit: str = ""
    year: int | None = None
    project_type: str | None = None

    def empty(self) -> bool:
        return not (self.name or self.goal or self.budget or self.unit or self.year or self.project_type)


_LABEL = re.compile(r"(项目名称|项目类型|项目目标|绩效目标|项目内容|预算金额|预算年度|实施单位|主管部门|"
                    r"项目|名称|目标|内容|预算|单位|年度|类型)\s*[:：]")
_LABEL_FIELD = {"项目名称": "name", "项目": "name", "名称": "name", "项目目标": "goal", "绩效目标": "goal",
                "目标": "goal", "项目内容": "goal", "内容": "goal", "预算金额": "budget", "预算": "budget",
                "实施单位": "unit", "主管部门": "unit", "单位": "unit", "预算年度": "year", "年度": "year",
                "项目类型": "type", "类型": "type"}
_CLAUSE_SPLIT = re.compile(r"[，,。；;！!？?\n]+")
_BUDGET_CLAUSE = re.compile(r"^(?:本项目|项目|年度|全年)?(?:总)?(?:预算|资金|经费|投入|投资|拨款|总额|金额)"
                            r"(?:总额|金额|总计|合计|数|额)?(?:为|是|约|共|有|计|改为|改成|调整为|调为|变为|:|：)?"
                            r"(?:约|共)?\s*\d")
_MONEY_CLAUSE = re.compile(r"^(?:共|总计|合计|约|预计)?\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元)$")
_BUDGET_WORD = re.compile(r"^(?:本项目|项目|年度|全年)?(?:总)?(?:预算|资金|经费|投资)")
_REQUEST = re.compile(r"^(?:请|麻烦)?(?:你)?(?:帮我|帮忙|给我|替我)?(?:我想|我要|想|要)?"
                      r"(?:起草|写|做|生成|编制|填写|填|拟)(?:一份|一个|一下|下)?")
_REQUEST_TAIL = re.compile(r"(?:的)?(?:项目)?(?:支出)?(?:绩效目标表|绩效目标|绩效指标|目标表|指标表|指标)$")
_SENTENCE = re.compile(r"^(?:我|我们|咱|本项目|该项目|这个项目|此项目|今年|明年|计划|拟|为|给|对|向|需要|要|想|在|"
                       r"通过|主要|用于|提供|开展|组织|完成|保障|确保|实现|购买|发放|支付|负责|共|将)")
_YEAR_PREFIX = re.compile(r"^(20\d{2})\s*年(?:度)?")
_OBJECT_AFTER_VERB = re.compile(r"(?:提供|开展|实施|进行|完成|建设|购置|采购|发放|组织|运营|改造|维修|支付)"
                                r"([\u4e00-\u9fa5]{2,16})$")


def _looks_like_sentence(clause: str) -> bool:
    rest = _YEAR_PREFIX.sub("", clause)
    return bool(_SENTENCE.match(clause)) or len(clause) > 30 or any(ch.isdigit() for ch in rest)


def _budget_of(clause: str) -> tuple[str | None, str]:
    """(budget text, remainder) when the clause states the budget; (None, clause) otherwise."""
    c = normalise_text(clause)
    if _BUDGET_WORD.match(c):  # 预算四十万 → 预算40万
        c = _CN_MONEY.sub(lambda m: f"{cn_number(m.group(1))}{m.group(2)}", c)
    if _BUDGET_CLAUSE.match(c) or _MONEY_CLAUSE.match(c):
        m = re.search(r"\d[\d,]*(?:\.\d+)?\s*(?:万元|万|元)?", c)
        return m.group(0), c[m.end():].strip()
    return None, clause


def _spoken_budget(clause: str) -> bool:
    """'预算四十' – a budget in words we could not read: still a description, answered with why."""
    return bool(_BUDGET_WORD.match(clause)) and len(clause) <= 12 and bool(re.search(r"[一二两三四五六七八九十百千万]", clause))


def parse_description(text: str) -> Description:
    """'社区居家养老服务站运营，预算40万元，服务350名老人' → name, budget, goal.
    Labelled fields (项目：… 预算：… 目标：…) are read first; the rest clause by clause."""
    info = Description()
    text = (text or "").strip()
    free: list[str] = []
    labels = list(_LABEL.finditer(text))
    free.append(text[: labels[0].start()] if labels else text)
    for i, m in enumerate(labels):
        seg = text[m.end(): labels[i + 1].start() if i + 1 < len(labels) else len(text)].strip()
        kind = _LABEL_FIELD[m.group(1)]
        if kind != "goal":  # one clause; what follows is free text
            head, *tail = _CLAUSE_SPLIT.split(seg, maxsplit=1)
            seg, rest = head.strip(), (tail[0] if tail else "")
            free.append(rest)
        seg = seg.strip(" ，,。；;")
        if not seg:
            continue
        if kind == "name":
            info.name = seg
        elif kind == "goal":
            info.goal, info.goal_replaces = seg, True
        elif kind == "budget":
            budget, _ = _budget_of("预算" + seg)
            info.budget, info.budget_error = (budget, "") if budget else (None, seg)
        elif kind == "unit":
            info.unit = seg
        elif kind == "year":
            m2 = re.search(r"20\d{2}", seg)
            info.year = int(m2.group(0)) if m2 else None
        else:
            info.project_type = seg
    goals: list[str] = []
    first = True
    for part in free:
        for clause in _CLAUSE_SPLIT.split(part):
            clause = clause.strip()
            if not clause:
                continue
            budget, rest = _budget_of(clause)
            if budget is not None:
                info.budget = budget
                if re.search(r"[\u4e00-\u9fa5]{2,}", rest):
                    goals.append(rest)
                first = False
                continue
            if _spoken_budget(clause) and not any(ch.isdigit() for ch in clause):
                info.budget_error = clause  # "预算四十万"
                continue
            if first and not info.name:
                first = False
                cleaned = _REQUEST_TAIL.sub("", _REQUEST.sub("", clause)).strip()
                if cleaned and not _looks_like_sentence(cleaned):
                    info.name = cleaned
                    continue
                goals.append(clause)
                m = _OBJECT_AFTER_VERB.search(cleaned or clause)
                info.name, info.name_guessed = (m.group(1) if m else (cleaned or clause)[:20]), True
                continue
            first = False
            goals.append(clause)
    if goals:
        info.goal = "，".join(g for g in ([info.goal] if info.goal else []) + goals)
    if info.name and info.year is None:
        m = _YEAR_PREFIX.match(info.name)
        info.year = int(m.group(1)) if m else None
    return info


# ---------------------------------------------------------------------------------------------
# Intents: the text → one action (regex + rapidfuzz, no language model)
# ---------------------------------------------------------------------------------------------

_SLOT_ALIASES: dict[str, str] = {
    "服务对象满意度": cat.SERVED_SATISFACTION, "满意度": cat.SERVED_SATISFACTION, "满意": cat.SERVED_SATISFACTION,
    "可持续影响": cat.SUSTAINABLE, "可持续发展": cat.SUSTAINABLE, "可持续": cat.SUSTAINABLE, "长效": cat.SUSTAINABLE,
    "生态环境效益": cat.ECOLOGICAL, "生态效益": cat.ECOLOGICAL, "环境效益": cat.ECOLOGICAL, "生态": cat.ECOLOGICAL,
    "环境": cat.ECOLOGICAL, "经济效益": cat.ECONOMIC, "经济": cat.ECONOMIC, "社会效益": cat.SOCIAL,
    "社会": cat.SOCIAL, "数量": cat.QUANTITY, "质量": cat.QUALITY, "时效": cat.TIMELINESS, "进度": cat.TIMELINESS,
    "时间": cat.TIMELINESS, "成本": cat.COST, "费用": cat.COST,
}
_ALIASES_BY_LENGTH = sorted(_SLOT_ALIASES, key=len, reverse=True)


def canonical_slot(text: str) -> str | None:
    """'生态效益指标' / '生态效益' / '环境效益' / '满意度' → the canonical 二级 the draft uses."""
    t = cat.squeeze(text or "")
    canon = cat.canonical_level2(t)
    if canon in SLOT_ORDER:
        return canon
    t = re.sub(r"(类)?指标$", "", t)
    return _SLOT_ALIASES.get(t)


def _slot_in(text: str) -> str | None:
    """A 二级 named anywhere in the text (longest alias first), or close to one (typos).
    The newer hierarchy's 成本 二级 (经济成本指标 …) are returned as such: the draft has no such slot."""
    for other in (cat.ECON_COST, cat.SOCIAL_COST, cat.ECO_COST):
        if other.removesuffix("指标") in text:
            return other
    for a in _ALIASES_BY_LENGTH:
        if a in text:
            return _SLOT_ALIASES[a]
    best = max(((fuzz.partial_ratio(a, text), a) for a in _ALIASES_BY_LENGTH if len(a) >= 4), default=(0, ""))
    return _SLOT_ALIASES[best[1]] if best[0] >= 75 else None


_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_N = r"([0-9]+|[零〇一二两三四五六七八九十百]+)"
_CN_MONEY = re.compile(r"([零〇一二两三四五六七八九十百千]+)(万元|万|元)")


def cn_number(s: str) -> int:
    """'3' → 3, '三' → 3, '十二' → 12, '二十' → 20, '一百零五' → 105."""
    if s.isdigit():
        return int(s)
    total = num = 0
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        elif ch == "千":
            total += (num or 1) * 1000
            num = 0
    return total + num


_ROW_REF = re.compile(r"第\s*" + _N + r"\s*(?:行|条|项|个指标|个)?|(?<![\d.%\-－第])([0-9]+)\s*行")
_LAST_ROW = re.compile(r"最后一行|最后一条|末行|最末一行")
_THIS_ROW = re.compile(r"这一行|这行|该行|此行|这条|这一条|这个指标|这个值|这一项|它")
_ALT_REF = re.compile(r"(?:备选|候选|替代项?|选项|方案)\s*第?\s*" + _N
                      + r"|第?\s*" + _N + r"\s*个?\s*(?:备选|候选|替代项?|选项|方案)")
_SET_VERB = re.compile(r"(修改为|修改成|改为|改成|改到|设置为|设定为|设为|设成|调整为|调整成|调为|调到|调成|定为|"
                       r"变为|变成|替换为|替换成|换成|换为|写成|写为|填写为|填为|填成|更正为|=)")
_FIELD_WORDS = [("指标值确定依据", "basis"), ("确定依据", "basis"), ("取值依据", "basis"), ("依据", "basis"),
                ("指标名称", "name"), ("三级指标", "name"), ("名称", "name"), ("名字", "name"),
                ("指标描述", "description"), ("绩效指标描述", "description"), ("描述", "description"),
                ("说明", "description"), ("指标值", "value"), ("目标值", "value"), ("数值", "value"), ("值", "value")]
_PROFILE_FIELDS = {"项目名称": "项目名称", "项目名": "项目名称", "项目": "项目名称", "项目预算": "预算", "预算": "预算",
                   "总预算": "预算", "预算金额": "预算", "绩效目标": "目标", "项目目标": "目标", "目标": "目标",
                   "项目类型": "类型", "类型": "类型", "单位": "单位", "实施单位": "单位", "年度": "年度", "预算年度": "年度"}

_HELP = re.compile(r"^(?:帮助|help|菜单|命令|功能|说明|使用说明|\?|？)$|你能做什么|你可以做什么|你会什么|你会做什么|"
                   r"能做什么|能干什么|怎么用|如何使用|有什么功能|有哪些功能|帮助")
_EXPORT = re.compile(r"导出|下载|另存|保存为|保存成|输出为|输出成|生成文件")
_EXPORT_FMT = re.compile(r"(?:导出|下载|另存|保存|输出|生成)\s*(?:为|成|到)?\s*(?:一个|一份)?\s*(?:\.)?([a-z]+)")
_VALIDATE = re.compile(r"检查|校验|审核|审查|核查|核对|验证|有没有问题|有什么问题|有问题吗|合不合规|合规吗|体检")
_ACCEPT = re.compile(r"接受|采纳|采用|确认|同意|认可")
_ALL = re.compile(r"全部|所有|全都|都|整张|整个表|全表")
_REMOVE = re.compile(r"删除|删掉|删去|删了|去掉|去除|移除|拿掉|不要")
_ADD = re.compile(r"增加|添加|新增|加一行|加一个|加一条|加个|再加|补充|补一个|补一行|补一条|加上|多加|添上")
_REPLACE = re.compile(r"换一个|换个|换掉|换一下|换别的|换一换|再换|替换|更换|换一条|换一行|换$|换了")
_EXPLAIN = re.compile(r"为什么|为啥|为何|怎么来的|怎么定的|怎么算的|怎么得出|依据是什么|依据呢|理由|解释|讲讲|"
                      r"凭什么|根据什么|出处|来源|详情|详细|查看|看看|看一下|显示")
_PRECEDENTS = re.compile(r"先例|可比项目|可比|参考项目|类似项目|相似项目|同类项目|参照|对标|参考了哪些|哪些项目|参考了什么")
_DRAFT = re.compile(r"^(?:请|帮我|麻烦|那就|那么)?(?:你)?(?:帮我)?(?:重新|再|开始|马上|现在)?"
                    r"(?:起草|生成|做|出|拟|编制|写|来)(?:一下|一份|一个|一版|一遍|一次)?"
                    r"(?:草稿|指标|指标表|绩效目标表|绩效目标|绩效指标|目标表|表格|表)?(?:吧|了|啊|呢)?$"
                    r"|^(?:重来|重新来|再来一次|重做|重新生成|重新起草)$")
_NAMEISH = re.compile(r"(项目|经费|费用|费|工程|服务|运营|运行|建设|改造|维修|补贴|补助|采购|购置|活动|培训|整治|管理|"
                      r"保障|中心|站|室|资金|工作|宣传|保险|租赁|奖励|慰问|计划|行动|专项)$")
_FILLER = re.compile(r"^(?:请|麻烦|帮我|把|将|给|对|让)+|(?:吧|吗|呢|啊|一下|即可|就行|就好|谢谢)+$")


@dataclass
class Intent:
    action: str
    position: int | None = None  # 1-based row as displayed
    this_row: bool = False  # "这一行" / "这个值": the focused row
    all_rows: bool = False
    level2: str | None = None
    target: str = ""  # a phrase naming a row ("满意度")
    field: str | None = None
    value: str = ""
    fmt: str | None = None
    index: int | None = None  # 0-based alternative
    text: str = ""


def _clean(text: str) -> str:
    t = (text or "").translate(str.maketrans({"？": "?", "！": "!", "：": ":", "，": ",", "；": ";", "（": "(", "）": ")"}))
    return re.sub(r"\s+", "", t).strip().lower()


def _row_ref(t: str) -> tuple[int | None, str]:
    """(position, text without the reference); -1 for the last row."""
    m = _ROW_REF.search(t)
    if m:
        return cn_number(m.group(1) or m.group(2)), t[: m.start()] + t[m.end():]
    m = _LAST_ROW.search(t)
    if m:
        return -1, t[: m.start()] + t[m.end():]
    return None, t


def _strip_punct(t: str) -> str:
    return re.sub(r"^[\s,.;:!?。，；：！？、\"'“”「」]+|[\s,.;:!?。，；：！？、\"'“”「」]+$", "", t)


def _target_phrase(t: str, *patterns: re.Pattern) -> str:
    for p in patterns:
        t = p.sub("", t)
    t = _THIS_ROW.sub("", t)
    t = re.sub(r"(?:一个|一行|一条|这个|那个|的)", "", t)
    return _FILLER.sub("", _strip_punct(t))


def parse_intent(text: str, state: ChatState) -> Intent:
    """Map one message to one action, deterministically. Earlier rules win."""
    raw = text or ""
    t = _clean(raw)
    if not re.search(r"[\u4e00-\u9fa5a-z0-9]", t):
        return Intent("unknown", text=raw)
    has_profile = state.profile is not None
    pos, rest = _row_ref(t)

    # a project description stated outright (labels, or a clause that states the budget)
    if _LABEL.match(raw.strip()) or (pos is None and any(_budget_of(c)[0] or _spoken_budget(c)
                                                         for c in _CLAUSE_SPLIT.split(t))):
        return Intent("describe", text=raw)
    # commands are read before a set verb only: "第2行描述改为检查合格的比例" sets a description
    setting = _SET_VERB.search(t)
    head = t[: setting.start()] if setting else t
    if _HELP.search(head) and len(head) <= 15:
        return Intent("help", text=raw)
    if _EXPORT.search(head):
        m = _EXPORT_FMT.search(head)
        fmt = m.group(1) if m else None
        if fmt is None:
            fmt = "docx" if re.search(r"文档|word", head) else "xlsx"
        return Intent("export", fmt=fmt, text=raw)
    if _VALIDATE.search(head):
        return Intent("validate", text=raw)
    m = _ALT_REF.search(head)
    if m:
        return _alternative_intent(head, m, raw)
    if setting:
        return _set_intent(raw, t, setting, state)

    if _ACCEPT.search(t) and not (_EXPLAIN.search(t) or _PRECEDENTS.search(t)):
        return Intent("accept", position=pos, all_rows=pos is None and bool(_ALL.search(t)),
                      this_row=pos is None, text=raw)
    if _REPLACE.search(t):
        return _row_or_slot("replace", pos, rest, raw)
    if _REMOVE.search(t):
        return _row_or_slot("remove_row", pos, rest, raw)
    if _ADD.search(t):
        return Intent("add_row", level2=_slot_in(t), text=raw)
    if pos is None and _PRECEDENTS.search(t) and not _THIS_ROW.search(t):
        return Intent("precedents", text=raw)
    if _EXPLAIN.search(t) or _PRECEDENTS.search(t):
        this = pos is None and bool(_THIS_ROW.search(t))
        target = "" if pos is not None or this else _target_phrase(
            rest, _EXPLAIN, _PRECEDENTS, re.compile(r"建议|指标值|值|是|这么|有哪些|哪些|什么|用了|怎么"))
        return Intent("explain", position=pos, this_row=pos is None and not target, target=target, text=raw)
    if _DRAFT.search(_strip_punct(t)):
        return Intent("draft", text=raw)
    if pos is not None and len(_strip_punct(rest)) <= 3:  # "第4行" / "第4行呢"
        return Intent("explain", position=pos, text=raw)
    # a description without budget or labels: a project name, quantities, or a request to draft one
    clauses = [c for c in _CLAUSE_SPLIT.split(raw.strip()) if c.strip()]
    if clauses and re.search(r"[\u4e00-\u9fa5]{2}", raw):
        head = _REQUEST_TAIL.sub("", _REQUEST.sub("", _clean(clauses[0])))
        nameish = bool(head) and not _looks_like_sentence(head) and bool(_NAMEISH.search(head))
        asks = bool(_REQUEST.match(_clean(clauses[0]))) and len(head) >= 4
        counts = bool(extract_quantities(raw))
        if nameish or asks or (counts and (has_profile or len(clauses) > 1)):
            return Intent("describe", text=raw)
    return Intent("unknown", text=raw)


def _alternative_intent(text: str, m: re.Match, raw: str) -> Intent:
    """'第3行用备选2' / '用第二个备选' (the focused row)."""
    pos, _ = _row_ref(text[: m.start()] + text[m.end():])
    return Intent("pick_alternative", position=pos, this_row=pos is None,
                  index=cn_number(m.group(1) or m.group(2)) - 1, text=raw)


def _set_intent(raw: str, t: str, m: re.Match, state: ChatState) -> Intent:
    lhs, rhs = t[: m.start()], _strip_punct(raw_tail(raw, m.group(1)) or t[m.end():])
    rhs = re.sub(r"(?:吧|就行|即可|就好|可以吗|行吗)$", "", rhs)
    pos, lhs_rest = _row_ref(lhs)
    lhs_rest = _FILLER.sub("", _strip_punct(lhs_rest))
    # a profile field: "预算改为50万元", "项目名称改为…"
    key = re.sub(r"的$", "", lhs_rest)
    if pos is None and key in _PROFILE_FIELDS:
        return Intent("describe", text=f"{_PROFILE_FIELDS[key]}：{rhs}")
    fld = None
    for word, f in _FIELD_WORDS:
        if lhs_rest.endswith(word) or lhs_rest.endswith(word + "的"):
            fld, lhs_rest = f, lhs_rest[: lhs_rest.rfind(word)]
            break
    target = _target_phrase(lhs_rest)
    intent = Intent("set_value", position=pos, this_row=pos is None and not target, target=target,
                    value=rhs, text=raw)
    if m.group(1) in ("换成", "换为", "替换为", "替换成") and fld is None:
        alt = _ALT_REF.fullmatch(_clean(rhs))
        if alt:  # "第3行换成备选2"
            return _alternative_intent(lhs + _clean(rhs), _ALT_REF.search(lhs + _clean(rhs)), raw)
        if not re.search(r"\d|[≥≤<>=]", rhs):
            intent.action, intent.field = "pick_alternative", "name"  # by name; else a new name
        return intent
    if fld in ("name", "description", "basis"):
        intent.action, intent.field = "edit", fld
    return intent


def raw_tail(raw: str, verb: str) -> str:
    """The text after the verb as the user typed it (keeps '≥ 95 %' spacing out, case in)."""
    i = raw.find(verb)
    if i < 0:
        r = raw.replace("：", ":").replace("＝", "=")
        i = r.find(verb)
    return re.sub(r"\s+", "", raw[i + len(verb):]) if i >= 0 else ""


def _row_or_slot(action: str, pos: int | None, rest: str, raw: str) -> Intent:
    target = _target_phrase(rest, _REPLACE, _REMOVE, re.compile(r"掉|别的|其他|另外"))
    return Intent(action, position=pos, target=target, this_row=pos is None and not target, text=raw)


# ---------------------------------------------------------------------------------------------
# Resolving the row a request means
# ---------------------------------------------------------------------------------------------

def _match_row(state: ChatState, phrase: str) -> SuggestedRow:
    """The row a phrase names: its 二级 ("满意度", one row in the slot) or its name (rapidfuzz)."""
    d = _need_draft(state)
    p = re.sub(r"(类)?指标$", "", phrase)
    slot = canonical_slot(p)
    if slot is not None:
        rows = [r for r in d.rows if r.level2 == slot]
        if len(rows) == 1:
            return rows[0]
        if not rows:
            raise ChatError(f"草稿里没有{slot}。可以说「增加一个{slot}」。")
        named = [r for r in rows if p in r.name]
        if len(named) == 1:
            return named[0]
        raise _ambiguous(state, rows)
    scored = sorted(((max(fuzz.ratio(p, r.name), fuzz.partial_ratio(p, r.name) if len(p) >= 2 else 0), i, r)
                     for i, r in enumerate(d.rows)), key=lambda x: (-x[0], x[1]))
    if scored and scored[0][0] >= 70:
        best = [r for s, _, r in scored if s >= scored[0][0] - 2]
        if len(best) == 1:
            return best[0]
        raise _ambiguous(state, best)
    slot = _slot_in(p)
    if slot is not None:
        return _match_row(state, slot)
    raise ChatError(f"草稿里没有找到「{phrase}」这一行。请说第几行，例如「第2行改为≥90%」。\n\n" + _table(d))


def _ambiguous(state: ChatState, rows: list[SuggestedRow]) -> ChatError:
    listed = "、".join(f"第{position_of(state, r.id)}行「{r.name}」" for r in rows)
    return ChatError(f"有几行都符合：{listed}。请说是第几行。")


def _target_row(state: ChatState, it: Intent) -> int:
    """The id of the row an intent means: its number, its name, or the focused row."""
    d = _need_draft(state)
    if it.position is not None:
        return row_id_at(state, len(d.rows) if it.position == -1 else it.position)
    if it.target:
        return _match_row(state, it.target).id
    if state.focus_row is not None and any(r.id == state.focus_row for r in d.rows):
        return state.focus_row
    raise ChatError("请说明是第几行，例如「第3行」或「第三行」。\n\n" + _table(d))


# ---------------------------------------------------------------------------------------------
# respond
# ---------------------------------------------------------------------------------------------

def _unknown(text: str) -> Reply:
    said = text.strip()
    head = f"没听懂「{said[:40]}」。" if said else "请输入要做的事。"
    return Reply(text=head + "\n\n" + CAPABILITIES, action="unknown")


def _dispatch(it: Intent, state: ChatState, services: Services) -> Reply:
    a = it.action
    if a == "help":
        return help_text()
    if a == "unknown":
        return _unknown(it.text)
    if a == "describe":
        return describe(state, it.text, services)
    if a == "draft":
        return make_draft(state, services)
    if a == "precedents":
        return list_precedents(state, services)
    if a == "validate":
        return validate_draft(state, services)
    if a == "export":
        return export_draft(state, it.fmt or "xlsx", services.export_folder)
    if a == "accept" and it.all_rows:
        return accept_all(state)
    if a == "add_row":
        if it.level2 is None:
            raise ChatError(f"要增加哪一类指标？例如「增加一个生态效益指标」。可选：{'、'.join(SLOT_ORDER)}。")
        return add_row(state, it.level2, services)
    if a == "replace" and it.position is None and it.target:
        slot = canonical_slot(re.sub(r"(类)?指标$", "", it.target))
        if slot is not None:
            return replace_slot(state, slot, services)
    if a == "pick_alternative" and it.field == "name":
        return _pick_by_name(state, it, services)
    row_id = _target_row(state, it)
    if a == "replace":
        return replace_row(state, row_id, services)
    if a == "remove_row":
        return remove_row(state, row_id)
    if a == "accept":
        return accept_row(state, row_id)
    if a == "explain":
        return explain_row(state, row_id)
    if a == "set_value":
        if not it.value:
            raise ChatError("要改成什么值？例如「第2行改为≥90%」。")
        return set_value(state, row_id, it.value, services)
    if a == "edit":
        return edit_row(state, row_id, it.field, it.value, services)
    if a == "pick_alternative":
        return pick_alternative(state, row_id, it.index, services)
    return _unknown(it.text)


def _pick_by_name(state: ChatState, it: Intent, services: Services) -> Reply:
    """'第3行换成工程验收合格率': an alternative of that name, else the row is renamed."""
    row_id = _target_row(state, it)
    _, row = _row(state, row_id)
    scores = [(fuzz.ratio(it.value, a.name), i) for i, a in enumerate(row.alternatives)]
    best = max(scores, default=(0, -1))
    if best[0] >= 80:
        return pick_alternative(state, row_id, best[1], services)
    if not it.value:
        raise ChatError("要换成什么？例如「第3行换成工程验收合格率」或「第3行换一个」。")
    reply = edit_row(state, row_id, "name", it.value, services)
    reply.text += "（不是这一行的备选，已作为新名称；指标值未变，请核对。）"
    return reply


def respond(state: ChatState, text: str, services: Services) -> Reply:
    """One turn of the conversation: records both messages, never raises."""
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    try:
        state.messages.append(Message(role="user", text=text))
    except Exception:  # noqa: BLE001 - a state the UI broke still gets an answer
        log.exception("chat state has no message list")
    action = "unknown"
    try:
        it = parse_intent(text, state)
        action = it.action if it.action in ACTIONS else {"replace": "replace_row"}.get(it.action, "unknown")
        reply = _dispatch(it, state, services)
    except ChatError as exc:
        reply = Reply(text=str(exc), action=action)
    except Exception as exc:  # noqa: BLE001 - the chat must answer, whatever broke
        log.exception("chat respond failed on %r", text)
        reply = Reply(text=f"抱歉，处理「{text[:40]}」时出错（{type(exc).__name__}：{exc}）。\n\n{CAPABILITIES}",
                      action=action)
    try:
        state.messages.append(Message(role="assistant", text=reply.text))
    except Exception:  # noqa: BLE001
        log.exception("could not record the reply")
    return reply
