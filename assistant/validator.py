"""Validate one project's performance target table against the reviewers' rules.

`validate(project, precedents, siblings)`:
- precedents: rows of other units' tables, used to suggest values and to place each target in
  the distribution of the same indicator. assistant.precedents finds them through the search index;
  `precedents_from_corpus` is the fallback when there is no index: for each row, rows of OTHER units' projects with the
  same canonical 二级 whose 三级 name reaches rules.matching.NAME_THRESHOLD (65: the mean of
  rapidfuzz token_set_ratio and token_sort_ratio over the names' characters; rate names must end
  in the same rate word). See rules/matching.py for why.
- siblings: the other projects of the same unit, to spot rows copied verbatim between projects.
"""

from __future__ import annotations

from corpus.models import Corpus, IndicatorRow, Project

from .findings import Finding, sort_key
from .rules import CHECKS, Context, structure
from .rules.base import SiblingIndex
from .rules.matching import is_comparable

# A row whose value already has an error in these families is not judged again by these rules:
# 时效 "及时" is a fit error, calling it vague too says the same twice; "≥100%" is a form error,
# placing it among precedents adds nothing.
_SUPPRESSED_BY: dict[str, tuple[str, ...]] = {
    "quality.vague": ("fit.", "reviewer.vague_measurable"),
    "quality.vague_with_precedent": ("fit.",),
    "reviewer.vague_measurable": ("fit.",),
    "precedent.out_of_range": ("value.", "fit."),
    "consistency.below_precedents": ("value.", "fit."),
}


def validate(project: Project, precedents: list[tuple[Project, IndicatorRow]] | None = None,
             siblings: list[Project] | None = None, sibling_index: SiblingIndex | None = None) -> list[Finding]:
    """`sibling_index`, when given (built once per document or batch with all its projects),
    replaces `siblings`: copied rows are looked up in it, keeping a batch linear."""
    if sibling_index is not None:
        siblings = sibling_index.siblings_of(project)
    ctx = Context(project=project, precedents=list(precedents or []),
                  siblings=[s for s in (siblings or []) if s is not project], sibling_index=sibling_index)
    # a table without rows gets the one finding that says so, not every rule's view of emptiness
    checks = CHECKS if project.rows else [structure.check]
    findings = [f for check in checks for f in check(ctx)]
    return sorted(_drop_repeats(findings), key=sort_key)


def _drop_repeats(findings: list[Finding]) -> list[Finding]:
    errors = {(f.row_index, f.rule.split(".")[0] + ".") for f in findings
              if f.severity == "error" and f.row_index is not None}
    errors |= {(f.row_index, f.rule) for f in findings if f.row_index is not None}  # a rule named whole
    return [f for f in findings
            if not any((f.row_index, fam) in errors for fam in _SUPPRESSED_BY.get(f.rule, ()))]


def precedents_from_corpus(project: Project, corpus: Corpus) -> list[tuple[Project, IndicatorRow]]:
    """Fallback precedent retrieval: rows of other units comparable with at least one row of `project`."""
    own = project.owner
    candidates = [(p, r) for p, r in corpus.rows() if p.owner != own]
    picked: list[tuple[Project, IndicatorRow]] = []
    taken: set[int] = set()
    for row in project.rows:
        for n, (p, r) in enumerate(candidates):
            if n not in taken and is_comparable(row, r):
                taken.add(n)
                picked.append((p, r))
    return picked


def siblings_from(project: Project, projects: list[Project]) -> list[Project]:
    """The other projects of the same unit (same 单位, or same file when the unit is unknown); the project
    itself is left out also when read again as another object (a lazily read corpus)."""
    own = project.owner
    return [p for p in projects if p is not project and p.owner == own and p != project]
