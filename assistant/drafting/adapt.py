"""Target values adapted to the new project, from a group of agreeing precedent rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from corpus.models import Money
from corpus import categories as cat
from corpus.values import parse_target_value, to_wan, unit_family
from index.records import RowRecord

from assistant import domain
from assistant.rules.lexicon import is_rate_name, is_reverse_name, is_vague

from .profile import ProjectProfile, Quantity

_COUNT_EQUIV = {"人": {"人", "名", "人次"}, "名": {"人", "名", "人次"}, "人次": {"人次", "人", "名"},
                "个": {"个"}, "次": {"次", "场", "场次"}, "场": {"场", "次", "场次"}, "场次": {"场次", "场", "次"}}


@dataclass
class Adapted:
    value: str
    basis: str
    how: str
    note: str = ""


def says_nothing(text: str) -> bool:
    """A precedent value a draft should not copy: vague (the validator's list) or a placeholder 无."""
    t = text.strip()
    return t == "无" or is_vague(t)


def _weighted_median(values: list[float], weights: list[float]) -> float:
    order = np.argsort(values)
    v, w = np.asarray(values)[order], np.asarray(weights)[order]
    cum = np.cumsum(w)
    return float(v[np.searchsorted(cum, cum[-1] / 2)])


def number_text(x: float) -> str:
    return f"{round(x, 2):g}"


def _common_op(rows: list[RowRecord], weights: list[float] | None = None, default: str = "≥") -> str:
    """The operator most precedents use ('' — a bare number — counts as '=')."""
    ops: Counter = Counter()
    for r, w in zip(rows, weights or [1.0] * len(rows)):
        if r.number is not None:
            ops[r.op or "="] += w
    return ops.most_common(1)[0][0] if ops else default


def _in_main_unit(pairs) -> tuple[str, list[float], list[float]]:
    """The unit most precedents use, with only their numbers: 13个 and 6名 are not one median."""
    weight: Counter = Counter()
    for r, w in pairs:
        weight[r.value_unit] += w
    unit = weight.most_common(1)[0][0]
    kept = [(r.number, w) for r, w in pairs if r.value_unit == unit]
    return unit, [v for v, _ in kept], [w for _, w in kept]


def _mode_target(rows: list[RowRecord], weights: list[float]) -> tuple[tuple[str, float], float]:
    """The (operator, number) pair with the most weight, and its share of the weight."""
    votes: Counter = Counter()
    for r, w in zip(rows, weights):
        votes[(r.op or "=", float(r.number))] += w
    (best, weight), total = votes.most_common(1)[0], sum(votes.values())
    return best, weight / total


def _match_quantity(profile: ProjectProfile, rows: list[RowRecord], name: str) -> Quantity | None:
    """The quantity the user gave that this count indicator is about (by noun, then by unit)."""
    units = {r.value_unit for r in rows if r.value_unit}
    for q in profile.quantities:
        if q.noun and (q.named_in(name) or any(q.named_in(r.name) for r in rows)):
            return q
    for q in profile.quantities:  # a bare "500米" has no noun: its unit must do
        if not q.noun and any(q.unit in _COUNT_EQUIV.get(u, {u}) for u in units):
            return q
    return None


def money_text(money: Money) -> str:
    """An amount (the budget) exactly, in the unit it was given in, as an upper bound
    (rounding 36.768 to 36.77 would exceed it)."""
    exact = lambda x: f"{x:.6f}".rstrip("0").rstrip(".")  # noqa: E731
    return f"{exact(money.wan * 10000)}元" if money.unit == "元" else f"{exact(money.wan)}万元"


def adapt(level2: str, name: str, rows: list[RowRecord], weights: list[float],
          profile: ProjectProfile) -> Adapted:
    numeric = [(r, w) for r, w in zip(rows, weights) if r.number is not None and r.value_unit is not None]
    families = Counter()
    for r, w in numeric:
        families[unit_family(r.value_unit)] += w
    family = families.most_common(1)[0][0] if families else None
    reverse = is_reverse_name(name)

    if level2 == cat.COST:
        return _cost(name, numeric, family, profile)
    if is_rate_name(name):  # only percentages fit a rate, whatever else precedents wrote
        numeric = [(r, w) for r, w in numeric if unit_family(r.value_unit) == "percent" and r.number <= 100]
        if not numeric:
            return Adapted("", "历史标准", "", note=f"先例没有可用的百分比（「{name}」应是比率），请填写目标比率")
        family = "percent"
    if family is None:
        return _qualitative(rows)
    same = [(r, w) for r, w in numeric if unit_family(r.value_unit) == family]
    vals, ws = [r.number for r, _ in same], [w for _, w in same]
    op = "≤" if reverse else _common_op([r for r, _ in same], ws)
    if family == "percent":
        x = _weighted_median(vals, ws)
        if reverse:
            return Adapted(f"≤{number_text(min(x, 100))}%", "历史标准", f"反向指标，取先例中位数（{len(vals)}个值）")
        if "满意" in name:
            x = min(max(x, 80.0), 95.0)  # 100% satisfaction is not credible; below 80% is no target
            return Adapted(f"≥{number_text(x)}%", "行业标准", f"先例中位数，限定在80%–95%之间（{len(vals)}个值）")
        # the target most precedents agree on, as they wrote it ("≥95%", "100%"); a positive
        # rate is never capped, and "≥100%" is not credible
        (op, x), share = _mode_target([r for r, _ in same], ws)
        op = "≥" if op in ("≤", "<") else op
        x = min(x, 100.0)
        if x >= 100 and op in ("≥", ">"):
            op = "="
        return Adapted(f"{'' if op == '=' and x >= 100 else op}{number_text(x)}%", "历史标准",
                       f"先例最常见的目标（{share:.0%}的先例，共{len(vals)}个值）")
    if family == "count":
        q = _match_quantity(profile, [r for r, _ in same], name)
        if q is not None:
            op = op if op in ("≥", "=") else "≥"
            return Adapted(f"{op}{number_text(q.number)}{q.unit}", "计划标准", f"按项目描述中的数量（{q.raw}）")
        # another project's count says nothing of this one: the number is the user's to give
        unit, uvals, _ = _in_main_unit(same)
        return Adapted("", "计划标准", "", note=f"待填写：项目描述没有给出这一数量，请按本项目计划填写（单位：{unit}；"
                                             f"先例写过{len(uvals)}个数值，仅供参考）")
    if family == "time":
        unit, uvals, uws = _in_main_unit(same)
        x = _weighted_median(uvals, uws)
        if unit in ("月", "月份"):
            x = min(x, 12.0)
        return Adapted(f"≤{number_text(x)}{unit}", "计划标准", f"在预算年度内完成（先例中位数，{len(uvals)}个值）")
    unit, uvals, uws = _in_main_unit(same)
    return Adapted(f"{op or '≥'}{number_text(_weighted_median(uvals, uws))}{unit}", "历史标准",
                   f"先例中位数（{len(uvals)}个值）")


def _qualitative(rows: list[RowRecord]) -> Adapted:
    words = Counter(parse_target_value(r.value_raw).qualitative for r in rows if r.value_raw)
    specific = [w for w, _ in words.most_common() if w and not says_nothing(w)]
    pick = specific[0] if specific else (words.most_common(1)[0][0] if words else "")
    return Adapted(pick, "其他", "先例均为定性表述",
                   note="先例没有可量化的值，建议改写为可衡量的目标（数量、比率或期限）")




def _cost(name: str, numeric, family, profile: ProjectProfile) -> Adapted:
    budget = profile.budget.wan
    per_unit = [(r, w) for r, w in numeric if unit_family(r.value_unit) == "money" and "/" in r.value_unit]
    totals = [(r, w) for r, w in numeric if unit_family(r.value_unit) == "money" and "/" not in r.value_unit]
    if family == "percent":
        return Adapted("≤100%", "预算支出标准", "成本控制率：实际支出不超过预算")
    if "/" in name or any(w in name for w in domain.PER_UNIT_WORDS) or (per_unit and sum(w for _, w in per_unit) > sum(w for _, w in totals)):
        denom = next((r.value_unit.split("/", 1)[1] for r, _ in per_unit), "人")
        q = next((q for q in profile.quantities if q.named_in(name)), None) or next(
            (q for q in profile.quantities if q.unit in _COUNT_EQUIV.get(denom, {denom})), None)
        if budget and q and q.number:
            per = budget * 10000 / q.number
            return Adapted(f"≤{number_text(per)}元/{q.noun or denom}", "预算支出标准",
                           f"预算 {money_text(profile.budget)} ÷ {q.raw}")
        if per_unit:
            vals = [to_wan(r.number, r.value_unit.split("/")[0]) * 10000 for r, _ in per_unit]
            x = _weighted_median(vals, [w for _, w in per_unit])
            return Adapted(f"≤{number_text(x)}元/{denom}", "历史标准", f"先例单位成本中位数（{len(vals)}个值）",
                           note="单位成本取自其他项目，请按本项目标准核定")
    if budget:
        return Adapted(f"≤{money_text(profile.budget)}", "预算支出标准", "总成本不超过本项目预算")
    return Adapted("", "预算支出标准", "", note="未给出预算，无法设定成本上限：请填写预算")
