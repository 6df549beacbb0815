"""Rows from precedents: the engine's clusters for one 二级 become rows and alternatives, a row is
swapped for another indicator, a new row goes into its slot."""

from __future__ import annotations

from rapidfuzz import fuzz

from .. import domain
from ..drafting import engine
from ..drafting.models import Alternative, Draft, SuggestedRow
from ..drafting.profile import ProjectProfile
from .slots import SLOT_ORDER
from .state import ChatState, Services


def same_name(a: str, b: str) -> bool:
    return a == b or fuzz.ratio(a, b) >= engine.NAME_SIMILAR


def usable_name(name: str) -> bool:
    """Published tables fill an unused slot with 「无」: that is no indicator to propose."""
    return len(name.strip()) >= 2 and name.strip() not in domain.PLACEHOLDERS


def taken(d: Draft, name: str, except_id: int | None = None) -> bool:
    """Is an indicator of this name already in the draft (another row than except_id)?"""
    return any(same_name(name, r.name) for r in d.rows if r.id != except_id)


def _cluster_named(name: str, clusters: list[engine.Cluster], profile: ProjectProfile,
                   description: str = "") -> engine.Cluster | None:
    exact = next((c for c in clusters if c.name == name), None)
    near = exact or next((c for c in clusters if same_name(name, c.name)), None)
    if near is not None or not clusters:
        return near
    # a row the engine named after the user's own quantity ("老人人数"): no precedent has that
    # name, the slot's best precedents stand as its form, as engine.draft does
    q = next((q for q in profile.quantities if q.noun and q.noun in name), None)
    if q is None:
        return None
    base = clusters[0]
    return engine.Cluster(name=name, vector=base.vector, rows=base.rows, weights=base.weights, quantity=q,
                          description=description or f"反映本项目涉及的{name}（按项目描述）")


def new_row(row_id: int, level2: str, c: engine.Cluster, alts: list[Alternative], profile: ProjectProfile,
            status: str) -> SuggestedRow:
    row = engine.suggest_row(row_id, level2, c, [], profile)
    row.alternatives = alts
    row.status = status
    return row


def further(level2: str, clusters, d: Draft, skip: list[str], n: int, profile) -> list[Alternative]:
    """Up to n more alternatives: clusters not in the draft and not already listed."""
    out: list[Alternative] = []
    for c in clusters:
        if len(out) >= n:
            break
        if not usable_name(c.name) or taken(d, c.name) or any(same_name(c.name, s) for s in skip):
            continue
        out.append(engine.as_alternative(level2, c, profile))
        skip = [*skip, c.name]
    return out


def swap(state: ChatState, row: SuggestedRow, choice: Alternative, services: Services) -> SuggestedRow:
    """Put the indicator `choice` in place of `row` (same id, same position, status edited).
    Its alternatives: the row's others, then further precedents, then the replaced one last,
    so asking again walks through all of them instead of flipping between two."""
    d = state.draft
    clusters = engine.slot_clusters(d, row.level2, services.indexes)
    c = _cluster_named(choice.name, clusters, d.profile, choice.description)
    rest = [a for a in row.alternatives if not same_name(a.name, choice.name) and not taken(d, a.name, row.id)]
    rest += further(row.level2, clusters, d, [choice.name, row.name, *(a.name for a in rest)], 3 - len(rest),
                    d.profile)
    rest.append(Alternative(name=row.name, value=row.value, description=row.description, agree=row.agree))
    if c is None:  # the index changed since the draft was made: keep what the alternative says
        new = row.model_copy(update=dict(
            name=choice.name, value=choice.value, description=choice.description, agree=choice.agree,
            evidence=[], how="取自备选", note="未能在当前语料中找到该指标的先例，请核实", alternatives=rest))
    else:
        new = new_row(row.id, row.level2, c, rest, d.profile, "edited")
    new.status = "edited"
    d.rows[d.rows.index(row)] = new
    return new


def insert_in_slot(d: Draft, row: SuggestedRow) -> int:
    """Insert after the last row of the same or an earlier slot; returns the 1-based position."""
    order = {l2: i for i, l2 in enumerate(SLOT_ORDER)}
    mine = order.get(row.level2, len(SLOT_ORDER))
    at = 0
    for i, r in enumerate(d.rows):
        if order.get(r.level2, len(SLOT_ORDER)) <= mine:
            at = i + 1
    d.rows.insert(at, row)
    return at + 1
