"""What the assistant asks for when a good draft needs it: the unit of a bare budget (before
drafting), then in one short question what the draft still lacks (budget, the planned quantities,
who is served). The answer fills the draft in; anything else the user says is handled as usual."""

from __future__ import annotations

import re
from corpus import categories as cat

from ..drafting.standard_rows import kind_of
from ..understand import served_party
from .state import Blank, ChatState, Question


_UNIT_ANSWER = re.compile(r"^(?:是|按|单位是|单位为)?(万元|万|元)(?:吧|的|。)?$")
_NUMBER_ANSWER = re.compile(r"^(?:约|共|计划)?(\d+(?:\.\d+)?)\s*([^\d\s]{0,3})$")
_UNIT_IN_NOTE = re.compile(r"单位：([^）)]+)")


def budget_unit_question(number: float, text: str) -> tuple[Question, str]:
    q = Question(kind="budget_unit", number=number, text=text)
    return q, (f"预算「{number:g}」没有写单位：是 {number:g} 元（{number / 10000:g} 万元），还是 {number:g} 万元"
               f"（{number / 10000:g} 亿元）？请回答「元」或「万元」。")


def missing_question(state: ChatState) -> tuple[Question | None, str]:
    """One short question for what the draft lacks; (None, "") when nothing is missing."""
    d, p = state.draft, state.profile
    if d is None or p is None:
        return None, ""
    blanks = []
    for r in d.rows:
        if r.level2 == cat.QUANTITY and not r.value.raw:
            m = _UNIT_IN_NOTE.search(r.note)
            blanks.append(Blank(row_id=r.id, name=r.name, unit=m.group(1) if m else ""))
    kind = kind_of(d.project_type)
    party = "" if p.understanding.served else (kind.served or "服务对象")
    q = Question(kind="missing", budget=p.budget.wan is None, blanks=blanks, party=party)
    asks = []
    if q.budget:
        asks.append("预算是多少（如「预算48万元」）")
    for b in blanks:
        asks.append(f"计划的{b.name}是多少{f'（单位：{b.unit}）' if b.unit else ''}")
    if party:
        asks.append(f"服务对象是谁（满意度现按「{party}」写）")
    if not asks:
        return None, ""
    return q, "还想确认：" + "；".join(f"{i}. {a}" for i, a in enumerate(asks, 1)) + "。直接回答即可。"


def unit_answer(q: Question, text: str) -> str | None:
    """'元' / '万元' answering a budget-unit question."""
    m = _UNIT_ANSWER.match(text.strip())
    if q.kind != "budget_unit" or not m:
        return None
    return "万元" if m.group(1) in ("万", "万元") else "元"


def number_answer(q: Question, text: str) -> tuple[Blank, str] | None:
    """'600' or '600人次' answering the first blank quantity: (the row, the value to write)."""
    m = _NUMBER_ANSWER.match(text.strip())
    if q.kind != "missing" or not q.blanks or not m:
        return None
    blank = q.blanks[0]
    unit = m.group(2) or blank.unit
    if not unit or (blank.unit and m.group(2) and m.group(2) != blank.unit):
        return None
    op = "≥" if unit in ("人", "名", "人次", "次", "场", "期", "餐", "餐次") else "="
    return blank, f"{op}{m.group(1)}{unit}"


def party_answer(q: Question, text: str) -> str | None:
    """'学生家长' answering who is served (a short text naming a party, no number)."""
    t = text.strip().rstrip("。")
    t = re.sub(r"^(?:服务对象)?(?:是|为)", "", t)
    if q.kind != "missing" or not q.party or len(t) > 8 or re.search(r"\d", t) or not served_party(t):
        return None
    return t
