"""The per-slot aggregate (`Index.slot_prior`) from light row tuples, for stores that keep the rows
elsewhere (index/milvus_store.py). The same ranking and sampling as `Indexes._slot_prior`, so
both stores give a draft the same prior."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from .store import PRIOR_NAMES, PRIOR_ROWS_PER_NAME


class PriorRow(NamedTuple):
    """What the aggregate looks at of one row (a tuple: a million of them are made at 1M rows)."""

    id: int
    level2: str
    name: str
    unit: str
    project_id: int


def prior_ids(rows: Iterable[PriorRow]) -> dict[str, list[int]]:
    """二级 → the ids of its prior's rows (in corpus order). `rows` in any order."""
    by_slot: dict[str, dict[str, list[PriorRow]]] = {}
    for r in sorted(rows, key=lambda r: r.id):  # corpus order, as the local store walks its records
        if r.name:
            by_slot.setdefault(r.level2, {}).setdefault(r.name, []).append(r)
    prior: dict[str, list[int]] = {}
    for level2, names in by_slot.items():
        ranked = sorted(names.items(), key=lambda kv: (-len({r.unit for r in kv[1]}),
                                                       -len({r.project_id for r in kv[1]}), -len(kv[1]), kv[0]))
        ids = [r.id for _, group in ranked[:PRIOR_NAMES] for r in _spread(group, PRIOR_ROWS_PER_NAME)]
        prior[level2] = sorted(ids)
    return prior


def _spread(rows: list[PriorRow], limit: int) -> list[PriorRow]:
    """Up to `limit` rows, one per unit in turn (first rows first)."""
    if len(rows) <= limit:
        return rows
    by_unit: dict[str, list[PriorRow]] = {}
    for r in rows:
        by_unit.setdefault(r.unit, []).append(r)
    out: list[PriorRow] = []
    depth = 0
    while len(out) < limit:
        for group in by_unit.values():
            if depth < len(group) and len(out) < limit:
                out.append(group[depth])
        depth += 1
    return out
