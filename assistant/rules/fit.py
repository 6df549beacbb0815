"""Fit between an indicator's name, its category and its value (率 → %, 数量 → count, 成本 → money …)."""

from __future__ import annotations

from collections.abc import Iterator

from corpus.categories import QUALITY, QUANTITY, TIMELINESS
from corpus.models import IndicatorRow, Project
from corpus.values import to_wan, unit_family

from ..domain import MONEY_SLOTS, PER_UNIT_WORDS
from ..findings import Finding
from .base import Context, define, with_precedents
from .lexicon import DEADLINE_PHRASE, clean_name, is_positive, is_rate_name, is_reverse, is_satisfaction

RATE_PERCENT = define("fit.rate_needs_percent", "error", "比率类指标（…率、…度）的指标值不是百分比")
QUANTITY_COUNT = define("fit.quantity_needs_count", "error", "数量指标的指标值不是数量（个、人、次、平方米……）")
COST_MONEY = define("fit.cost_needs_money", "error", "成本指标的指标值不是金额（元、万元、元/人……）")
COST_BUDGET = define("fit.cost_exceeds_budget", "error", "成本金额超过项目预算（常见为元与万元混用）")
COST_UNIT = define("fit.cost_unit_mismatch", "error", "成本金额与预算数字相同而单位不同（元与万元混用）")
QUALITY_FORM = define("fit.quality_form", "warning", "质量指标的指标值是金额或时间")
DEADLINE = define("fit.timeliness_form", "error", "时效指标不是年度内的期限或及时率")
REVERSE_OP = define("fit.reverse_operator", "error", "反向指标（发生率、投诉率……）用了≥或>")
POSITIVE_CAP = define("fit.positive_capped", "error", "正向指标（合格率、满意度……）用了≤或<封顶")

_QUANTITY_FAMILIES = ("count", "size")
# Largest number a within-the-year deadline can carry, per time unit.
_YEAR_LIMIT = {"月份": 12, "月": 12, "个月": 12, "日": 366, "天": 366, "工作日": 366, "个工作日": 366,
               "周": 53, "季度": 4, "年": 1, "小时": 8784, "分钟": 527040}


def check(ctx: Context) -> Iterator[Finding]:
    for i, r in enumerate(ctx.project.rows):
        v = r.value
        if not v.clean or (v.number is not None and not v.unit) or not v.raw.strip():
            continue  # already reported by the value-form rules
        yield from _rate(ctx, i, r)
        yield from _category(ctx, i, r)
        yield from _direction(ctx, i, r)


def _shown(r: IndicatorRow) -> str:
    return r.value.raw.strip().replace("\n", "")


def rate_needs_percent(name: str, family: str) -> bool:
    """fit.rate_needs_percent: a rate (…率、…度) whose value's unit family is not percent."""
    return is_rate_name(name) and family != "percent"


def cost_needs_money(level2: str, family: str) -> bool:
    """fit.cost_needs_money: a cost indicator whose value's unit family is not money."""
    return level2 in MONEY_SLOTS and family != "money"


def _rate(ctx: Context, i: int, r: IndicatorRow) -> Iterator[Finding]:
    if not rate_needs_percent(r.name, unit_family(r.value.unit)):
        return
    if r.value.number is None and r.value.qualitative in ("无", "—", "-", "/"):
        return  # placeholder rows are reported by the quality rules
    yield ctx.row(RATE_PERCENT, i, f"名称是比率类指标，指标值却是「{_shown(r)}」",
                  with_precedents(ctx, i, "写成百分比目标，如「≥95%」；若要填人数、金额，请把名称改为对应的数量或成本指标",
                                  ("percent",)))


def _category(ctx: Context, i: int, r: IndicatorRow) -> Iterator[Finding]:
    v, l2 = r.value, r.level2.name
    family = unit_family(v.unit) if v.number is not None else "qualitative"
    if l2 == QUANTITY and family not in _QUANTITY_FAMILIES:
        what = "比率" if family == "percent" else ("文字" if family == "qualitative" else "非数量单位")
        yield ctx.row(QUANTITY_COUNT, i, f"数量指标应给出数量和计量单位，现为{what}「{_shown(r)}」",
                      with_precedents(ctx, i, "写成「数值+计量单位」，如「≥800个」「355名」；比率请归入质量指标",
                                      _QUANTITY_FAMILIES))
    elif l2 in MONEY_SLOTS:
        if cost_needs_money(l2, family):
            yield ctx.row(COST_MONEY, i, f"成本指标应为金额，现为「{_shown(r)}」",
                          with_precedents(ctx, i, _cost_fix(ctx.project), ("money",)))
        else:
            yield from _budget(ctx, i, r)
    elif l2 == QUALITY and family in ("money", "time"):
        yield ctx.row(QUALITY_FORM, i, f"质量指标的指标值「{_shown(r)}」是{'金额' if family == 'money' else '时间'}",
                      "质量指标写合格率、达标率、准确率等百分比；金额请归入成本指标，时间请归入时效指标")
    elif l2 == TIMELINESS:
        problem = _timeliness_problem(r)
        if problem:
            yield ctx.row(DEADLINE, i, problem, with_precedents(
                ctx, i, "写年度内的完成期限（如「≤12月份」「≤30日」「年底前」）或及时率（如「≥95%」）",
                ("time", "percent")))


def _cost_fix(p: Project) -> str:
    if p.budget.wan is not None:
        return f"写金额，如「≤{p.budget.wan:g}万元」（项目预算）或单位成本「元/人」"
    return "写金额，如「≤5万元」或单位成本「300元/人」"


def _is_per_unit(r: IndicatorRow) -> bool:
    return "/" in r.value.unit or any(w in clean_name(r.name) for w in PER_UNIT_WORDS)


def _budget(ctx: Context, i: int, r: IndicatorRow) -> Iterator[Finding]:
    budget = ctx.project.budget.wan
    if budget is None or budget <= 0:
        return
    v = r.value
    head = v.unit.split("/")[0]
    wan = to_wan(v.number, head)
    if wan > budget * 1.000001:
        kind = "单位成本" if _is_per_unit(r) else "金额"
        fix = f"成本不能超过项目预算{budget:g}万元"
        if head in ("万元", "万") and wan / 10000 <= budget:
            # say plainly which unit the number would be in and what to write then
            rest = v.unit[len(head):]  # "/人" of 万元/人
            fix += (f"。若这笔钱是{v.number:g}元而不是{v.number:g}万元，请把指标值写成「{v.op}{v.number:g}元{rest}」"
                    f"（合{wan / 10000:g}万元）；若确是{v.number:g}万元，请核对金额或预算")
        yield ctx.row(COST_BUDGET, i, f"{kind}「{_shown(r)}」折合{wan:g}万元，超过项目预算{budget:g}万元", fix)
    elif head == "元" and not _is_per_unit(r) and abs(v.number - budget) <= budget * 0.005:
        yield ctx.row(COST_UNIT, i, f"金额「{_shown(r)}」与预算数{budget:g}万元数字相同，单位却是「元」",
                      f"应为「{v.op}{budget:g}万元」（或「{v.op}{budget * 10000:g}元」）")


def _timeliness_problem(r: IndicatorRow) -> str:
    v = r.value
    if v.number is None:
        if DEADLINE_PHRASE.match(v.qualitative):
            return ""
        return f"「{_shown(r)}」不是期限，无法考核是否按时"
    family = unit_family(v.unit)
    if family == "percent":
        return ""
    if family == "time":
        limit = _YEAR_LIMIT.get(v.unit)
        if limit is not None and v.number > limit:
            return f"期限「{_shown(r)}」超出预算年度"
        return ""
    return f"时效指标应为期限或及时率，现为「{_shown(r)}」"


def _direction(ctx: Context, i: int, r: IndicatorRow) -> Iterator[Finding]:
    v = r.value
    if v.number is None or unit_family(v.unit) != "percent":
        return
    if is_reverse(r) and v.op in ("≥", ">"):
        yield ctx.row(REVERSE_OP, i, f"反向指标（越低越好）写成了「{_shown(r)}」",
                      with_precedents(ctx, i, f"改为上限，如「≤{v.number:g}%」，并核对数值是否为允许的最高比率",
                                      ("percent",)))
    elif (is_positive(r) or (is_satisfaction(r) and is_rate_name(r.name))) and v.op in ("≤", "<"):
        yield ctx.row(POSITIVE_CAP, i, f"正向指标（越高越好）写成了上限「{_shown(r)}」",
                      with_precedents(ctx, i, f"改为下限，如「≥{v.number:g}%」", ("percent",)))
