"""Quality of targets: vague qualitative values, placeholder rows, descriptions, 确定依据."""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.categories import squeeze

from ..domain import OFFICIAL_BASES, PLACEHOLDERS
from ..findings import Finding
from .base import Context, credible, define, describe, evidence_of
from .lexicon import clean_name, is_rate_name, is_vague, official_basis

VAGUE_PRECEDENT = define("quality.vague_with_precedent", "warning", "定性目标含糊，而同类指标在其他单位有量化目标")
VAGUE = define("quality.vague", "hint", "定性目标含糊（是、提高、进一步推动、效果明显……）")
PLACEHOLDER = define("quality.placeholder_row", "warning", "占位行：三级指标或指标值为“无”")
DESC_MISSING = define("quality.description_missing", "hint", "缺少绩效指标描述")
DESC_REPEATS = define("quality.description_repeats_name", "hint", "绩效指标描述只是重复指标名称")
BASIS_MISSING = define("quality.basis_missing", "hint", "缺少指标值确定依据")
BASIS_TERM = define("quality.basis_nonstandard", "hint", "确定依据不是规定的用语（计划标准、行业标准、历史标准、预算支出标准、其他）")

_PUNCT = re.compile(r"[，,。.、；;：:%％]")


def check(ctx: Context) -> Iterator[Finding]:
    yield from _values(ctx)
    yield from _descriptions(ctx)
    yield from _bases(ctx)


def _values(ctx: Context) -> Iterator[Finding]:
    for i, r in enumerate(ctx.project.rows):
        v = r.value
        if squeeze(r.name) in PLACEHOLDERS or (v.number is None and v.qualitative in PLACEHOLDERS):
            yield ctx.row(PLACEHOLDER, i, f"占位行（指标值「{v.raw.strip()}」），不衡量任何内容",
                          "删除该行；若该二级指标确实适用，填写具体、可衡量的三级指标")
            continue
        if not v.clean or v.number is not None or not is_vague(v.qualitative):
            continue
        numeric = [(p, pr) for p, pr in ctx.comparable(i) if credible(pr.value)]
        if numeric:
            ev = evidence_of(numeric, limit=5)
            shown = "；".join(describe(e) for e in ev[:3])
            yield ctx.row(VAGUE_PRECEDENT, i, f"「{v.qualitative}」是含糊的定性目标，其他单位的同类指标给出了数值：{shown}",
                          f"改为可衡量的目标（符号+数值+单位），参考：{shown}", ev)
        else:
            yield ctx.row(VAGUE, i, f"「{v.qualitative}」是含糊的定性目标，无法考核",
                          "尽量量化（如比率、数量、期限）；确实无法量化时写出具体、可核验的状态，"
                          "如「达到3A级档案室标准」，不写「是」「提高」「进一步推动」")


def _norm(text: str) -> str:
    return _PUNCT.sub("", clean_name(text))


def _descriptions(ctx: Context) -> Iterator[Finding]:
    rows = ctx.project.rows
    missing = [i for i, r in enumerate(rows) if not squeeze(r.description)]
    if rows and len(missing) == len(rows):
        yield ctx.table(DESC_MISSING, "所有指标都没有绩效指标描述",
                        "为每个指标写一句描述，说明衡量什么、如何计算（如「验收合格的数量占全部数量的比例」）")
    else:
        for i in missing:
            yield ctx.row(DESC_MISSING, i, "没有绩效指标描述", _description_fix(ctx, i))
    for i, r in enumerate(rows):
        if squeeze(r.description) and _norm(r.description) == _norm(r.name):
            yield ctx.row(DESC_REPEATS, i, f"描述「{r.description.strip()}」只是重复指标名称",
                          _description_fix(ctx, i))


def _description_fix(ctx: Context, i: int) -> str:
    """How to describe the row: a precedent's own description when one says more than its name."""
    r = ctx.project.rows[i]
    advice = ("写明计算口径（分子和分母），如「验收合格的数量占全部数量的比例」" if is_rate_name(r.name)
              else "写明衡量什么、如何统计或判断达到目标")
    for p, pr in ctx.comparable(i):
        if squeeze(pr.description) and _norm(pr.description) != _norm(pr.name):
            return f"{advice}。同类指标先例的描述：「{pr.description.strip()}」（{p.owner}「{pr.name}」）"
    return advice


def _bases(ctx: Context) -> Iterator[Finding]:
    rows = ctx.project.rows
    missing = [i for i, r in enumerate(rows) if not squeeze(r.basis)]
    if rows and len(missing) == len(rows):
        yield ctx.table(BASIS_MISSING, "所有指标都没有指标值确定依据",
                        f"为每个指标填写确定依据：{'、'.join(OFFICIAL_BASES)}")
    else:
        for i in missing:
            yield ctx.row(BASIS_MISSING, i, "没有指标值确定依据", f"填写：{'、'.join(OFFICIAL_BASES)}之一")
    for i, r in enumerate(rows):
        term = official_basis(r.basis)
        if term:
            yield ctx.row(BASIS_TERM, i, f"确定依据「{squeeze(r.basis)}」不是规定用语",
                          f"改为「{term}」（原依据「{squeeze(r.basis)}」可写入说明）")
