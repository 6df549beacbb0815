"""What the index stores and returns: flat records of rows and projects, filters, and hits."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from corpus.models import Corpus, Project

Granularity = Literal["rows", "projects"]


class _Record(BaseModel):
    """What rows and projects share: identity, provenance and the fields filters look at."""

    id: int
    source: str
    where: str
    unit: str = ""
    region: str = ""
    year: int | None = None
    kind: str = "project"
    goal_number: int | None = None
    budget_wan: float | None = None


class RowRecord(_Record):
    project: str = ""
    project_id: int = 0
    level1: str = ""
    level2: str = ""
    name: str = ""
    description: str = ""
    value_raw: str = ""
    op: str = ""
    number: float | None = None
    value_unit: str = ""
    basis: str = ""

    def embed_fields(self) -> list[str]:
        """Texts embedded for this row; the description only when it adds something."""
        desc = self.description if self.description and self.description != self.name else ""
        return [self.name, desc]

    def lexical_text(self) -> str:
        return f"{self.name} {self.description}".strip()


class ProjectRecord(_Record):
    name: str = ""
    goals: str = ""
    n_rows: int = 0

    def embed_fields(self) -> list[str]:
        return [self.name, self.goals[:200]]

    def lexical_text(self) -> str:
        return f"{self.name} {self.goals[:200]} {self.unit}".strip()


Record = RowRecord | ProjectRecord


class Filters(BaseModel):
    """Restrict a search; every field is optional and they combine with AND."""

    level1: str | None = None
    level2: str | None = None
    kind: str | None = None
    budget_min: float | None = None  # 万元
    budget_max: float | None = None
    region: str | None = None  # substring match: "永宁" finds 永宁县
    year: int | None = None
    unit: str | None = None  # substring match

    def active(self) -> bool:
        return any(v is not None and v != "" for v in self.model_dump().values())


class Hit(BaseModel):
    """One result with the parts of its score, so the UI can say why it matched."""

    rank: int
    score: float  # fused
    vector_score: float | None = None  # cosine similarity
    lexical_score: float | None = None  # the lexical part of `score`, 0-1: under blend fusion the rapidfuzz
    # ratio of the query and the text's name / 100 (what the blend scales and weighs), under rrf the TF-IDF cosine
    tfidf_score: float | None = None  # character 1-2-gram TF-IDF cosine, whatever the fusion (lexical_score
    # reported this before; comparable projects still weigh it)
    fuzzy: float | None = None  # rapidfuzz ratio of the names, 0-100
    same_text: int = 1  # how many records (passing the filters) carry exactly this text
    record: RowRecord | ProjectRecord


def _project_goals(p: Project) -> str:
    return " ".join(p.goals)


def corpus_records(corpus: Corpus, start_row: int = 0, start_project: int = 0,
                   documents: set[str] | None = None) -> tuple[list[RowRecord], list[ProjectRecord]]:
    """Flatten (some documents of) a corpus; ids continue from the given starts when appending."""
    rows: list[RowRecord] = []
    projects: list[ProjectRecord] = []
    for doc in corpus.documents:
        if documents is not None and doc.source not in documents:
            continue
        for p in doc.projects:
            pid = start_project + len(projects)
            projects.append(ProjectRecord(
                id=pid, source=p.source, where=p.provenance.where(), unit=p.unit, region=p.region,
                year=p.year, name=p.name, kind=p.kind, goal_number=p.goal_number,
                budget_wan=p.budget.wan, goals=_project_goals(p), n_rows=len(p.rows)))
            for r in p.rows:
                rows.append(RowRecord(
                    id=start_row + len(rows), source=p.source, where=r.provenance.where(), unit=p.unit,
                    region=p.region, year=p.year, project=p.name, project_id=pid, kind=p.kind,
                    goal_number=p.goal_number, budget_wan=p.budget.wan, level1=r.level1.name,
                    level2=r.level2.name, name=r.name, description=r.description, value_raw=r.value.raw,
                    op=r.value.op, number=r.value.number, value_unit=r.value.unit, basis=r.basis))
    return rows, projects
