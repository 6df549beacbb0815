"""A new project as the user describes it: name, goal, budget and the quantities they mention."""

from __future__ import annotations

import re

from pydantic import BaseModel, Field, model_validator

from corpus.models import Money
from corpus.values import normalise_text, parse_money

from assistant.understand import (Quantity, Understanding, extract_quantities, normalised, require_chinese,
                                 simplified, understand)

__all__ = ["ProjectProfile", "Quantity", "BudgetUnclear", "extract_quantities", "make_profile", "parse_budget"]


_OLD_BUDGET_KEYS = {"budget_wan", "budget_raw", "budget_unit"}


class ProjectProfile(BaseModel):
    name: str
    goal: str = ""
    # 万元, the text the user wrote, and the unit they gave it in (cost values are written in it);
    # Money() when no budget was given
    budget: Money = Field(default_factory=Money)
    unit: str = ""
    region: str = ""
    year: int | None = None
    project_type: str | None = None  # taxonomy key when the user sets it
    quantities: list[Quantity] = Field(default_factory=list)
    understanding: Understanding | None = None  # object, activity, served party … (make_profile fills it)

    @model_validator(mode="before")
    @classmethod
    def _budget_from_separate_fields(cls, data):
        """Profiles saved before the budget was one Money (drafts.sqlite3) carry budget_wan,
        budget_raw and budget_unit (the last "万元" even when no budget was given)."""
        if isinstance(data, dict) and "budget" not in data and _OLD_BUDGET_KEYS & data.keys():
            wan = data.get("budget_wan")
            budget = Money(wan=wan, raw=data.get("budget_raw") or "",
                           unit=(data.get("budget_unit") or "万元") if wan is not None else "")
            data = {k: v for k, v in data.items() if k not in _OLD_BUDGET_KEYS} | {"budget": budget}
        return data

    def model_post_init(self, _context) -> None:
        if self.understanding is None:  # profiles saved before understanding existed, or built by hand
            self.understanding = understand(self.name, self.goal)


_BUDGET_CONTEXT = re.compile(r"(?:预算|资金|经费|金额|总额|投入|拨款)[^0-9，,。；;]{0,6}?(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)?")
_AMOUNT = re.compile(r"^\s*(\d+(?:,\d{3})*(?:\.\d+)?)\s*(万元|万|元)?\s*$")
BARE_BUDGET_LIMIT = 10000  # a bare number above this is almost surely 元, not 万元


class BudgetUnclear(ValueError):
    """A bare budget such as 450000: 万元 (45亿元) or 元 (45万元)? The user must say which."""

    def __init__(self, number: float):
        self.number = number
        super().__init__(f"预算「{number:g}」没有写单位：按万元是 {number / 10000:g} 亿元，按元是 {number / 10000:g} 万元。"
                         f"很可能是元——请写明「{number:g}元」或「{number:g}万元」。")


def parse_budget(text: str | None) -> Money:
    """The budget in what the user typed: '50万元' → 50; '3300元' → 0.33; '0.4' (bare: 万元, the
    tables' usual unit) → 0.4; '…预算40万元…' in a goal text. This finds where the amount is;
    `corpus.values.parse_money` reads it. Money() when there is none."""
    if text is None:
        return Money()
    t = normalise_text(str(text))
    m = _AMOUNT.match(t) or _BUDGET_CONTEXT.search(t)
    if not m:
        return Money()
    return parse_money(m.group(0), default_unit="万元")


def make_profile(name: str, goal: str = "", budget: str | float | None = None, *,
                 bare_budget_unit: str | None = None, **extra) -> ProjectProfile:
    """Build a profile from what the user typed; the budget may also be found in the goal text.
    Traditional characters and Chinese numerals are read first; a text with no Chinese is refused
    (NotChinese), and a bare budget above 10000 is refused (BudgetUnclear) unless
    `bare_budget_unit` says how to read it."""
    require_chinese(f"{name} {goal}")
    name, goal = simplified(name).strip(), simplified(goal).strip()  # as typed, in simplified characters
    if budget not in (None, "") and _AMOUNT.match(normalise_text(str(budget))) and not re.search(r"[万元]", str(budget)):
        number = float(normalise_text(str(budget)).replace(",", ""))
        if bare_budget_unit is None and number > BARE_BUDGET_LIMIT:
            raise BudgetUnclear(number)
        if bare_budget_unit:
            budget = f"{normalise_text(str(budget))}{bare_budget_unit}"
    elif budget not in (None, ""):
        budget = normalised(str(budget))
    money = parse_budget(budget) if budget not in (None, "") else parse_budget(normalised(goal))
    if budget not in (None, "") and money.wan is None:
        raise ValueError(f"预算无法识别：{budget}（示例：40万元、3300元、0.4）")
    u = understand(name, goal)
    quantities = u.quantities
    if money.raw and money.wan is not None:  # the budget's own digits are not a quantity
        quantities = [q for q in quantities if q.raw not in money.raw]
    u = u.model_copy(update={"quantities": quantities})
    return ProjectProfile(name=name, goal=goal, budget=money, quantities=quantities, understanding=u, **extra)
