"""The draft's 二级 slots by name: their display order and what users call them (满意度, 生态 …)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from corpus import categories as cat

from .. import domain
from .state import ChatError

# display order of the 二级 slots (the official hierarchy); added rows go into their slot
SLOT_ORDER = domain.SLOT_ORDER

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


def slot_in(text: str) -> str | None:
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


def slot_name(level2: str) -> str:
    canon = canonical_slot(level2)
    if canon is None:
        raise ChatError(f"不能起草「{level2}」。可选的二级指标：{'、'.join(SLOT_ORDER)}。")
    return canon
