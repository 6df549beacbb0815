"""Each numeric target against the same indicator in other units' tables (below / typical / above)."""

from __future__ import annotations

import statistics
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from corpus.models import IndicatorRow

from ..findings import Evidence, Finding
from .base import Context, Pair, define, evidence_of
from .lexicon import is_positive, is_rate_name, is_reverse, is_satisfaction
from .matching import MIN_PRECEDENTS, MIN_SOURCES, format_scaled, scale_key, scaled_number

BELOW = define("consistency.below_precedents", "hint", "正向指标的目标低于同类先例的范围")
OUT_OF_RANGE = define("precedent.out_of_range", "hint", "目标值在同类先例的范围之外")

Position = Literal["below", "typical", "above"]


@dataclass
class Comparison:
    position: Position
    key: str  # the common scale: "%", "万元/人", "月份" …
    value: float
    values: list[float]  # one per precedent row (boilerplate collapsed)
    evidence: list[Evidence]

    @property
    def low(self) -> float:
        return min(self.values)

    @property
    def high(self) -> float:
        return max(self.values)

    def summary(self) -> str:
        med = statistics.median(self.values)
        return (f"{len(self.values)}个先例介于{format_scaled(self.low, self.key)}至{format_scaled(self.high, self.key)}，"
                f"中位数{format_scaled(med, self.key)}")


def compare(row: IndicatorRow, comparable: list[Pair]) -> Comparison | None:
    """Where the row's number sits among comparable precedents on the same scale; None when there
    are fewer than MIN_PRECEDENTS values from fewer than MIN_SOURCES units (no distribution to speak of)."""
    key = scale_key(row.value, row.name)
    if key is None:
        return None
    same_scale = [(p, r) for p, r in comparable if scale_key(r.value, r.name) == key]
    seen: set[tuple[str, str, str]] = set()
    kept: list[Pair] = []
    for p, r in same_scale:  # a value copied across one unit's tables counts once per project
        k = (p.owner, p.name, r.value.raw)
        if k not in seen:
            seen.add(k)
            kept.append((p, r))
    if len(kept) < MIN_PRECEDENTS or len({p.owner for p, _ in kept}) < MIN_SOURCES:
        return None
    values = [scaled_number(r.value) for _, r in kept]
    value = scaled_number(row.value)
    position: Position = "below" if value < min(values) else "above" if value > max(values) else "typical"
    return Comparison(position, key, value, values, evidence_of(kept, limit=12))


def check(ctx: Context) -> Iterator[Finding]:
    for i, r in enumerate(ctx.project.rows):
        comparable = ctx.comparable(i)
        if not comparable:
            continue
        c = compare(r, comparable)
        if c is None or c.position == "typical":
            continue
        shown = r.value.raw.strip()
        positive = is_positive(r) or (is_satisfaction(r) and is_rate_name(r.name))
        if c.position == "below" and positive:
            yield ctx.row(BELOW, i, f"目标「{shown}」低于同类先例（{c.summary()}）",
                          f"正向指标的目标宜不低于同类水平，参考{format_scaled(statistics.median(c.values), c.key)}", c.evidence)
        else:
            side = "低于" if c.position == "below" else "高于"
            note = ""
            if is_reverse(r) and c.position == "above":
                note = "；反向指标越低越好，目标偏宽松"
            elif c.key.startswith("万元"):
                note = "；金额差距大时请核对单位（元/万元）和测算口径"
            yield ctx.row(OUT_OF_RANGE, i, f"目标「{shown}」{side}同类先例（{c.summary()}）{note}",
                          "核对目标值是否合理；如有特殊原因，在指标描述中说明", c.evidence)
