"""What makes a reviewer send a table back (退回重报): rows not about the project, descriptions of
another indicator, cost rows that together exceed the budget, counts nothing supports, the wrong
party's satisfaction, filler, vague targets where a number is possible."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cached_property

from corpus import categories as cat
from corpus.categories import squeeze
from corpus.values import to_wan, unit_family

from assistant import domain
from assistant.relevance import about_project, clean, is_filler, same_indicator, shares_content, split_name, wrong_party
from assistant.understand import Understanding, understand

from ..findings import Finding
from .base import Context, define
from .lexicon import is_rate_name, is_statement, is_vague

OFF_TOPIC = define("reviewer.off_topic", "warning", "指标与本项目无关：既不涉及项目的对象、活动和目标，也不是通用的可衡量指标")
FILLER = define("reviewer.filler", "warning", "套话指标：不衡量本项目的任何产出（社会影响力、绩效评价次数……）")
DESC_MISMATCH = define("reviewer.description_mismatch", "warning", "绩效指标描述说的是另一个指标")
COST_SUM = define("reviewer.cost_sum", "error", "各项成本合计超过项目预算")
PER_UNIT = define("reviewer.per_unit_mismatch", "warning", "单位成本的计量单位不是本项目的数量")
UNSUPPORTED_COUNT = define("reviewer.unsupported_count", "warning", "数量指标的数值在项目中没有依据，且与其他项目相同")
PARTY = define("reviewer.satisfaction_party", "warning", "满意度指标的调查对象不是本项目的服务对象")
VAGUE_MEASURABLE = define("reviewer.vague_measurable", "warning", "可以量化的指标用了含糊的定性目标（较好、明显、有效……）")
STATEMENT = define("reviewer.statement_as_indicator", "warning",
                   "指标名称是一句目标陈述（……得到改善、有效提升……），不说衡量什么，指标值无从考核")

RULE_IDS = [r.id for r in (OFF_TOPIC, FILLER, DESC_MISMATCH, COST_SUM, PER_UNIT, UNSUPPORTED_COUNT, PARTY,
                           VAGUE_MEASURABLE, STATEMENT)]
MEASURABLE_SLOTS = {cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.SERVED_SATISFACTION}
_COST_WORDS = ("成本", "费用", "预算", "经费", "资金", "金额", "支出", "价格", "单价", "租金", "补贴", "标准")


class _Project:
    """The project as a reviewer reads it, computed once per check."""

    def __init__(self, ctx: Context):
        self.ctx = ctx

    @cached_property
    def text(self) -> str:
        p = self.ctx.project
        return squeeze(" ".join([p.name, p.purpose, *p.goals]))

    @cached_property
    def u(self) -> Understanding:
        p = self.ctx.project
        return understand(p.name, " ".join([p.purpose, *p.goals]))

    @cached_property
    def standard_names(self) -> list[str]:
        """The standard library's measurable rows for this kind of project (its generic forms)."""
        from assistant.drafting.library import BY_KEY
        from assistant.drafting.taxonomy import classify

        kind = BY_KEY.get(classify(self.ctx.project.name, " ".join(self.ctx.project.goals))[0].key)
        return [t.name for t in kind.rows if not t.name.startswith("@")] + [kind.output.name] if kind else []

    def standard(self, name: str) -> bool:
        return any(same_indicator(re.sub(r"\{[^}]*\}", "", t), name) for t in self.standard_names)


def check(ctx: Context) -> Iterator[Finding]:
    for i, r in enumerate(ctx.project.rows):  # any table: a sentence is no measure in a unit's table either
        if is_statement(r.name):
            yield ctx.row(STATEMENT, i, f"「{clean(r.name)}」是一句目标陈述，没有说衡量什么、怎么计算，"
                                        f"「{r.value.raw.strip()}」无从考核",
                          "改为可计算的指标，写明分子分母或计量单位（如「环境卫生检查达标率」「公共设施完好率」），"
                          "陈述的内容写进绩效目标")
    if ctx.project.kind != "project":  # a whole unit's table covers all its work: relevance is not judged
        yield from _cost_sum(ctx)
        return
    proj = _Project(ctx)
    for i, r in enumerate(ctx.project.rows):
        name = clean(r.name)
        if not name or name in domain.PLACEHOLDERS:
            continue
        yield from _relevance(ctx, proj, i, name)
        yield from _description(ctx, i, name)
        yield from _count(ctx, proj, i, name)
        yield from _per_unit(ctx, proj, i)
        yield from _vague(ctx, i, name)
    yield from _cost_sum(ctx)


def _relevance(ctx: Context, proj: _Project, i: int, name: str) -> Iterator[Finding]:
    r = ctx.project.rows[i]
    if r.level2.name == cat.SERVED_SATISFACTION or "满意" in name:
        other = wrong_party(name, proj.u)
        if other:
            yield ctx.row(PARTY, i, f"调查的是「{other}」，而本项目服务的是「{proj.u.served}」",
                          f"改为「{proj.u.served}满意度」")
        return
    if r.level2.name == cat.COST and any(w in name for w in _COST_WORDS):
        return  # a cost row is about the project's money whatever it is called
    if proj.standard(name):
        return  # a standard measurable row for this kind of project
    if r.level2.name == cat.QUANTITY and r.value.number is not None and _number_stated(r.value.number, proj.u.text):
        return  # counts what the project itself states (12个社区)
    if is_filler(name) and not shares_content(name, proj.u):
        yield ctx.row(FILLER, i, "这是套话，不衡量本项目的任何产出",
                      "删除该行，改为本项目自己的产出或效果（如服务人次、验收合格率、完成时间）")
    elif not about_project(name, proj.u):
        yield ctx.row(OFF_TOPIC, i, f"与项目「{ctx.project.name}」无关（不涉及其对象、活动或目标，也不是通用的可衡量指标）",
                      "换成衡量本项目产出的指标；若是从其他项目沿用的，删除")


_GRAM = re.compile(r"[\u4e00-\u9fa5]")


def _grams(text: str) -> set[str]:
    t = "".join(_GRAM.findall(text))
    return {t[i:i + 2] for i in range(len(t) - 1)}


_PLAIN = set("的了和与及在对按为是占比例率数量度情况反映实际")


def _description(ctx: Context, i: int, name: str) -> Iterator[Finding]:
    desc = clean(ctx.project.rows[i].description)
    if len(desc) < 6:
        return
    subject, tail = split_name(name)
    d_subject, d_tail = split_name(re.split(r"[，,。；;]", desc)[0])
    chars = set(_GRAM.findall(name)) - _PLAIN
    shared = len(chars & set(_GRAM.findall(desc))) / len(chars) if chars else 1.0
    # the description is itself a rate of another subject (资金支付及时率 described as
    # 人员工资发放及时率), or shares almost nothing with the name
    if (tail.endswith(("率", "度")) and d_tail == tail and subject not in domain.GENERIC_SUBJECTS and d_subject
            and not (_grams(subject) & _grams(d_subject))):
        yield ctx.row(DESC_MISMATCH, i, f"描述「{desc}」衡量的是「{d_subject}」，而指标名称是「{name}」",
                      "按指标名称重写描述：衡量什么、如何计算")
    elif shared < 0.2:
        yield ctx.row(DESC_MISMATCH, i, f"描述「{desc}」与指标名称「{name}」没有共同内容",
                      "按指标名称重写描述：衡量什么、如何计算")


def _number_stated(number: float, text: str) -> bool:
    digits = f"{number:g}"
    return re.search(rf"(?<![\d.]){re.escape(digits)}(?![\d.])", text) is not None


def _count(ctx: Context, proj: _Project, i: int, name: str) -> Iterator[Finding]:
    r = ctx.project.rows[i]
    v = r.value
    if r.level2.name != cat.QUANTITY or v.number is None or unit_family(v.unit) not in ("count", "size"):
        return
    if _number_stated(v.number, proj.u.text):
        return
    if ctx.sibling_index is not None:  # the document's index: no scan of every sibling
        _, hits = ctx.sibling_index.copies(
            "count", lambda o: (clean(o.name), o.value.number, o.value.unit) if o.value.number is not None else None,
            ctx.project, r, limit=1)
        siblings: list = [s for s, _ in hits]
    else:
        siblings = [p for p in ctx.siblings if p.name != ctx.project.name]
    others = siblings + [p for p, _ in ctx.precedents]
    copied = next((p for p in others for o in p.rows
                   if clean(o.name) == name and o.value.number == v.number and o.value.unit == v.unit), None)
    if copied is not None:
        yield ctx.row(UNSUPPORTED_COUNT, i, f"「{v.raw.strip()}」在项目名称和目标中没有出现，与项目「{copied.name}」的同名指标相同",
                      "按本项目计划的实际数量填写，并在绩效目标中写明")


def _per_unit(ctx: Context, proj: _Project, i: int) -> Iterator[Finding]:
    v = ctx.project.rows[i].value
    if v.number is None or "/" not in v.unit or unit_family(v.unit) != "money":
        return
    per = v.unit.split("/")[1].split("·")[0]  # 元/人·月: per person (and per month)
    u = proj.u
    known = {q.unit for q in u.quantities} | {q.noun for q in u.quantities} | set(u.objects)
    if per in proj.text or any(per in k or k in per for k in known if k):
        return
    if per in domain.PEOPLE_UNITS | {"户", "月", "年", "次", "天", "日", "个"}:
        return  # per person, household or period: a standard any project may state
    yield ctx.row(PER_UNIT, i, f"按「{per}」计算的单位成本，但本项目没有以「{per}」计的数量",
                  "改为按本项目的数量计算（如 元/辆、元/公里、元/人），或删除")


def _vague(ctx: Context, i: int, name: str) -> Iterator[Finding]:
    r = ctx.project.rows[i]
    v = r.value
    if v.number is not None or not v.clean or not is_vague(v.qualitative):
        return
    if r.level2.name in MEASURABLE_SLOTS or is_rate_name(name):
        yield ctx.row(VAGUE_MEASURABLE, i, f"「{v.qualitative}」无法考核，而这个指标可以用数值衡量",
                      "改为符号+数值+单位，如 ≥95%、=12个、≤12月份")


def _cost_sum(ctx: Context) -> Iterator[Finding]:
    budget = ctx.project.budget.wan
    if not budget:
        return
    totals = [(i, to_wan(r.value.number, r.value.unit if r.value.unit != "万" else "万元"))
              for i, r in enumerate(ctx.project.rows)
              if r.level2.name == cat.COST and r.value.number is not None and r.value.clean
              and unit_family(r.value.unit) == "money" and "/" not in r.value.unit]
    total = sum(w for _, w in totals)
    if len(totals) >= 2 and total > budget + 1e-6:
        yield ctx.table(COST_SUM, f"{len(totals)}个成本指标合计{total:g}万元，超过预算{budget:g}万元",
                        "保留一个总成本（不超过预算），其余改为单位成本或删除")
