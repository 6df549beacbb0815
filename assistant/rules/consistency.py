"""Consistency with the project: counts in the goal text carried by an indicator, budget figures in the text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.categories import squeeze
from corpus.values import normalise_text, parse_money, to_wan

from ..findings import Finding
from .base import Context, define

GOAL_NUMBER = define("consistency.goal_number_missing", "warning", "绩效目标中的数量没有指标体现")
BUDGET_TEXT = define("consistency.budget_text_mismatch", "error", "目标/用途文字中的预算金额与预算数不一致")

_COUNT_UNITS = ("人次", "场次", "平方米", "公里", "千米", "个", "名", "人", "户", "次", "份", "场", "件", "项", "所",
                "家", "座", "处", "条", "张", "套", "台", "辆", "本", "册", "批", "棵", "株", "间", "支", "队", "组",
                "类", "米", "亩", "吨")
# A count: not part of a range (3000户-5000户), not a threshold (<3000户, 含3000户), not 个月.
_COUNT_RE = re.compile(
    r"(?<![\d.\-—~～<>≤≥含])(\d+(?:\.\d+)?)(" + "|".join(_COUNT_UNITS) + r")(?![\d\-—~～月工小])")
_BUDGET_RE = re.compile(
    r"(项目预算资金|预算资金|项目资金|资金总额|预算总额|总预算|预算数|总投资|共计|合计|总计)(?:为|约|共)?"
    r"(\d+(?:,\d{3})*(?:\.\d+)?)(亿元|万元|元|万)")


def check(ctx: Context) -> Iterator[Finding]:
    yield from _goal_numbers(ctx)
    yield from _budget_text(ctx)


def _texts(ctx: Context) -> list[str]:
    return [normalise_text(t) for t in (*ctx.project.goals, ctx.project.purpose) if squeeze(t)]


def _goal_numbers(ctx: Context) -> Iterator[Finding]:
    rows = ctx.project.rows
    carried = {r.value.number for r in rows if r.value.number is not None}
    named = " ".join(normalise_text(r.name) for r in rows)
    reported: set[float] = set()
    for text in _texts(ctx):
        for m in _COUNT_RE.finditer(text):
            number = float(m.group(1))
            in_a_name = re.search(rf"(?<![\d.]){re.escape(m.group(1))}(?![\d.])", named)
            if number in carried or number in reported or in_a_name:
                continue
            reported.add(number)
            mention = m.group(0)
            yield ctx.table(GOAL_NUMBER, f"绩效目标写有「{mention}」，但没有指标的目标值是{m.group(1)}",
                            f"在数量指标中体现（如「…数量 ={mention}」），或改正目标文字中的数字")


def _budget_text(ctx: Context) -> Iterator[Finding]:
    budget = ctx.project.budget.wan
    if budget is None or budget <= 0:
        return
    for text in _texts(ctx):
        for m in _BUDGET_RE.finditer(text):
            number, unit = float(m.group(2).replace(",", "")), m.group(3)
            wan = parse_money(m.group(0)).wan  # the amount as the budget is read
            if abs(wan - budget) <= max(budget * 0.005, 0.0001):
                continue
            said = f"{m.group(2)}{unit}"
            fix = f"改为与预算数一致的{budget:g}万元（{budget * 10000:.2f}元）"
            other = "元" if unit in ("万元", "万") else "万元"
            if abs(to_wan(number, other) - budget) <= budget * 0.005:
                fix = f"单位写错：应为「{m.group(2)}{other}」（={budget:g}万元）"
            yield ctx.table(BUDGET_TEXT, f"文字写「{m.group(1)}{said}」（折合{wan:g}万元），与预算数{budget:g}万元不一致", fix)
