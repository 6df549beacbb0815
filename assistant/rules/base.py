"""The rule registry and the context every check reads (project, precedents, siblings)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from corpus.models import IndicatorRow, Project, TargetValue
from corpus.values import unit_family

from ..findings import Evidence, Finding, Severity, row_label


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    title: str  # one-line Chinese description, shown in reports


REGISTRY: dict[str, Rule] = {}


def define(rule_id: str, severity: Severity, title: str) -> Rule:
    """Declare a rule once, at import time of its module; ids must be unique."""
    if rule_id in REGISTRY:
        raise ValueError(f"duplicate rule id {rule_id}")
    rule = REGISTRY[rule_id] = Rule(rule_id, severity, title)
    return rule


Pair = tuple[Project, IndicatorRow]


def evidence_of(pairs: Iterable[Pair], limit: int = 8) -> list[Evidence]:
    """Precedent rows as evidence, at most one per (project, value) so boilerplate does not crowd it."""
    out: list[Evidence] = []
    seen: set[tuple[str, str, str]] = set()
    for p, r in pairs:
        key = (p.owner, p.name, r.value.raw)
        if key in seen:
            continue
        seen.add(key)
        out.append(Evidence(value=r.value.raw.strip(), row_name=r.name, project=p.name,
                            unit=p.unit, where=r.provenance.where()))
        if len(out) >= limit:
            break
    return out


def describe(ev: Evidence) -> str:
    """'≥90%（北辰街道办事处「居民满意度」，项目：…）' for messages and fixes."""
    who = ev.unit or ev.where
    return f"{ev.value}（{who}「{ev.row_name}」，项目：{ev.project}）"


class SiblingIndex:
    """The rows of a set of projects by key, built once per document or batch, so that each
    project's copied-row checks look up its own rows instead of scanning every sibling
    (validation stays linear in the number of projects)."""

    def __init__(self, projects: Iterable[Project]):
        self.by_owner: dict[str, list[Project]] = {}
        self._maps: dict[str, dict] = {}
        self._projects = list(projects)
        for p in self._projects:
            self.by_owner.setdefault(p.owner, []).append(p)

    def siblings_of(self, project: Project) -> list[Project]:
        """The other projects of the same unit (same 单位, or same file when the unit is unknown)."""
        return [p for p in self.by_owner.get(project.owner, []) if p is not project]

    def copies(self, name: str, key, project: Project, row: IndicatorRow, limit: int = 5):
        """(number of other-named projects of `project`'s unit holding a row with the same key,
        the first `limit` of those (project, row) pairs)."""
        k = key(row)
        if k is None:
            return 0, []
        entries, names = self.rows_by(name, key).get((project.owner, k), ([], {}))
        count = len(entries) - names.get(project.name, 0)
        first = []
        for s, r in entries:
            if len(first) >= limit:
                break
            if s.name != project.name:
                first.append((s, r))
        return count, first

    def rows_by(self, name: str, key) -> dict:
        """(owner, key(row)) → ([(project, row)], {project name: count}), each project once per
        key; built on first use."""
        if name not in self._maps:
            index: dict = {}
            for p in self._projects:
                seen = set()
                owner = p.owner
                for r in p.rows:
                    k = key(r)
                    if k is not None and k not in seen:
                        seen.add(k)
                        entries, names = index.setdefault((owner, k), ([], {}))
                        entries.append((p, r))
                        names[p.name] = names.get(p.name, 0) + 1
            self._maps[name] = index
        return self._maps[name]


@dataclass
class Context:
    project: Project
    precedents: list[Pair] = field(default_factory=list)
    siblings: list[Project] = field(default_factory=list)
    sibling_index: SiblingIndex | None = None
    _comparable: dict[int, list[Pair]] = field(default_factory=dict)

    def comparable(self, index: int) -> list[Pair]:
        """Precedents comparable with row `index` (same 二级, similar name), computed once."""
        if index not in self._comparable:
            from .matching import comparable_rows

            self._comparable[index] = comparable_rows(self.project.rows[index], self.precedents)
        return self._comparable[index]

    def row(self, rule: Rule, index: int, text: str, fix: str = "",
            evidence: Iterable[Evidence] = ()) -> Finding:
        r = self.project.rows[index]
        where = r.provenance.where()
        return Finding(rule=rule.id, severity=rule.severity, message=f"{row_prefix(index, r)}{text}",
                       fix=fix, row_index=index, row_name=r.name, where=where,
                       project=self.project.name, source=self.project.source, evidence=list(evidence))

    def table(self, rule: Rule, text: str, fix: str = "", evidence: Iterable[Evidence] = ()) -> Finding:
        where = self.project.provenance.where()
        return Finding(rule=rule.id, severity=rule.severity,
                       message=f"项目「{self.project.name}」（{where}）：{text}", fix=fix,
                       where=where, project=self.project.name, source=self.project.source,
                       evidence=list(evidence))


def row_prefix(index: int, row: IndicatorRow) -> str:
    """How a row-level message starts: '第3行（工作表「绩效目标表」第9行）「居民满意度」：'."""
    return f"{row_label(index, row.provenance)}「{row.name}」："


def credible(value: TargetValue) -> bool:
    """A precedent value worth suggesting: read cleanly, a number, a percentage within reach."""
    if not value.clean or value.number is None or not value.unit:
        return False
    if unit_family(value.unit) == "percent":
        return 0 <= value.number <= 100 and not (value.number == 100 and value.op in ("≥", ">"))
    return True


def with_precedents(ctx: Context, index: int, default: str, families: tuple[str, ...] = ()) -> str:
    """Advice for row `index`, plus what comparable tables of other units wrote for it
    (only credible values, and only of the unit families the rule asks for when given)."""
    numeric = [(p, r) for p, r in ctx.comparable(index)
               if credible(r.value) and (not families or unit_family(r.value.unit) in families)]
    if not numeric:
        return default
    shown = "；".join(describe(e) for e in evidence_of(numeric, limit=3))
    return f"{default}。同类指标先例：{shown}"
