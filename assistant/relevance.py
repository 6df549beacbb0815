"""Is an indicator about this project? One answer for drafting, the reviewer rules and evaluation.

A 三级指标 name is read as subject + tail: 游客满意度 = 游客 + 满意度, 工程验收合格率 = 工程验收 + 合格率.
A row is about a project when its name shares content with the project's name, goal, objects or
activity, or when it is a generic measurable form (its subject is generic: 资金支付及时率, 完成时间).
"""

from __future__ import annotations

import re

from . import domain
from .understand import Understanding, content_grams, simplified

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")
_PREFIX = re.compile(r"^(?:\d+[.、]|[（(]\d+[）)]|指标\d+[:：]?)")


def clean(name: str) -> str:
    """A name as compared: simplified, without brackets, whitespace or a numbering prefix."""
    return _PREFIX.sub("", re.sub(r"\s+", "", _BRACKETS.sub("", simplified(name or ""))))


def split_name(name: str) -> tuple[str, str]:
    """'社区居民满意度' → ('社区居民', '满意度'); a name with no generic tail → (name, '')."""
    n = clean(name)
    for tail in domain.GENERIC_TAILS:
        if n.endswith(tail):
            return n[:-len(tail)], tail
    return n, ""


def party_of(text: str) -> str:
    """The party an indicator's subject speaks of: the first one it names (小区居民对社区工作者的满意度
    asks 居民), place words included; 服务对象 is the generic party; '' when none."""
    t = simplified(text)
    if domain.GENERIC_SERVED in t:
        return domain.GENERIC_SERVED
    found = [(t.find(w), -len(w), party) for party, words in domain.SERVED_PARTIES for w in words if w in t]
    return min(found)[2] if found else ""


def is_generic_form(name: str) -> bool:
    subject, tail = split_name(name)
    return bool(tail) and subject in domain.GENERIC_SUBJECTS


def is_filler(name: str) -> bool:
    n = clean(name)
    return any(f in n for f in domain.FILLER_NAMES)


def shares_content(name: str, u: Understanding) -> bool:
    return bool(content_grams(clean(name)) & u.grams())


def shares_object(name: str, u: Understanding) -> bool:
    """Speaks of the project's own objects or served party (租赁用房 is not about 车辆租赁)."""
    return bool(content_grams(clean(name)) & u.object_grams())


def about_project(name: str, u: Understanding) -> bool:
    """About this project: shares content with it, or a generic measurable form (not filler)."""
    if shares_content(name, u):
        return True
    return is_generic_form(name) and not is_filler(name)


def subjects_agree(a: str, b: str) -> bool:
    """Two subjects of the same tail: parties must be the same, a generic subject agrees with any,
    otherwise they must share a word (社区居民 ~ 居民, 培训 ≁ 绿化)."""
    pa, pb = party_of(a), party_of(b)
    if domain.GENERIC_SERVED in (pa, pb):
        return True
    if pa and pb:
        return pa == pb
    if a in domain.GENERIC_SUBJECTS or b in domain.GENERIC_SUBJECTS:
        return True
    ga = {a[i:i + 2] for i in range(len(a) - 1)}
    return any(g in b for g in ga)


def wrong_party(name: str, u: Understanding, fallback: str = "") -> str:
    """The party a satisfaction row names when it is not the project's ('' when it fits)."""
    served = u.served or fallback
    named = party_of(split_name(name)[0])
    if not served or not named or domain.GENERIC_SERVED in (named, served) or named == served:
        return ""
    return named


def strict_agree(a: str, b: str) -> bool:
    """The strict rule: names with the same generic tail must also agree in subject
    (居民满意度 ≠ 游客满意度; 服务对象满意度 agrees with any)."""
    (sa, ta), (sb, tb) = split_name(a), split_name(b)
    return ta != tb or not ta or subjects_agree(sa, sb)


NAME_RATIO = 60
NAME_CONTAINED = 0.8


def similar_names(a: str, b: str) -> bool:
    """Character-level sameness of two indicator names: ratio ≥ 60, or the shorter (≥ 3 characters)
    found in order in the longer for ≥ 80% of its characters."""
    from rapidfuzz import fuzz
    from rapidfuzz.distance import LCSseq

    if fuzz.ratio(a, b) >= NAME_RATIO:
        return True
    shorter = min(len(a), len(b))
    return shorter >= 3 and LCSseq.similarity(a, b) >= NAME_CONTAINED * shorter


SATISFACTION_TAILS = ("满意度", "满意率")


def same_party_satisfaction(a: str, b: str) -> bool:
    """Two satisfaction rows of the same canonical party are one indicator, however worded
    (干部职工满意度 = 单位工作人员满意度; 居民满意度 ≠ 游客满意度)."""
    (sa, ta), (sb, tb) = split_name(a), split_name(b)
    if ta not in SATISFACTION_TAILS or tb not in SATISFACTION_TAILS:
        return False
    pa, pb = party_of(sa), party_of(sb)
    return bool(pa) and pa == pb and pa != domain.GENERIC_SERVED


def same_indicator(a: str, b: str) -> bool:
    """Strictly the same indicator, by characters: similar names whose subjects agree, or
    satisfaction of the same party."""
    a, b = clean(a), clean(b)
    return (similar_names(a, b) and strict_agree(a, b)) or same_party_satisfaction(a, b)
