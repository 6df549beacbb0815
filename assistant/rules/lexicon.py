"""Name tests shared by the rules: what a name or a value says about an indicator (the word lists
themselves are declared in assistant/domain.py)."""

from __future__ import annotations

import re

from corpus.categories import SERVED_SATISFACTION, squeeze
from corpus.models import IndicatorRow, Project

from .. import domain

_BRACKETS = re.compile(r"[（(][^）)]*[）)]")


def clean_name(name: str) -> str:
    """'各项任务完成及时率（%）' → '各项任务完成及时率': brackets carry units, not meaning."""
    return squeeze(_BRACKETS.sub("", name or ""))


# ---- rates ------------------------------------------------------------------


def is_rate_name(name: str) -> bool:
    """A rate or degree (…率, …度 such as 满意度, 覆盖率): its value must be a percentage."""
    n = clean_name(name)
    if n.endswith("率"):
        return not n.endswith("效率")  # 工作效率 is not a percentage
    return n.endswith("度") and not n.endswith(domain.NOT_RATE_DU)


def is_reverse_name(name: str) -> bool:
    n = clean_name(name)
    return any(m in n for m in domain.REVERSE_MARKERS)


def is_reverse(row: IndicatorRow) -> bool:
    return is_reverse_name(row.name) or "反向指标" in squeeze(row.description)


def is_positive(row: IndicatorRow) -> bool:
    return not is_reverse(row) and any(m in clean_name(row.name) for m in domain.POSITIVE_MARKERS)


def is_satisfaction(row: IndicatorRow) -> bool:
    return row.level2.name == SERVED_SATISFACTION or "满意" in clean_name(row.name)


# ---- people served ----------------------------------------------------------


def people_served(project: Project) -> list[str]:
    """The words in name/goals/purpose that show the project serves people (empty when none)."""
    text = squeeze(" ".join([project.name, project.purpose, *project.goals]))
    return [w for w in domain.PEOPLE_WORDS if w in text]


# ---- vague qualitative targets ------------------------------------------------


def is_vague(text: str) -> bool:
    """A qualitative target that says nothing checkable (是, 提高, 进一步推动, 效果明显 …)."""
    t = squeeze(text)
    if not t:
        return False
    return t in domain.VAGUE_WORDS or t.startswith(domain.VAGUE_PREFIX) or t.endswith(domain.VAGUE_SUFFIX)


# An aim written as a sentence (……得到改善, 有效提升……, 改善明显): it says what should happen, not what is
# counted, so no value (≥90%) can be checked against it.
_STATEMENT = re.compile(r"(得到|得以|有效|明显|显著|进一步|不断|逐步|全面)(改善|提升|提高|增强|加强|落实|推进|改进)"
                        r"|(改善|提升|提高|增强)(明显|显著)")


def is_statement(name: str) -> bool:
    """An indicator name that is a statement of an aim, not a measure (社区居民居住环境得到提升)."""
    return bool(_STATEMENT.search(squeeze(name)))


# ---- deadlines ----------------------------------------------------------------
# Qualitative deadlines that do fall within the budget year.
DEADLINE_PHRASE = re.compile(r"^(年底前|年内|年底|当年|本年度?内|年度内|(1[0-2]|[1-9])月(底|末|份)?前|(1[0-2]|[1-9])月底|年末前?|"
                             r"第?[一二三四1-4]季度(末|内|前|底)?(完成)?|年底前完成)$")

# ---- 确定依据 -------------------------------------------------------------------


def official_basis(basis: str) -> str:
    """The official term a free-text 确定依据 corresponds to ('' when it already is one)."""
    b = squeeze(basis)
    if not b or b.startswith(domain.OFFICIAL_BASES):
        return ""
    for words, term in domain.BASIS_KEYWORDS:
        if any(w in b for w in words):
            return term
    return "其他"
