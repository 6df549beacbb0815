"""Typed records of the corpus: the boundary every other package reads."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, PrivateAttr

Operator = Literal["≥", "≤", "=", ">", "<", ""]
ProjectKind = Literal["project", "department"]


class Provenance(BaseModel):
    """Where a record came from, precise enough for a reviewer to find it."""

    source: str  # file name as the user gave it
    line_start: int | None = None  # 1-based, text files
    line_end: int | None = None
    sheet: str | None = None  # xlsx
    cell: str | None = None  # xlsx "B7" / docx "table 2, row 5"
    table: int | None = None  # docx table index, 1-based

    def where(self) -> str:
        if self.line_start is not None:
            if self.line_end and self.line_end != self.line_start:
                return f"{self.source} 第{self.line_start}-{self.line_end}行"
            return f"{self.source} 第{self.line_start}行"
        if self.sheet is not None:
            return f"{self.source} 工作表「{self.sheet}」{self.cell or ''}"
        if self.table is not None:
            return f"{self.source} 表{self.table} {self.cell or ''}".rstrip()
        return self.source


class TargetValue(BaseModel):
    """A 指标值: the raw text and what could be read from it."""

    raw: str
    op: Operator = ""
    number: float | None = None
    unit: str = ""  # 个, %, 万元, 元/人/月 …
    qualitative: str = ""  # 及时, 提高, 有效保障 … when no number
    clean: bool = False  # parsed without doubt
    problem: str = ""  # why not clean (garbled digits, stray unit …)

    def text(self) -> str:
        """Normalised display form, e.g. '≥95%'."""
        if self.number is None:
            return self.qualitative or self.raw
        num = f"{self.number:g}" if abs(self.number) < 1e15 else str(self.number)
        return f"{self.op}{num}{self.unit}"


class Money(BaseModel):
    """An amount normalised to 万元, with the text it was read from."""

    wan: float | None = None
    raw: str = ""
    unit: str = ""  # unit of the raw text: 元, 万元, 亿元


class Category(BaseModel):
    """A 一级/二级 cell: canonical name plus what the document wrote."""

    name: str = ""
    raw: str = ""


class IndicatorRow(BaseModel):
    level1: Category
    level2: Category
    name: str  # 三级指标
    name_raw: str = ""
    description: str = ""  # 绩效指标描述
    value: TargetValue
    basis: str = ""  # 指标值确定依据
    scoring: str = ""  # 评（扣）分标准
    weight: float | None = None
    provenance: Provenance


class Project(BaseModel):
    source: str
    kind: ProjectKind = "project"
    goal_number: int | None = None  # 目标N in department-wide tables
    unit: str = ""  # 单位, e.g. 永宁县团结西路街道办事处
    region: str = ""
    year: int | None = None
    name: str = ""
    code: str = ""
    attribute: str = ""  # 项目属性: 延续性/新增
    period: str = ""  # 项目期
    budget: Money = Field(default_factory=Money)
    fiscal: Money = Field(default_factory=Money)  # 财政拨款
    other_funds: Money = Field(default_factory=Money)
    money_unit: str = ""  # the document's own unit header
    purpose: str = ""  # 资金用途
    spending_plan: dict[str, str] = Field(default_factory=dict)  # 3月底 → 25%
    goals: list[str] = Field(default_factory=list)
    rows: list[IndicatorRow] = Field(default_factory=list)
    provenance: Provenance

    @property
    def budget_wan(self) -> float | None:
        return self.budget.wan

    @property
    def owner(self) -> str:
        """Whose table it is: its unit, or its file when it names none (a unit's projects are siblings)."""
        return self.unit or self.source


class ProjectHeading(BaseModel):
    """A project as listed for picking: its position in corpus order (`Corpus.project(id)`)."""

    id: int
    name: str
    unit: str = ""
    year: int | None = None
    goal_number: int | None = None

    def label(self) -> str:
        return f"{self.name}｜{self.unit} {self.year or ''}" + (f"（目标{self.goal_number}）" if self.goal_number else "")


class ParseIssue(BaseModel):
    """A problem met while reading: named by file and place, never fatal to a batch."""

    source: str
    where: str = ""
    severity: Literal["error", "warning"] = "error"
    message: str


class DocumentResult(BaseModel):
    source: str
    path: str = ""
    projects: list[Project] = Field(default_factory=list)
    issues: list[ParseIssue] = Field(default_factory=list)

    @property
    def skipped(self) -> bool:
        return not self.projects and any(i.severity == "error" for i in self.issues)


class Corpus(BaseModel):
    documents: list[DocumentResult] = Field(default_factory=list)
    _origin: dict | None = PrivateAttr(default=None)  # the file it was read from: path, size, mtime_ns

    @property
    def origin(self) -> dict:
        """Where this corpus was read from, as the file was then (empty when built in memory); the
        index trusts its recorded digests while this is unchanged. The count of documents guards
        against documents added to the object since."""
        return {**self._origin, "documents": len(self.documents)} if self._origin else {}

    def model_copy(self, *, update=None, deep: bool = False) -> "Corpus":
        """A copy is made to be changed (a row removed, documents left out): it is no longer what the
        file holds, so it carries no origin and the index checks it by its digests."""
        copy = super().model_copy(update=update, deep=deep)
        copy._origin = None
        return copy

    def projects(self) -> list[Project]:
        return [p for d in self.documents for p in d.projects]

    def rows(self) -> list[tuple[Project, IndicatorRow]]:
        return [(p, r) for p in self.projects() for r in p.rows]

    # what corpus.lazy.LazyCorpus reads without parsing, here from the parsed documents
    def counts(self) -> tuple[int, int]:
        """(projects, indicator rows)."""
        projects = self.projects()
        return len(projects), sum(len(p.rows) for p in projects)

    def project(self, pid: int) -> Project:
        """The project at this position in corpus order (a heading's id)."""
        return self.projects()[pid]

    def headings(self) -> list[ProjectHeading]:
        return [ProjectHeading(id=i, name=p.name, unit=p.unit, year=p.year, goal_number=p.goal_number)
                for i, p in enumerate(self.projects())]

    def projects_of(self, owner: str) -> list[Project]:
        """The projects of one unit (or, for projects without one, one file): a table's siblings."""
        return [p for p in self.projects() if p.owner == owner]
