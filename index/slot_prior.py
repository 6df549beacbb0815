"""The per-slot aggregate a draft reads (`Index.slot_prior`): what the field as a whole writes in each
二级, per distinct indicator name. Computed once at build or append and saved with the index, so opening
an index never walks the rows. One ranking for every store: the local store feeds it its record
columns (`slot_prior_ids`), the Milvus store light row tuples (`prior_ids`), and both give a draft
the same prior."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from typing import NamedTuple

from .record_table import RecordTable

PRIOR_NAMES = 100  # a slot's prior: its most used distinct indicator names (bundled corpus: ≤ 68 per slot)
PRIOR_ROWS_PER_NAME = 20  # … each with at most this many of its rows, one unit after another (bundled: ≤ 13)


class PriorRow(NamedTuple):
    """What the aggregate looks at of one row: its id and four fields (texts, or codes of texts)."""

    id: int
    level2: Hashable
    name: Hashable
    unit: Hashable
    project_id: int


def rank(rows: Iterable[PriorRow], name_text: Callable[[Hashable], str] = str) -> dict[Hashable, list[int]]:
    """二级 → the ids of its prior's rows, ascending (corpus order): names ranked by how many units
    (then projects, then rows) use them, ties by the name's text, the top PRIOR_NAMES kept, each with
    up to PRIOR_ROWS_PER_NAME of its rows taken one unit at a time. Rows without a name are left to
    the caller to drop."""
    by_slot: dict[Hashable, dict[Hashable, list[PriorRow]]] = {}
    for r in sorted(rows, key=lambda r: r.id):
        by_slot.setdefault(r.level2, {}).setdefault(r.name, []).append(r)
    prior: dict[Hashable, list[int]] = {}
    for level2, names in by_slot.items():
        ranked = sorted(names.items(), key=lambda kv: (-len({r.unit for r in kv[1]}), -len({r.project_id for r in kv[1]}),
                                                       -len(kv[1]), name_text(kv[0])))
        ids = [r.id for _, group in ranked[:PRIOR_NAMES]
               for r in _spread(group, [r.unit for r in group], PRIOR_ROWS_PER_NAME)]
        prior[level2] = sorted(ids)
    return prior


def prior_ids(rows: Iterable[PriorRow]) -> dict[str, list[int]]:
    """From row tuples carrying texts (index/milvus_store.py)."""
    return rank(r for r in rows if r.name)


def slot_prior_ids(t: RecordTable) -> dict[str, list[int]]:
    """From the local store's record columns (codes of texts)."""
    empty = t.code("name", "")
    names = t.values["name"]
    rows = (PriorRow(i, slot, nm, u, p) for i, (slot, nm, u, p) in enumerate(zip(
        t.codes["level2"].tolist(), t.codes["name"].tolist(), t.codes["unit"].tolist(), t.project_id.tolist()))
        if nm != empty)
    return {t.values["level2"][slot]: ids for slot, ids in rank(rows, name_text=lambda c: names[c]).items()}


def _spread(rows: list, unit: list, limit: int) -> list:
    """Up to `limit` of `rows` (unit[k] the unit of rows[k]), one per unit in turn (first rows first),
    so a name's sample shows the spread of units and values rather than one unit's copies."""
    if len(rows) <= limit:
        return rows
    by_unit: dict = {}
    for r, u in zip(rows, unit):
        by_unit.setdefault(u, []).append(r)
    out: list = []
    depth = 0
    while len(out) < limit:
        for group in by_unit.values():
            if depth < len(group) and len(out) < limit:
                out.append(group[depth])
        depth += 1
    return out
