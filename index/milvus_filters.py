"""`index.records.Filters` as a Milvus boolean expression, with the same meaning as the local
store's array filters (index/hybrid.py): 一级/二级/kind exact, region/unit substring, a budget
bound fails an unknown budget, projects ignore the 一级/二级 filters (they have none)."""

from __future__ import annotations

from .records import Filters, Granularity


def quoted(text: str) -> str:
    """A Milvus string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _like_infix(text: str) -> str:
    """The pattern of `field like "%text%"`: %, _ and \\ in the text are literal characters (escaped
    for LIKE, then the whole quoted as a string literal)."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return quoted(f"%{escaped}%")


def filter_expression(filters: Filters | None, granularity: Granularity) -> str | None:
    """The expression, or None when nothing is filtered (every record passes)."""
    if filters is None or not filters.active():
        return None
    parts: list[str] = []
    for field in ("level1", "level2", "kind"):
        wanted = getattr(filters, field)
        if wanted and not (granularity == "projects" and field.startswith("level")):
            parts.append(f"{field} == {quoted(wanted)}")
    for field in ("region", "unit"):
        wanted = getattr(filters, field)
        if wanted:
            parts.append(f"{field} like {_like_infix(wanted)}")
    # a null budget or year compares as false, as the local store's nan / -1 do
    if filters.budget_min is not None:
        parts.append(f"budget_wan >= {float(filters.budget_min)!r}")
    if filters.budget_max is not None:
        parts.append(f"budget_wan <= {float(filters.budget_max)!r}")
    if filters.year is not None:
        parts.append(f"year == {int(filters.year)}")
    return " and ".join(f"({p})" for p in parts) if parts else "id >= 0"
