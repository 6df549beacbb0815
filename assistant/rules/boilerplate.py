"""Boilerplate: a row copied verbatim (same name, same value) into unrelated projects of the same unit."""

from __future__ import annotations

from collections.abc import Iterator

from corpus.categories import TIMELINESS
from corpus.models import IndicatorRow, Project
from corpus.values import normalise_text, unit_family

from ..findings import Finding
from .base import Context, define, evidence_of
from .lexicon import clean_name, is_satisfaction

BOILERPLATE = define("quality.boilerplate", "warning", "指标（名称和指标值）在本单位多个无关项目中原样照抄")

# A row shared with this many other projects is copied, not chosen: one shared row is coincidence.
MIN_OTHER_PROJECTS = 2


def _key(r: IndicatorRow) -> tuple[str, str]:
    return clean_name(r.name), normalise_text(r.value.raw)


def check(ctx: Context) -> Iterator[Finding]:
    p = ctx.project
    if ctx.sibling_index is not None:
        yield from _check_indexed(ctx)
        return
    # unrelated = another project: the 目标1…4 blocks of one department table share its name
    others = [s for s in ctx.siblings if s.name != p.name and _same_unit(s, p)]
    if not others:
        return
    index: dict[tuple[str, str], list[tuple[Project, IndicatorRow]]] = {}
    for s in others:
        seen: set[tuple[str, str]] = set()
        for r in s.rows:
            k = _key(r)
            if k not in seen:  # count each project once
                seen.add(k)
                index.setdefault(k, []).append((s, r))
    for i, r in enumerate(p.rows):
        if _generic_by_design(r):
            continue
        copies = index.get(_key(r), [])
        if len(copies) >= MIN_OTHER_PROJECTS:
            names = "、".join(f"「{s.name}」" for s, _ in copies[:3]) + ("等" if len(copies) > 3 else "")
            yield ctx.row(BOILERPLATE, i,
                          f"名称和指标值「{r.value.raw.strip()}」与本单位另外{len(copies)}个项目（{names}）完全相同，疑为照抄",
                          "按本项目的内容、规模重新确定指标和目标值", evidence_of(copies, limit=5))


def _check_indexed(ctx: Context) -> Iterator[Finding]:
    """The same check through the document's or batch's index: linear in the number of projects."""
    p = ctx.project
    for i, r in enumerate(p.rows):
        if _generic_by_design(r):
            continue
        count, copies = ctx.sibling_index.copies("boilerplate", _key, p, r)
        if count >= MIN_OTHER_PROJECTS:
            names = "、".join(f"「{s.name}」" for s, _ in copies[:3]) + ("等" if count > 3 else "")
            yield ctx.row(BOILERPLATE, i,
                          f"名称和指标值「{r.value.raw.strip()}」与本单位另外{count}个项目（{names}）完全相同，疑为照抄",
                          "按本项目的内容、规模重新确定指标和目标值", evidence_of(copies, limit=5))


def _same_unit(a: Project, b: Project) -> bool:
    return a.owner == b.owner


def _generic_by_design(r: IndicatorRow) -> bool:
    """Rows every table shares legitimately: the 满意度 row, and a year-end deadline (≤12月份)
    in an annual project. Copying these is not copying content."""
    if is_satisfaction(r):
        return True
    return r.level2.name == TIMELINESS and r.value.clean and unit_family(r.value.unit) == "time"
