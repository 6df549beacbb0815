"""The standard library's rows made concrete for one project: its objects, numbers, budget, party."""

from __future__ import annotations

from dataclasses import dataclass

from corpus import categories as cat
from corpus.values import unit_family

from assistant import domain
from assistant.understand import Quantity, Standard

from .adapt import money_text, number_text
from .library import OTHER, BY_KEY, Kind, RowTemplate
from .profile import ProjectProfile


@dataclass
class Proposal:
    level2: str
    name: str
    description: str
    value: str
    basis: str
    how: str
    standard: str  # "标准指标：养老服务·食品安全事故发生次数"
    note: str = ""
    quantity: Quantity | None = None  # the user's quantity this row carries


def kind_of(key: str | None) -> Kind:
    return BY_KEY.get(key or "", OTHER)


def served_of(profile: ProjectProfile, kind: Kind) -> str:
    return profile.understanding.served or kind.served or domain.GENERIC_SERVED


def _fill(text: str, profile: ProjectProfile, kind: Kind) -> str:
    u = profile.understanding
    obj = u.objects[0] if u.objects else u.core
    return (text.replace("{对象}", obj).replace("{活动}", u.activities[0] if u.activities else "")
            .replace("{项目}", u.core).replace("{服务对象}", served_of(profile, kind)))


def _label(kind: Kind, name: str) -> str:
    return f"标准指标：{kind.label}·{name.replace('{对象}', '').replace('{服务对象}', '服务对象').replace('{活动}', '')}"


# Outputs counted as a plan (=3辆) versus people and services reached (≥600人).
def _count_op(q: Quantity) -> str:
    return "≥" if q.people or q.unit in domain.EVENT_UNITS | domain.SERVICE_UNITS else "="


def _same_measure(q: Quantity, unit: str) -> bool:
    if q.people or unit in domain.PEOPLE_UNITS:
        return q.people and unit in domain.PEOPLE_UNITS
    return unit_family(q.unit) == unit_family(unit) or (q.unit in domain.EXTRA_QUANTITY_UNITS and unit_family(unit) == "count")


# The unit a standard 数量 row counts in, by the end of its name (参与人次, 培训期数 …).
_NAME_UNITS = (("人次", ("人次",)), ("期数", ("期",)), ("场次", ("场", "场次")), ("户数", ("户",)),
               ("人数", ("人", "名")), ("件数", ("件",)), ("次数", ("次",)))


def _stated_for(name: str, profile: ProjectProfile, taken: list[Quantity]) -> Quantity | None:
    """The user's quantity a standard 数量 row counts (培训4期 for 培训期数), if not taken by another row."""
    units = next((us for end, us in _NAME_UNITS if name.endswith(end)), ())
    return next((q for q in profile.quantities if q.unit in units and q not in taken), None)


def _quantities(profile: ProjectProfile, kind: Kind, taken: list[Quantity]) -> list[Proposal]:
    u = profile.understanding
    out = []
    activity = u.activities[0] if u.activities else ""
    for q in profile.quantities:
        if q in taken:
            continue
        name = q.indicator_name(activity)
        out.append(Proposal(cat.QUANTITY, name, f"本项目计划{'服务' if q.people else '完成'}的{name}（按项目描述：{q.raw}）",
                            f"{_count_op(q)}{number_text(q.number)}{q.unit}", "计划标准",
                            f"按项目描述中的数量（{q.raw}）", _label(kind, "{对象}数量"), quantity=q))
    if not any(_same_measure(q, kind.output.unit) for q in profile.quantities) and not (
            kind.key == OTHER.key and profile.quantities):
        name = _fill(kind.output.name, profile, kind)
        out.append(Proposal(cat.QUANTITY, name, _fill(kind.output.description, profile, kind), "", "计划标准", "",
                            _label(kind, kind.output.name),
                            note=f"待填写：项目描述没有给出{name}，请按本项目计划填写（单位：{kind.output.unit}）"))
    return out


def _standard_row(s: Standard, kind: Kind) -> Proposal:
    subsidy = any(w in s.raw for w in ("补贴", "补助", "发放")) or kind.key in ("subsidy", "assistance")
    each = f"每{s.per}每{s.period}" if s.period else f"每{s.per}"  # 每人每月: the period stays in name and unit
    name = f"{each}{'补贴' if subsidy else '成本'}标准"
    per = f"{s.per}·{s.period}" if s.period else s.per
    value = f"{'=' if subsidy else '≤'}{number_text(s.number)}{s.unit}/{per}"
    return Proposal(cat.COST, name, f"按项目确定的标准，{each}{'补贴' if subsidy else '支出'}金额",
                    value, "预算支出标准", f"项目描述中的标准（{s.raw}）", _label(kind, "单位成本标准"))


def _things(profile: ProjectProfile) -> list[Quantity]:
    """The quantities of things the project produces or buys (not people reached, not events held)."""
    return [q for q in profile.quantities if not q.people and q.unit not in domain.EVENT_UNITS]


def _main_quantity(profile: ProjectProfile, kind: Kind) -> Quantity | None:
    people = [q for q in profile.quantities if q.people]
    things = _things(profile)
    order = (people + things) if kind.per_person else (things + people)
    return order[0] if order else None


def _per_unit(profile: ProjectProfile, kind: Kind) -> list[Proposal]:
    q = _main_quantity(profile, kind)
    if not profile.budget.wan or q is None or not q.number:
        return []
    if not q.people and len({(t.noun, t.unit) for t in _things(profile)}) > 1:
        return []  # 帐篷 and 折叠床 bought together: the budget over one of them is no unit cost of either
    per = "人" if q.people else (q.noun if q.unit == "个" and q.noun else q.unit)
    name = "人均成本" if q.people else f"{q.object_name() or per}平均成本"
    value = f"≤{number_text(profile.budget.wan * 10000 / q.number)}元/{per}"
    return [Proposal(cat.COST, name, f"预算总额按{q.raw}平均的单位成本上限", value, "预算支出标准",
                     f"预算 {money_text(profile.budget)} ÷ {q.raw}", _label(kind, "单位成本"))]


def _deadline(t: RowTemplate, profile: ProjectProfile, kind: Kind) -> Proposal:
    u = profile.understanding
    month = u.deadline_month or 12
    how = f"项目描述的期限（{u.deadline_raw}）" if u.deadline_raw else "在预算年度内完成"
    return Proposal(cat.TIMELINESS, "完成时间", _fill(t.description, profile, kind), f"≤{month}月份", "计划标准",
                    how, _label(kind, "完成时间"))


def standard_rows(profile: ProjectProfile, kind: Kind) -> list[Proposal]:
    """The kind's rows for this project, in library order (slots are ordered by the engine)."""
    out: list[Proposal] = []
    taken: list[Quantity] = []  # quantities a standard 数量 row already carries
    has_deadline = any(t.name == "@deadline" for t in kind.rows)
    said = f"{profile.name} {profile.goal}"
    for t in kind.rows:
        if t.when and not any(w in said for w in t.when):
            continue  # a row for some projects of the kind only (食品安全 where meals are served)
        if t.name == "@quantities":
            out += _quantities(profile, kind, taken)
        elif t.name == "@total":
            if profile.budget.wan:
                out.append(Proposal(cat.COST, "项目总成本", t.description,
                                    f"≤{money_text(profile.budget)}", t.basis,
                                    "总成本不超过本项目预算", _label(kind, "项目总成本")))
            else:
                out.append(Proposal(cat.COST, "项目总成本", t.description, "", t.basis, "", _label(kind, "项目总成本"),
                                    note="待填写：未给出预算，无法设定成本上限，请填写预算"))
        elif t.name == "@standards":
            stated = [_standard_row(s, kind) for s in profile.understanding.standards]
            out += stated or _per_unit(profile, kind)
        elif t.name == "@satisfaction":
            party = profile.understanding.served_word or served_of(profile, kind)  # the user's own word
            described = t.description.replace("{服务对象}", party)  # the description names whom the name names
            out.append(Proposal(cat.SERVED_SATISFACTION, f"{party}满意度", _fill(described, profile, kind),
                                t.value, t.basis, "满意度目标的常用水平（80%–95%之间）", _label(kind, "{服务对象}满意度")))
        elif t.name == "@deadline":
            out.append(_deadline(t, profile, kind))
        elif t.level2 == cat.QUANTITY and not t.value and (q := _stated_for(t.name, profile, taken)):
            taken.append(q)
            out.append(Proposal(cat.QUANTITY, _fill(t.name, profile, kind), _fill(t.description, profile, kind),
                                f"{_count_op(q)}{number_text(q.number)}{q.unit}", "计划标准",
                                f"按项目描述中的数量（{q.raw}）", _label(kind, t.name), quantity=q))
        else:
            name = _fill(t.name, profile, kind)
            out.append(Proposal(t.level2, name, _fill(t.description, profile, kind), t.value, t.basis,
                                "标准指标的常用目标值" if t.value else "", _label(kind, t.name),
                                note="" if t.value else f"待填写：请按本项目计划填写{name}"))
    if profile.understanding.deadline_raw and not has_deadline:
        out.append(_deadline(RowTemplate(level2=cat.TIMELINESS, name="@deadline",
                                         description="{项目}在预算年度内按计划完成的时间"), profile, kind))
    return out
