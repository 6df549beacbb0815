"""Examples from the corpus: every indicator row with its project's facts and the problems the
validator finds in it; filters over them; and the split into good examples and flagged rows.

A good example is a row the validator raises no error or warning about, whose value parsed
cleanly to a number, and which has a description (绩效指标描述). A flagged row is one with at
least one error or warning. Hints neither spoil an example nor flag a row.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from corpus import categories
from corpus.models import Corpus, Project

from .drafting.taxonomy import OTHER, TYPES, classify
from .findings import SEVERITY_LABEL, Finding
from .relevance import clean, split_name
from .review import check_project
from .rules.base import SiblingIndex

ALL = "全部"  # what a filter is set to when it does not restrict
# projects whose rows the page checks (≈ 2,800 rows; each project is checked as the reviewer does, ≈ 25 ms);
# a larger corpus is sampled by whole units
EXAMPLE_PROJECTS_MAX = 200
FLAGGING = ("error", "warning")


class ExampleRow(BaseModel):
    level2: str  # 二级指标 (canonical)
    name: str  # 三级指标
    value: str  # 指标值 as published, line breaks removed
    description: str = ""
    basis: str = ""
    project: str = ""
    project_type: str = ""  # label of the project's type (taxonomy.classify)
    unit: str = ""
    region: str = ""
    year: int | None = None
    budget_wan: float | None = None
    where: str = ""
    problems: list[Finding] = Field(default_factory=list)  # the row's errors and warnings
    good: bool = False

    @property
    def flagged(self) -> bool:
        return bool(self.problems)


class ExampleFilter(BaseModel):
    """What the examples are narrowed to; ALL (or None for the budget) leaves a field open.
    A budget range that spans 0 … the largest budget also keeps rows whose budget is not given."""

    level2: str = ALL
    project_type: str = ALL
    region: str = ALL
    year: int | str = ALL
    budget: tuple[float, float] | None = None  # 万元, inclusive


class Choices(BaseModel):
    """The values the filters can take (regions, years and budgets: those of these rows)."""

    level2: list[str] = Field(default_factory=lambda: list(categories.LEVEL2))
    project_types: list[str] = Field(default_factory=lambda: [t.label for t in TYPES] + [OTHER.label])
    regions: list[str]
    years: list[int]
    budget_max: float  # 1.0 when no row has a budget


def example_projects(corpus: Corpus, limit: int | None = None) -> tuple[list[Project], int]:
    """The projects whose rows are shown, and how many the corpus holds: all of them up to `limit`; above
    it whole units (every project of a unit, so rows copied within a unit are still seen), spread evenly
    over the corpus, read by id (the corpus is not parsed whole)."""
    limit = EXAMPLE_PROJECTS_MAX if limit is None else limit
    headings = corpus.headings()
    if len(headings) <= limit:
        return corpus.projects(), len(headings)
    units: dict[str, list[int]] = {}
    for h in headings:
        units.setdefault(h.unit or f"#{h.id}", []).append(h.id)
    picked: list[int] = []
    for ids in list(units.values())[::max(1, round(len(headings) / limit))]:
        if len(picked) + len(ids) <= limit:  # a unit too large for what is left is passed over
            picked.extend(ids)
    return [corpus.project(i) for i in sorted(picked)], len(headings)


def example_rows(corpus: Corpus, index=None, projects: list[Project] | None = None) -> list[ExampleRow]:
    """Every row of `projects` (default: every project of the corpus), each project checked as the
    reviewer does: precedents from the corpus (through `index` when given), siblings among `projects`."""
    projects = corpus.projects() if projects is None else projects
    siblings = SiblingIndex(projects)
    out = []
    for p in projects:
        findings = check_project(p, corpus, siblings, index)
        ptype = classify(p.name, " ".join(p.goals))[0].label
        for i, r in enumerate(p.rows):
            own = [f for f in findings if f.row_index == i and f.severity in FLAGGING]
            out.append(ExampleRow(
                level2=r.level2.name, name=r.name, value=r.value.raw.replace("\n", ""), description=r.description,
                basis=r.basis, project=p.name, project_type=ptype, unit=p.unit, region=p.region, year=p.year,
                budget_wan=p.budget.wan, where=r.provenance.where(), problems=own,
                good=not own and r.value.clean and r.value.number is not None and bool(r.description)))
    return out


def choices(rows: list[ExampleRow]) -> Choices:
    budgets = [r.budget_wan for r in rows if r.budget_wan is not None]
    return Choices(regions=sorted({r.region for r in rows if r.region}),
                   years=sorted({r.year for r in rows if r.year is not None}),
                   budget_max=float(max(budgets)) if budgets else 1.0)


def filter_rows(rows: list[ExampleRow], f: ExampleFilter) -> list[ExampleRow]:
    """The rows that pass every filter, in their order."""
    top = choices(rows).budget_max
    whole_range = f.budget is None or tuple(f.budget) == (0.0, top)
    low, high = f.budget if f.budget is not None else (0.0, top)

    def passes(r: ExampleRow) -> bool:
        if r.budget_wan is None:
            in_budget = whole_range
        else:
            in_budget = low <= r.budget_wan <= high
        return ((f.level2 == ALL or r.level2 == f.level2)
                and (f.project_type == ALL or r.project_type == f.project_type)
                and (f.region == ALL or r.region == f.region)
                and (f.year == ALL or r.year == f.year)
                and in_budget)

    return [r for r in rows if passes(r)]


def split(rows: list[ExampleRow]) -> tuple[list[ExampleRow], list[ExampleRow]]:
    """(good examples, flagged rows); a row may be neither, never both."""
    return [r for r in rows if r.good], [r for r in rows if r.flagged]


# ---- pairs for a training session ------------------------------------------------------------

class ExamplePair(BaseModel):
    """A flagged row beside a good row of the same kind of indicator (same 二级, same measuring tail)."""

    kind: str  # e.g. "质量指标 · 合格率"
    good: ExampleRow
    flagged: ExampleRow

    @property
    def wrong(self) -> str:
        return "；".join(f"{SEVERITY_LABEL[f.severity]}：{f.message}" for f in self.flagged.problems)

    @property
    def fix(self) -> str:
        fixes = list(dict.fromkeys(f.fix for f in self.flagged.problems if f.fix))
        return "；".join(fixes) + f"。可参照：「{self.good.name}」{self.good.value}"


def _kind_of(r: ExampleRow) -> str:
    subject, tail = split_name(r.name)
    return f"{r.level2} · {tail or clean(r.name)}"


def pairs(rows: list[ExampleRow]) -> list[ExamplePair]:
    """For each flagged row, the good row of the same kind that is closest to it (same project type
    first, then the most similar name) and not written identically; flagged rows with no such good
    row are left out."""
    from rapidfuzz import fuzz

    good_by_kind: dict[str, list[ExampleRow]] = {}
    for r in rows:
        if r.good:
            good_by_kind.setdefault(_kind_of(r), []).append(r)
    out = []
    for r in rows:
        if not r.flagged:
            continue
        kind = _kind_of(r)
        # a good row written the same way teaches nothing beside it
        candidates = [g for g in good_by_kind.get(kind, []) if (g.name, g.value) != (r.name, r.value)]
        if candidates:
            best = max(candidates, key=lambda g: (g.project_type == r.project_type, fuzz.ratio(g.name, r.name)))
            out.append(ExamplePair(kind=kind, good=best, flagged=r))
    return out


_FIELD_LABEL = {"level2": "二级指标", "project_type": "项目类型", "region": "地区", "year": "年度", "budget": "预算范围"}


def widen(rows: list[ExampleRow], f: ExampleFilter) -> list[str]:
    """When a filter finds no pair, which single filter to open and how many pairs that gives."""
    hints = []
    for field, label in _FIELD_LABEL.items():
        if getattr(f, field) in (ALL, None):
            continue
        opened = f.model_copy(update={field: None if field == "budget" else ALL})
        n = len(pairs(filter_rows(rows, opened)))
        if n:
            hints.append((n, f"放宽「{label}」可得 {n} 组范例"))
    return [h for _, h in sorted(hints, reverse=True)]


def training_sheet(chosen: list[ExamplePair], title: str = "绩效指标培训材料：好范例与常见问题") -> bytes:
    """A .docx for a training session: for each pair, the flagged row, what is wrong, how to fix it,
    and the good row beside it. Every cell is plain text."""
    import io

    from docx import Document

    doc = Document()
    doc.add_heading(title, level=1)
    for i, p in enumerate(chosen, 1):
        doc.add_heading(f"{i}. {p.kind}", level=2)
        table = doc.add_table(rows=0, cols=2)
        table.style = "Table Grid"
        for label, text in (
                ("问题写法", f"「{p.flagged.name}」{p.flagged.value}（{p.flagged.unit} {p.flagged.year or ''}「{p.flagged.project}」）"),
                ("问题", p.wrong), ("改法", p.fix),
                ("好范例", f"「{p.good.name}」{p.good.value}：{p.good.description}（{p.good.unit} {p.good.year or ''}"
                          f"「{p.good.project}」）")):
            cells = table.add_row().cells
            cells[0].text, cells[1].text = label, text
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
