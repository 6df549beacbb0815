"""The per-slot aggregate a draft reads (`Indexes.slot_prior`), computed from the record columns
at build or append and saved with the index, so opening an index never walks the rows."""

from __future__ import annotations

from .record_table import RecordTable

PRIOR_NAMES = 100  # a slot's prior: its most used distinct indicator names (bundled corpus: ≤ 68 per slot)
PRIOR_ROWS_PER_NAME = 20  # … each with at most this many of its rows, one unit after another (bundled: ≤ 13)


def slot_prior_ids(t: RecordTable) -> dict[str, list[int]]:
    """What the field as a whole writes in each 二级, aggregated per distinct indicator name:
    names ranked by how many units (then projects, then rows) use them, the top PRIOR_NAMES kept,
    each with up to PRIOR_ROWS_PER_NAME of its rows (its values), taken one unit at a time.
    Returns row ids per 二级, ascending (corpus order)."""
    empty = t.code("name", "")
    level2, name, unit, project = (t.codes["level2"].tolist(), t.codes["name"].tolist(),
                                   t.codes["unit"].tolist(), t.project_id.tolist())
    by_slot: dict[int, dict[int, list[int]]] = {}
    for i, (slot, nm) in enumerate(zip(level2, name)):
        if nm != empty:
            by_slot.setdefault(slot, {}).setdefault(nm, []).append(i)
    names = t.values["name"]
    prior: dict[str, list[int]] = {}
    for slot, groups in by_slot.items():
        ranked = sorted(groups.items(), key=lambda kv: (-len({unit[i] for i in kv[1]}),
                                                        -len({project[i] for i in kv[1]}), -len(kv[1]), names[kv[0]]))
        ids = [i for _, rows in ranked[:PRIOR_NAMES] for i in _spread(rows, unit, PRIOR_ROWS_PER_NAME)]
        prior[t.values["level2"][slot]] = sorted(ids)
    return prior


def _spread(rows: list[int], unit: list[int], limit: int) -> list[int]:
    """Up to `limit` rows, one per unit in turn (first rows first), so a name's sample shows the
    spread of units and values rather than one unit's copies."""
    if len(rows) <= limit:
        return rows
    by_unit: dict[int, list[int]] = {}
    for i in rows:
        by_unit.setdefault(unit[i], []).append(i)
    out: list[int] = []
    depth = 0
    while len(out) < limit:
        for group in by_unit.values():
            if depth < len(group) and len(out) < limit:
                out.append(group[depth])
        depth += 1
    return out
