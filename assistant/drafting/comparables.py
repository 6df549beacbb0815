"""Comparable projects: similar name and goal, same type, budget close on a log scale."""

from __future__ import annotations

import math

from index.protocol import Index
from index.records import Filters, ProjectRecord

from .models import ComparableProject
from .profile import ProjectProfile
from .taxonomy import ProjectType, classify

TYPE_BONUS = 0.06
BUDGET_BONUS = 0.06  # at equal budgets; none beyond a factor of 100


def record_type(rec: ProjectRecord) -> ProjectType:
    return classify(rec.name, rec.goals)[0]


def budget_closeness(a: float | None, b: float | None) -> float | None:
    """1 at equal budgets, 0 at a factor of 100 apart (log scale); None when one is unknown."""
    if not a or not b or a <= 0 or b <= 0:
        return None
    return max(0.0, 1.0 - abs(math.log10(a / b)) / 2.0)


def comparables_query(profile: ProjectProfile) -> str:
    return f"{profile.name} {profile.goal[:120]}".strip()


def comparable_projects(profile: ProjectProfile, indexes: Index, ptype: ProjectType, k: int = 10,
                        filters: Filters | None = None) -> list[ComparableProject]:
    query = comparables_query(profile)
    hits = indexes.search_projects(query, k=60, filters=filters)
    out: list[ComparableProject] = []
    for h in hits:
        rec: ProjectRecord = h.record  # type: ignore[assignment]
        if rec.n_rows == 0:
            continue
        sim = 0.7 * (h.vector_score or 0) + 0.3 * (h.tfidf_score or 0)
        reasons = [f"名称与目标相似度 {sim:.2f}"]
        rtype = record_type(rec)
        score = sim
        if rtype.key == ptype.key and ptype.key != "other":
            score += TYPE_BONUS
            reasons.append(f"同类项目（{rtype.label}）")
        close = budget_closeness(profile.budget.wan, rec.budget_wan)
        if close is not None:
            score += BUDGET_BONUS * close
            if close > 0.5:
                reasons.append(f"预算相近（{rec.budget_wan:g} 万元）")
        out.append(ComparableProject(
            project_id=rec.id, name=rec.name, unit=rec.unit, year=rec.year, budget_wan=rec.budget_wan,
            project_type=rtype.label, score=round(score, 4), reasons=reasons, source=rec.source, where=rec.where))
    out.sort(key=lambda c: -c.score)
    return out[:k]
