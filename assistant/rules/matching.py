"""Which precedent rows measure 'the same indicator' as a row, and how their numbers compare.

Rows are comparable when they share the canonical 二级 and their 三级 names are similar: the mean
of rapidfuzz token_set_ratio and token_sort_ratio over the names' characters (Chinese has no
spaces, so each character is a token) must reach NAME_THRESHOLD. token_set alone is too generous
with long names (any shared characters count), token_sort alone too strict with short ones
(群众满意度 / 居民满意度); their mean separates the seeds' pairs well. Besides, a rate and a
non-rate never match, and two rates must end in the same rate word (合格率 vs 完成率 are
different indicators even when the rest of the name matches).
"""

from __future__ import annotations

from functools import lru_cache

from rapidfuzz import fuzz

from corpus.models import IndicatorRow, TargetValue
from corpus.values import to_wan, unit_family

from ..domain import PER_UNIT_WORDS
from .base import Pair
from .lexicon import clean_name, is_rate_name

NAME_THRESHOLD = 65.0  # mean of token_set_ratio and token_sort_ratio over characters, 0–100
MIN_PRECEDENTS = 3  # fewer comparable values than this say nothing about a distribution
MIN_SOURCES = 2  # …and they must come from at least this many units, so one unit's boilerplate is not a norm

# Rate words that name the same measure.
_TAIL_SYNONYMS = {"及时性": "及时率", "满意率": "满意度", "正确率": "准确率", "准确性": "准确率", "精准性": "准确率"}


def _tail(name: str) -> str:
    """The rate word a name ends with ('合格率', '满意度'), '' for non-rates."""
    n = clean_name(name)
    tail = n[-3:]
    tail = _TAIL_SYNONYMS.get(tail, tail)
    return tail if is_rate_name(tail) else ""


@lru_cache(maxsize=65536)
def name_similarity(a: str, b: str) -> float:
    """0–100; names repeat a lot across tables (boilerplate), hence the cache."""
    a, b = clean_name(a), clean_name(b)
    if not a or not b:
        return 0.0
    if a == b:
        return 100.0
    if _tail(a) != _tail(b):  # also keeps a rate from matching a non-rate (tail "")
        return 0.0
    ca, cb = " ".join(a), " ".join(b)
    return (fuzz.token_set_ratio(ca, cb) + fuzz.token_sort_ratio(ca, cb)) / 2


def is_comparable(row: IndicatorRow, other: IndicatorRow) -> bool:
    return comparable_to(row, other.level2.name, other.name)


def comparable_to(row: IndicatorRow, level2: str, name: str) -> bool:
    """is_comparable against a row known only by its 二级 and 三级 (an index record)."""
    return bool(row.level2.name) and row.level2.name == level2 and name_similarity(row.name, name) >= NAME_THRESHOLD


def comparable_rows(row: IndicatorRow, precedents: list[Pair]) -> list[Pair]:
    """Precedents measuring the same indicator, most similar first."""
    hits = [(p, r) for p, r in precedents if is_comparable(row, r)]
    hits.sort(key=lambda pr: -name_similarity(row.name, pr[1].name))
    return hits


# ---- numbers on a common scale -------------------------------------------------



def scale_key(value: TargetValue, name: str = "") -> str | None:
    """The scale two values must share to be compared, or None when comparing would mislead.

    Rates, per-unit costs and deadlines do not depend on a project's size; counts and total
    amounts do (13 社区 vs 4 社区 says nothing about quality), so those are not compared."""
    if not value.clean or value.number is None:
        return None
    family = unit_family(value.unit)
    if family == "percent":
        return "%"
    if family == "time":
        return value.unit
    if family == "money":
        head, _, per = value.unit.partition("/")
        if per or any(w in clean_name(name) for w in PER_UNIT_WORDS):
            return f"万元/{per}" if per else "万元"
        return None
    return None


def scaled_number(value: TargetValue) -> float:
    """The number on its scale: money in 万元, everything else as written."""
    if unit_family(value.unit) == "money":
        return to_wan(value.number, value.unit.split("/")[0])
    return float(value.number)


def format_scaled(number: float, key: str) -> str:
    if key.startswith("万元"):
        return f"{number:g}{key}" if number >= 1 else f"{number * 10000:g}元{key[2:]}"
    return f"{number:g}{key}"
