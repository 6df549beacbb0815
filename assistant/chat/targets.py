"""The row a request means: its position, a phrase naming it (its 二级 or its name), or the focused row."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..drafting.models import SuggestedRow
from .intents import Intent
from .replies import table
from .slots import canonical_slot, slot_in
from .state import ChatError, ChatState, need_draft, position_of, row_id_at


def target_row(state: ChatState, it: Intent) -> int:
    """The id of the row an intent means: its number, its name, or the focused row."""
    d = need_draft(state)
    if it.position is not None:
        return row_id_at(state, len(d.rows) if it.position == -1 else it.position)
    if it.target:
        return _match_row(state, it.target).id
    if state.focus_row is not None and any(r.id == state.focus_row for r in d.rows):
        return state.focus_row
    raise ChatError("请说明是第几行，例如「第3行」或「第三行」。\n\n" + table(d))


def _match_row(state: ChatState, phrase: str) -> SuggestedRow:
    """The row a phrase names: its 二级 ("满意度", one row in the slot) or its name (rapidfuzz)."""
    d = need_draft(state)
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
    slot = slot_in(p)
    if slot is not None:
        return _match_row(state, slot)
    raise ChatError(f"草稿里没有找到「{phrase}」这一行。请说第几行，例如「第2行改为≥90%」。\n\n" + table(d))


def _ambiguous(state: ChatState, rows: list[SuggestedRow]) -> ChatError:
    listed = "、".join(f"第{position_of(state, r.id)}行「{r.name}」" for r in rows)
    return ChatError(f"有几行都符合：{listed}。请说是第几行。")
