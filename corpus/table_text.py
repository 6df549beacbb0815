"""Reading the text of a table: what a header cell's column holds, the unit and region a document
names, and the goal sentences of a goal cell."""

from __future__ import annotations

import re

from .categories import squeeze
from .readers.blocks import Row

_GOAL_SPLIT = re.compile(r"\s+(?=\d+[.、．])|(?=目标\d+[:：])")
_UNIT = re.compile(r"([\u4e00-\u9fa5]{2,30}?(?:街道办事处|城区办事处|乡人民政府|镇人民政府))")
_UNIT_JUNK = re.compile(r"^.*?(?:本年度|年度|现将|根据|按照|本|我)")
_REGION = re.compile(
    r"^(?:[\u4e00-\u9fa5]{2,6}?(?:省|自治区))?(?:[\u4e00-\u9fa5]{1,6}?(?:市|自治州|地区|盟))?"
    r"(?:[\u4e00-\u9fa5]{1,6}?(?:自治县|县|区|旗|市))?"
)
_GOAL_LABEL = re.compile(r"^(年度)?(总体)?绩效目标\s*([（(][^)）]*[)）])?\s*(目标\s*[:：])?\s*")


def column_role(header: str) -> str:
    h = squeeze(header)
    if not h:
        return ""
    if "依据" in h:
        return "basis"
    if h.startswith("一级"):
        return "level1"
    if h.startswith("二级"):
        return "level2"
    if h.startswith("三级"):
        return "value" if ("目标值" in h or h.endswith("值")) else "name"
    if "描述" in h or "解释" in h:
        return "description"
    if ("评" in h and "分" in h) or "扣分" in h:
        return "scoring"
    if "权重" in h or h == "分值":
        return "weight"
    if "指标值" in h or "目标值" in h or h == "值":
        return "value"
    return ""


def is_header(row: Row) -> bool:
    roles = [column_role(c) for c in row.cells]
    return "level1" in roles and "value" in roles and ("name" in roles or "level2" in roles)


def find_unit(texts: list[str]) -> str:
    for t in texts:
        m = _UNIT.search(squeeze(t))
        if m:
            return _UNIT_JUNK.sub("", m.group(1)) or m.group(1)
    return ""


def region_of(unit: str) -> str:
    m = _REGION.match(unit)
    return m.group(0) if m else ""


def split_goals(text: str) -> list[str]:
    parts: list[str] = []
    for line in text.split("\n"):
        for piece in _GOAL_SPLIT.split(line):
            piece = _GOAL_LABEL.sub("", piece.strip()).strip()
            if piece and piece not in parts:
                parts.append(piece)
    return parts
