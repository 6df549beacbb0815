"""A new project as the user describes it: name, goal, budget and the quantities they mention."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field

from corpus.values import COUNT_UNITS, SIZE_UNITS, normalise_text, to_wan


class Quantity(BaseModel):
    number: float
    unit: str  # 个, 名, 米 …
    noun: str = ""  # what is counted: 社区, 老人 …
    raw: str

    def named_in(self, text: str) -> bool:
        """Does an indicator name speak of what this quantity counts? (shares a 2-character word)"""
        grams = {self.noun[i:i + 2] for i in range(len(self.noun) - 1)}
        return any(g in text for g in grams)


class ProjectProfile(BaseModel):
    name: str
    goal: str = ""
    budget_wan: float | None = None
    budget_raw: str = ""
    budget_unit: str = "万元"  # the unit the user gave the budget in: cost values are written in it
    unit: str = ""
    region: str = ""
    year: int | None = None
    project_type: str | None = None  # taxonomy key when the user sets it
    quantities: list[Quantity] = Field(default_factory=list)


_BUDGET_CONTEXT = re.compile(r"(?:预算|资金|经费|金额|总额|投入|拨款)[^0-9，,。；;]{0,6}?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)?")
_AMOUNT = re.compile(r"^\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)?\s*$")
_QUANTITY_UNITS = sorted((COUNT_UNITS | SIZE_UNITS | {"人次", "场次", "平方米"}) - {"万人", "万人次"}, key=len, reverse=True)
_QUANTITY = re.compile(r"(\d+(?:\.\d+)?)\s*(" + "|".join(map(re.escape, _QUANTITY_UNITS)) + r")([\u4e00-\u9fa5]{0,4})")
_NOUN_STOP = re.compile(r"(的|和|及|与|，|。|开展|进行|完成|以上|左右|共|服务|提供|补|经费|工资|发放|到|两侧|进行).*$")


def parse_budget(text: str) -> tuple[float | None, str, str]:
    """'50万元' → 50; '3300元' → 0.33; '0.4' (bare: 万元, the tables' usual unit) → 0.4.
    Returns (万元, the raw match, the unit the user wrote)."""
    if text is None:
        return None, "", "万元"
    t = normalise_text(str(text))
    m = _AMOUNT.match(t) or _BUDGET_CONTEXT.search(t)
    if not m:
        return None, "", "万元"
    number = float(m.group(1).replace(",", ""))
    unit = {"万": "万元", None: "万元"}.get(m.group(2), m.group(2))
    return to_wan(number, unit), m.group(0), unit


def extract_quantities(text: str) -> list[Quantity]:
    """'13个社区', '350名老人', '500米' … money and percentages are not quantities."""
    out: list[Quantity] = []
    for m in _QUANTITY.finditer(normalise_text(text or "")):
        end = m.end()
        if text and normalise_text(text)[end:end + 1] in ("%", "元"):
            continue
        noun = _NOUN_STOP.sub("", m.group(3))
        out.append(Quantity(number=float(m.group(1)), unit=m.group(2), noun=noun, raw=f"{m.group(1)}{m.group(2)}{noun}"))
    return out


def make_profile(name: str, goal: str = "", budget: str | float | None = None, **extra) -> ProjectProfile:
    """Build a profile from what the user typed; the budget may also be found in the goal text."""
    wan, raw, unit = parse_budget(budget) if budget not in (None, "") else parse_budget(goal)
    if budget not in (None, "") and wan is None:
        raise ValueError(f"预算无法识别：{budget}（示例：40万元、3300元、0.4）")
    quantities = extract_quantities(f"{name} {goal}")
    if raw and wan is not None:  # the budget's own digits are not a quantity
        quantities = [q for q in quantities if q.raw not in raw]
    return ProjectProfile(name=name.strip(), goal=goal.strip(), budget_wan=wan, budget_raw=raw,
                          budget_unit=unit, quantities=quantities, **extra)
