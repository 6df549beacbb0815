"""Canonical 一级/二级 indicator categories and their synonyms (one place for the taxonomy)."""

from __future__ import annotations

import re

from .models import Category

OUTPUT = "产出指标"
BENEFIT = "效益指标"
SATISFACTION = "满意度指标"
COST_L1 = "成本指标"  # newer hierarchy: 成本 as a 一级指标

QUANTITY = "数量指标"
QUALITY = "质量指标"
TIMELINESS = "时效指标"
COST = "成本指标"
ECONOMIC = "经济效益指标"
SOCIAL = "社会效益指标"
ECOLOGICAL = "生态效益指标"
SUSTAINABLE = "可持续影响指标"
SERVED_SATISFACTION = "服务对象满意度指标"
ECON_COST = "经济成本指标"
SOCIAL_COST = "社会成本指标"
ECO_COST = "生态环境成本指标"

LEVEL1 = [OUTPUT, COST_L1, BENEFIT, SATISFACTION]
LEVEL2 = [
    QUANTITY, QUALITY, TIMELINESS, COST,
    ECONOMIC, SOCIAL, ECOLOGICAL, SUSTAINABLE,
    SERVED_SATISFACTION,
    ECON_COST, SOCIAL_COST, ECO_COST,
]

# The 一级 each 二级 belongs under in the official hierarchy.
PARENT: dict[str, tuple[str, ...]] = {
    QUANTITY: (OUTPUT,),
    QUALITY: (OUTPUT,),
    TIMELINESS: (OUTPUT,),
    COST: (OUTPUT, COST_L1),
    ECONOMIC: (BENEFIT,),
    SOCIAL: (BENEFIT,),
    ECOLOGICAL: (BENEFIT,),
    SUSTAINABLE: (BENEFIT,),
    SERVED_SATISFACTION: (SATISFACTION,),
    ECON_COST: (COST_L1,),
    SOCIAL_COST: (COST_L1,),
    ECO_COST: (COST_L1,),
}

# Written forms (whitespace removed) → canonical. Keys are matched exactly first,
# then by the "指标"-less stem.
_L1_SYNONYMS = {
    "产出指标": OUTPUT, "产出": OUTPUT, "部门产出": OUTPUT, "项目完成指标": OUTPUT,
    "项目产出": OUTPUT, "产出类指标": OUTPUT,
    "效益指标": BENEFIT, "效益": BENEFIT, "部门效果": BENEFIT, "效果指标": BENEFIT,
    "项目效益": BENEFIT, "效果": BENEFIT, "项目效果": BENEFIT,
    "满意度指标": SATISFACTION, "满意度": SATISFACTION, "满意度类指标": SATISFACTION,
    "成本指标": COST_L1, "成本": COST_L1,
}
_L2_SYNONYMS = {
    "数量指标": QUANTITY, "数量": QUANTITY,
    "质量指标": QUALITY, "质量": QUALITY,
    "时效指标": TIMELINESS, "时效": TIMELINESS, "进度指标": TIMELINESS, "进度": TIMELINESS,
    "时效性指标": TIMELINESS,
    "成本指标": COST, "成本": COST,
    "经济效益指标": ECONOMIC, "经济效益": ECONOMIC,
    "社会效益指标": SOCIAL, "社会效益": SOCIAL,
    "生态效益指标": ECOLOGICAL, "生态效益": ECOLOGICAL, "环境效益指标": ECOLOGICAL,
    "环境效益": ECOLOGICAL, "生态环境效益指标": ECOLOGICAL, "生态环境效益": ECOLOGICAL,
    "可持续影响指标": SUSTAINABLE, "可持续影响": SUSTAINABLE, "可持续发展指标": SUSTAINABLE,
    "可持续效益指标": SUSTAINABLE,
    "服务对象满意度指标": SERVED_SATISFACTION, "服务对象满意度": SERVED_SATISFACTION,
    "满意度指标": SERVED_SATISFACTION, "满意度": SERVED_SATISFACTION,
    "社会公众或服务对象满意度指标": SERVED_SATISFACTION,
    "经济成本指标": ECON_COST, "经济成本": ECON_COST,
    "社会成本指标": SOCIAL_COST, "社会成本": SOCIAL_COST,
    "生态环境成本指标": ECO_COST, "生态环境成本": ECO_COST,
}
# 二级 names written in a 一级 cell (seen: "社会效益 指标" as 一级) tell their parent.
_L2_AS_L1 = {k: PARENT[v][0] for k, v in _L2_SYNONYMS.items()}

_WS = re.compile(r"\s+")


def squeeze(text: str) -> str:
    """Drop all whitespace: Word exports break category cells anywhere ("可持续影 响指标")."""
    return _WS.sub("", text or "")


def canonical_level1(raw: str) -> str:
    key = squeeze(raw)
    if not key:
        return ""
    if key in _L1_SYNONYMS:
        return _L1_SYNONYMS[key]
    if key in _L2_AS_L1:
        return _L2_AS_L1[key]
    return ""


def canonical_level2(raw: str) -> str:
    key = squeeze(raw)
    return _L2_SYNONYMS.get(key, "") if key else ""


def is_category_word(raw: str) -> bool:
    key = squeeze(raw)
    return bool(key) and (key in _L1_SYNONYMS or key in _L2_SYNONYMS)


def level1_category(raw: str) -> Category:
    return Category(name=canonical_level1(raw), raw=raw.strip())


def level2_category(raw: str) -> Category:
    return Category(name=canonical_level2(raw), raw=raw.strip())


def parent_of(level2: str) -> str:
    """The usual 一级 of a canonical 二级 ('' when unknown)."""
    parents = PARENT.get(level2)
    return parents[0] if parents else ""
