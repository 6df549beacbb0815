"""Project types (one place): the kinds of the standard indicator library, recognised by keywords."""

from __future__ import annotations

import re

from pydantic import BaseModel

from . import library


class ProjectType(BaseModel):
    key: str
    label: str
    keywords: tuple[str, ...]
    by_name_end: bool = True  # a keyword ending the name weighs more (library.Kind.by_name_end)


# The kinds of the standard indicator library are the project types: one list for both.
TYPES: list[ProjectType] = [ProjectType(key=k.key, label=k.label, keywords=k.keywords, by_name_end=k.by_name_end)
                            for k in library.KINDS]
BY_KEY = {t.key: t for t in TYPES}
OTHER = ProjectType(key="other", label="其他", keywords=())


# generic money words a project name ends with; what comes before them says what the money buys
_MONEY_TAIL = re.compile(r"(经费|资金|费用|费|项目|专项)+$")


def classify(name: str, goal: str = "") -> tuple[ProjectType, dict[str, float]]:
    """Keyword vote: the name counts double, longer keywords more (「车辆保险」 beats 「保险」), and the
    keyword the name ends with (before 经费/资金/费) counts double again: a Chinese project name ends
    with what the money pays for (地震群测群防岗位津贴 is an allowance, not safety work)."""
    stem = _MONEY_TAIL.sub("", name)
    scores: dict[str, float] = {}
    for t in TYPES:
        tail = 2.0 if t.by_name_end else 0.0
        s = sum((2.0 * (kw in name) + 0.5 * (kw in goal) + tail * stem.endswith(kw)) * (1 + 0.2 * len(kw))
                for kw in t.keywords)
        if s:
            scores[t.key] = round(s, 2)
    if not scores:
        return OTHER, {}
    best = max(scores, key=lambda k: scores[k])
    return BY_KEY[best], scores


def type_of(key: str | None) -> ProjectType:
    if key is None or key in (OTHER.key, OTHER.label):
        return OTHER
    if key in BY_KEY:
        return BY_KEY[key]
    for t in TYPES:  # the user may give the Chinese label
        if key == t.label or key in t.label:
            return t
    raise ValueError(f"未知的项目类型：{key}（可选：{'、'.join(t.label for t in TYPES)}）")
