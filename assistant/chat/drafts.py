"""Drafting actions: describe the project (and draft), draft afresh."""

from __future__ import annotations

from rapidfuzz import fuzz

from ..drafting import engine
from ..drafting.convert import check_draft
from ..drafting.models import SuggestedRow
from ..drafting.profile import BudgetUnclear, make_profile
from ..drafting.taxonomy import type_of
from .description import parse_description
from .questions import budget_unit_question, missing_question
from .replies import findings_summary, profile_text, table
from .rows import insert_in_slot, same_name, taken
from .state import EXAMPLE, ChatError, ChatState, Reply, Services, chat_action


@chat_action("draft")
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
                if same is not None and same.value.raw == r.value.raw:
                    same.status = "accepted"
                else:
                    unconfirmed += 1
            if r.status not in ("edited", "added"):
                continue
            r = r.model_copy(update={"id": next_id})
            next_id += 1
            same = next((n for n in d.rows if n.level2 == r.level2 and n.status == "suggested"
                         and same_name(n.name, r.name)), None)
            if same is not None:
                d.rows[d.rows.index(same)] = r
            elif not taken(d, r.name):
                insert_in_slot(d, r)
            else:
                continue
            kept.append(r)
    state.draft = d
    state.focus_row = None
    state.next_row_id = next_id
    return kept, unconfirmed


def _draft_reply(state: ChatState, services: Services, head: str, action: str = "draft") -> Reply:
    d = state.draft
    findings = check_draft(d, services.corpus, services.indexes)
    parts = [head, profile_text(d.profile, d.project_type_label)]
    if d.rows:
        comps = "；".join(f"{c.name}（{c.unit} {c.year or ''}）" for c in d.comparables[:3])
        parts.append(f"参考的可比项目：{comps}" if comps else "")
        parts.append(table(d))
    parts += [f"注意：{n}" for n in d.notes if not n.startswith("待填写")]
    if d.rows:
        parts.append(f"校验：{findings_summary(findings)}。可以说「为什么建议这个值」「第3行换一个」"
                     "「满意度改为≥95%」「检查一下」「导出excel」。")
    state.question, ask = missing_question(state)
    parts.append(ask)
    return Reply(text="\n\n".join(p for p in parts if p), action=action, changed=True, findings=findings)


@chat_action("describe")
def describe(state: ChatState, text: str, services: Services, bare_budget_unit: str | None = None) -> Reply:
    """Read name/goal/budget/quantities from free text, keep what it does not mention, then draft.
    A bare budget above 10000 is asked about first (元 or 万元?), and read as the user answers."""
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
        profile = make_profile(name, goal, info.budget, bare_budget_unit=bare_budget_unit, **extra)
    except BudgetUnclear as exc:
        state.question, ask = budget_unit_question(exc.number, text)
        return Reply(text=ask, action="describe")
    except ValueError as exc:
        raise ChatError(str(exc)) from None
    if info.budget is None and not fresh and old.budget.wan is not None and profile.budget.wan is None:
        profile = profile.model_copy(update=dict(budget=old.budget))
        profile.quantities = [q for q in profile.quantities if q.raw not in old.budget.raw]
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
