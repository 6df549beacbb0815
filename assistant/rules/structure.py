"""Structure of a table: the three 一级, the four 产出 二级, 效益 and 满意度 coverage, names and categories."""

from __future__ import annotations

from collections.abc import Iterator

from corpus.categories import (
    BENEFIT, COST, COST_L1, LEVEL2, OUTPUT, PARENT, QUALITY, QUANTITY, SATISFACTION,
    TIMELINESS, canonical_level1, canonical_level2, squeeze,
)

from ..domain import COST_SLOTS
from ..findings import Finding, row_label
from .base import Context, define
from .lexicon import clean_name, people_served

NO_ROWS = define("structure.no_rows", "error", "表中没有任何指标行")
MISSING_L1 = define("structure.missing_level1", "error", "缺少一级指标（产出、效益；服务群众的项目还须有满意度）")
MISSING_SAT = define("structure.missing_satisfaction", "warning", "缺少满意度指标（未见明确服务对象）")
MISSING_OUTPUT_L2 = define("structure.missing_output_level2", "error", "产出指标未覆盖数量、质量、时效、成本")
BENEFIT_NO_L2 = define("structure.benefit_without_level2", "error", "效益指标下没有可识别的二级指标")
DUPLICATE = define("structure.duplicate_name", "warning", "同一表中三级指标重名")
WRONG_PARENT = define("structure.wrong_parent", "error", "二级指标放在了错误的一级指标下")
L2_AS_L1 = define("structure.level2_as_level1", "hint", "一级指标栏填写了二级指标名称")
UNKNOWN_CATEGORY = define("structure.unknown_category", "warning", "一级/二级指标名称无法识别或为空")

# Words that are a 一级 name in their own right although they also name a 二级.
_SHARED_WORDS = {"成本指标", "成本", "满意度指标", "满意度"}
_OUTPUT_L2 = (QUANTITY, QUALITY, TIMELINESS, COST)
_BENEFIT_L2 = {k for k, parents in PARENT.items() if BENEFIT in parents}


def check(ctx: Context) -> Iterator[Finding]:
    rows = ctx.project.rows
    if not rows:
        yield ctx.table(NO_ROWS, "未读到任何指标行，无法校验", "按「一级指标/二级指标/三级指标/指标值」表头填写指标")
        return
    yield from _level1(ctx)
    yield from _output_level2(ctx)
    yield from _benefit_level2(ctx)
    yield from _duplicates(ctx)
    yield from _categories(ctx)


def _level1(ctx: Context) -> Iterator[Finding]:
    present = {r.level1.name for r in ctx.project.rows}
    for name in (OUTPUT, BENEFIT):
        if name not in present:
            yield ctx.table(MISSING_L1, f"缺少一级指标「{name}」", f"补充「{name}」及其二级、三级指标")
    if SATISFACTION in present:
        return
    words = people_served(ctx.project)
    if words:
        yield ctx.table(MISSING_L1, f"缺少一级指标「{SATISFACTION}」，而项目服务于{'、'.join(words[:3])}",
                        "补充「服务对象满意度指标」，如「居民满意度 ≥90%」")
    else:
        yield ctx.table(MISSING_SAT, f"缺少一级指标「{SATISFACTION}」",
                        "财预〔2021〕101号要求三类一级指标齐全；确无服务对象时请在说明中写明理由")


def _output_level2(ctx: Context) -> Iterator[Finding]:
    rows = ctx.project.rows
    if not any(r.level1.name == OUTPUT for r in rows):
        return  # already reported as a missing 一级
    seen = {r.level2.name for r in rows if r.level1.name == OUTPUT}
    # newer hierarchy: 成本 as its own 一级 (经济/社会/生态环境成本) counts as covering 成本
    if any(r.level1.name == COST_L1 or r.level2.name in COST_SLOTS for r in rows):
        seen.add(COST)
    for name in _OUTPUT_L2:
        if name not in seen:
            yield ctx.table(MISSING_OUTPUT_L2, f"产出指标缺少二级指标「{name}」", _OUTPUT_FIX[name])


_OUTPUT_FIX = {
    QUANTITY: "补充数量指标，如「服务人数 ≥355人」「完成项目数 =4个」",
    QUALITY: "补充质量指标，如「验收合格率 ≥95%」",
    TIMELINESS: "补充时效指标，如「完成时间 ≤12月份」或「资金支付及时率 ≥95%」",
    COST: "补充成本指标，如「项目总成本 ≤预算数（万元）」或「人均补助标准 =100元/人/月」",
}


def _benefit_level2(ctx: Context) -> Iterator[Finding]:
    benefit = [r for r in ctx.project.rows if r.level1.name == BENEFIT]
    if benefit and not any(r.level2.name in _BENEFIT_L2 for r in benefit):
        yield ctx.table(BENEFIT_NO_L2, "效益指标下没有经济、社会、生态或可持续影响二级指标",
                        "至少填写一个相关的效益二级指标（如社会效益指标）")


def _duplicates(ctx: Context) -> Iterator[Finding]:
    first: dict[str, int] = {}
    for i, r in enumerate(ctx.project.rows):
        key = clean_name(r.name)
        if not key:
            continue
        if key in first:
            j = first[key]
            yield ctx.row(DUPLICATE, i, f"与{row_label(j, ctx.project.rows[j].provenance)}重名",
                          "同一指标只写一次；若衡量不同内容，请改用能区分的名称")
        else:
            first[key] = i


def _categories(ctx: Context) -> Iterator[Finding]:
    reported_cells: set[str] = set()  # a merged 一级 cell is reported once, at its first row
    for i, r in enumerate(ctx.project.rows):
        l1, l2 = r.level1, r.level2
        if not l1.name:
            yield ctx.row(UNKNOWN_CATEGORY, i, f"一级指标「{l1.raw or '（空）'}」无法识别",
                          "一级指标应为产出指标、效益指标、满意度指标（或新体系的成本指标）")
        if not l2.name:
            yield ctx.row(UNKNOWN_CATEGORY, i, f"二级指标「{l2.raw or '（空）'}」无法识别",
                          f"二级指标应为：{'、'.join(LEVEL2)}")
        if l1.name and l2.name and l1.name not in PARENT.get(l2.name, ()):
            parents = "或".join(PARENT[l2.name])
            yield ctx.row(WRONG_PARENT, i, f"二级指标「{l2.name}」放在一级指标「{l1.name}」下",
                          f"「{l2.name}」应归入「{parents}」")
        key = squeeze(l1.raw)
        if key and canonical_level2(key) and canonical_level1(key) and key not in _SHARED_WORDS \
                and key not in reported_cells:
            reported_cells.add(key)
            yield ctx.row(L2_AS_L1, i, f"一级指标栏写的是二级指标名称「{l1.raw}」",
                          f"一级指标栏填「{l1.name}」，「{canonical_level2(key)}」写在二级指标栏")

