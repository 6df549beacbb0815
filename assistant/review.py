"""Review a table: the validator's findings for a project (or every project of an uploaded file),
and for each row the comparable precedents of other units found by the search index.

The UI's 审核 page and `jixiao check` both come through here:
- `check_project`: the findings for one project, precedents from the corpus, siblings among the
  given projects (the rest of the corpus for the UI, the rest of the file for `jixiao check`).
- `review_project` / `review_upload`: findings plus, per row, the comparable precedents.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from pydantic import BaseModel, Field

from corpus.library import preview_upload
from corpus.models import Corpus, DocumentResult, IndicatorRow, ParseIssue, Project
from corpus.sources import source_label

from .findings import SEVERITY_LABEL, Finding
from .precedents import precedent_pairs, row_precedents
from .rules.base import SiblingIndex
from .validator import siblings_from, validate

PRECEDENTS_SHOWN = 8  # comparable rows of other units shown per row under review
MIN_VALUE_PEERS = 2  # precedents with a number in the row's unit needed to place the row's value


class RowSearch(Protocol):
    """What review needs of the search index (index.store.Indexes has it)."""

    def search_rows(self, query: str, k: int = 10, filters=None, distinct: bool = False): ...


class Precedent(BaseModel):
    """A comparable row of another unit, as the index returned it."""

    unit: str
    project: str
    year: int | None = None
    level2: str = ""  # 二级指标 (canonical)
    name: str  # 三级指标
    value: str  # 指标值 as published
    number: float | None = None
    value_unit: str = ""
    similarity: float = 0.0  # cosine similarity of the texts (0 when the index gave none)
    source: str = ""  # the file, as the corpus names it
    where: str = ""

    @property
    def label(self) -> str:
        """单位 · 年度 · 《文件标题》 · 「项目」 · 第N行: where it comes from, as a person recognises it."""
        return source_label(self.unit, self.year, self.source, self.project, self.where)


class RowReview(BaseModel):
    index: int  # position in project.rows
    row: IndicatorRow
    findings: list[Finding] = Field(default_factory=list)
    precedents: list[Precedent] = Field(default_factory=list)
    # precedents whose value is a number in the row's own unit, when there are enough of them
    # (and the row has a number) to place the row's value among them; else empty
    value_peers: list[Precedent] = Field(default_factory=list)

    @property
    def has_error(self) -> bool:
        return any(f.is_error for f in self.findings)


class ProjectReview(BaseModel):
    project: Project
    findings: list[Finding] = Field(default_factory=list)  # all of them, table-level first
    rows: list[RowReview] = Field(default_factory=list)

    @property
    def table_findings(self) -> list[Finding]:
        return [f for f in self.findings if f.row_index is None]

    @property
    def counts(self) -> dict[str, int]:
        """Findings per severity, every severity present (in the order error, warning, hint)."""
        return {s: sum(f.severity == s for f in self.findings) for s in SEVERITY_LABEL}


class UploadReview(BaseModel):
    source: str
    issues: list[ParseIssue] = Field(default_factory=list)  # what could not be read
    projects: list[ProjectReview] = Field(default_factory=list)


def check_project(project: Project, corpus: Corpus | None, among: Sequence[Project] = (),
                  index: RowSearch | None = None) -> list[Finding]:
    """The validator's findings: precedents from other units of `corpus` (none when None), found
    through `index` when given (assistant.precedents), rows copied from the same unit's projects
    among `among` (a list, or a SiblingIndex built once for a whole document or batch)."""
    if isinstance(among, SiblingIndex):
        return validate(project, precedent_pairs(project, corpus, index), sibling_index=among)
    return validate(project, precedent_pairs(project, corpus, index), siblings_from(project, list(among)))


def check_document(result: DocumentResult, corpus: Corpus | None,
                   index: RowSearch | None = None) -> list[tuple[Project, list[Finding]]]:
    """Findings for every project of a parsed file; siblings are the file's other projects."""
    siblings = SiblingIndex(result.projects)  # built once: the file's projects stay linear
    return [(p, check_project(p, corpus, siblings, index)) for p in result.projects]


def comparable_precedents(index: RowSearch, project: Project, row: IndicatorRow,
                          corpus: Corpus | None = None) -> list[Precedent]:
    """Rows of other units comparable with `row` (same 二级指标, same indicator by name), best first:
    assistant.precedents.row_precedents, the validator's own source."""
    return [Precedent(unit=p.unit, project=p.project, year=p.year, level2=p.record.level2, name=p.record.name,
                      value=p.record.value_raw, number=p.record.number, value_unit=p.record.value_unit,
                      similarity=p.vector_score, source=p.source, where=p.where)
            for p in row_precedents(project, row, index, corpus, per_row=PRECEDENTS_SHOWN)]


def value_peers(row: IndicatorRow, precedents: list[Precedent]) -> list[Precedent]:
    """The precedents to place the row's value among: numbers in the row's unit, at least two."""
    same_unit = [p for p in precedents if p.number is not None and p.value_unit == row.value.unit]
    return same_unit if len(same_unit) >= MIN_VALUE_PEERS and row.value.number is not None else []


def review_project(project: Project, corpus: Corpus, index: RowSearch | None = None) -> ProjectReview:
    """Findings against the corpus (siblings: the same unit's projects in it) and, with an index,
    the comparable precedents of every row."""
    siblings = corpus.projects_of(project.owner) if corpus is not None else []  # by unit: no whole-corpus read
    findings = check_project(project, corpus, siblings, index)
    rows = []
    for i, row in enumerate(project.rows):
        precedents = comparable_precedents(index, project, row, corpus) if index is not None else []
        rows.append(RowReview(index=i, row=row, findings=[f for f in findings if f.row_index == i],
                              precedents=precedents, value_peers=value_peers(row, precedents)))
    return ProjectReview(project=project, findings=findings, rows=rows)


def review_upload(name: str, data: bytes, corpus: Corpus, index: RowSearch | None = None) -> UploadReview:
    """Read an uploaded file (not kept) and review every project in it."""
    result = preview_upload(name, data)
    return UploadReview(source=result.source, issues=result.issues,
                        projects=[review_project(p, corpus, index) for p in result.projects])
