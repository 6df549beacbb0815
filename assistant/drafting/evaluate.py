"""Leave-one-unit-out evaluation of the drafting engine against two baselines.

For each unit, every project of that unit is drafted from its name, goal text and budget using
only the other units' documents, then compared with the real table. The output format is kept
stable so that figures can be compared over time.

Criteria (stated once, used everywhere):
* slot coverage: share of the six required slots filled — 数量, 质量, 时效, 成本, 服务对象满意度,
  and at least one 效益 二级;
* indicator recall: share of the real 三级指标 matched by a suggestion in the same 二级, where a
  match is rapidfuzz ratio ≥ 60 on the names, or the shorter name (≥ 3 characters) found in order
  in the longer one for ≥ 80% of its characters (居民满意度 ~ 社区居民对整体环境满意度), or cosine
  ≥ 0.96 of their name embeddings;
* value-form agreement: among matched real rows whose value parses cleanly, the share whose
  suggested value parses cleanly and has the same operator ('' and '=' count as the same) and
  unit family (a garbled suggestion such as "≥95100%" copied from a published table agrees
  with nothing); `value_form_where_stated` compares the operator only where the real value
  states one;
* cost sanity: share of drafts (of projects with a budget) whose cost values, totals converted to
  万元, never exceed the budget;
* time: median seconds to draft one project.
"""

from __future__ import annotations

import statistics
import time
from collections import Counter
from dataclasses import dataclass, field

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq

from corpus import categories as cat
from corpus.models import Corpus, Project
from corpus.values import parse_target_value, to_wan, unit_family

from .engine import draft
from .profile import make_profile

NAME_RATIO = 60
NAME_CONTAINED = 0.8
NAME_COSINE = 0.96
BENEFITS = {cat.ECONOMIC, cat.SOCIAL, cat.ECOLOGICAL, cat.SUSTAINABLE}
REQUIRED = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.SERVED_SATISFACTION]


@dataclass
class Suggestion:
    level2: str
    name: str
    value: str


@dataclass
class Scores:
    coverage: list[float] = field(default_factory=list)
    matched: int = 0
    real_rows: int = 0
    form_agree: int = 0
    form_agree_stated: int = 0  # operator compared only where the real value states one
    form_total: int = 0
    cost_ok: int = 0
    cost_total: int = 0
    seconds: list[float] = field(default_factory=list)

    def row(self) -> dict[str, float]:
        return {
            "slot_coverage": round(float(np.mean(self.coverage)), 3) if self.coverage else 0.0,
            "indicator_recall": round(self.matched / self.real_rows, 3) if self.real_rows else 0.0,
            "value_form_agreement": round(self.form_agree / self.form_total, 3) if self.form_total else 0.0,
            "value_form_where_stated": (round(self.form_agree_stated / self.form_total, 3)
                                        if self.form_total else 0.0),
            "cost_sanity": round(self.cost_ok / self.cost_total, 3) if self.cost_total else 0.0,
            "median_seconds": round(statistics.median(self.seconds), 4) if self.seconds else 0.0,
        }


def _sub_corpus(corpus: Corpus, keep) -> Corpus:
    docs = []
    for d in corpus.documents:
        projects = [p for p in d.projects if keep(p)]
        if projects:
            docs.append(d.model_copy(update={"projects": projects}))
    return Corpus(documents=docs)


def _op(op: str) -> str:
    return "=" if op in ("", "=") else op


class Evaluator:
    """Scores systems against real tables; name vectors come from the index's embedding cache."""

    def __init__(self):
        self.vectors: dict[str, np.ndarray] = {}

    def _vec(self, names: list[str], cache) -> None:
        todo = [n for n in set(names) if n not in self.vectors]
        if todo:
            for n, v in zip(todo, cache.encode(todo)):
                self.vectors[n] = v

    def same_indicator(self, a: str, b: str) -> bool:
        if fuzz.ratio(a, b) >= NAME_RATIO:
            return True
        shorter = min(len(a), len(b))
        if shorter >= 3 and LCSseq.similarity(a, b) >= NAME_CONTAINED * shorter:
            return True
        va, vb = self.vectors.get(a), self.vectors.get(b)
        return va is not None and vb is not None and float(va @ vb) >= NAME_COSINE

    def score(self, scores: Scores, real: Project, suggestions: list[Suggestion], seconds: float, cache) -> None:
        scores.seconds.append(seconds)
        filled = {s.level2 for s in suggestions if s.name}
        need = [l2 in filled for l2 in REQUIRED] + [bool(filled & BENEFITS)]
        scores.coverage.append(sum(need) / len(need))
        self._vec([s.name for s in suggestions] + [r.name for r in real.rows], cache)
        for r in real.rows:
            scores.real_rows += 1
            match = next((s for s in suggestions if s.level2 == r.level2.name and self.same_indicator(s.name, r.name)), None)
            if match is None:
                continue
            scores.matched += 1
            if not r.value.clean:
                continue
            got = parse_target_value(match.value)
            scores.form_total += 1
            if not got.clean:  # a broken suggestion ("≥95100%") has no form to agree with
                continue
            same_unit = unit_family(got.unit) == unit_family(r.value.unit)
            if _op(got.op) == _op(r.value.op) and same_unit:
                scores.form_agree += 1
            if (not r.value.op or _op(got.op) == _op(r.value.op)) and same_unit:
                scores.form_agree_stated += 1
        if real.budget.wan:
            scores.cost_total += 1
            scores.cost_ok += all(_within_budget(s.value, real.budget.wan) for s in suggestions if s.level2 == cat.COST)


def _within_budget(value: str, budget_wan: float) -> bool:
    v = parse_target_value(value)
    if v.number is None or "/" in v.unit or unit_family(v.unit) != "money":
        return True
    return to_wan(v.number, v.unit if v.unit != "万" else "万元") <= budget_wan + 1e-9


# -- baselines ------------------------------------------------------------------

def template_baseline(train: Corpus) -> list[Suggestion]:
    """(a) the same table for every project: the most frequent 三级指标 (and its most frequent
    value) of each required slot and 社会效益."""
    out = []
    for l2 in [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.SOCIAL, cat.SERVED_SATISFACTION]:
        rows = [r for _, r in train.rows() if r.level2.name == l2]
        if not rows:
            continue
        name = Counter(r.name for r in rows).most_common(1)[0][0]
        value = Counter(r.value.raw for r in rows if r.name == name).most_common(1)[0][0]
        out.append(Suggestion(l2, name, value))
    return out


class NearestProjectBaseline:
    """(b) lexical-only retrieval: copy the table of the single nearest project (character n-gram
    TF-IDF over name and goal text)."""

    def __init__(self, train: Corpus):
        from index.lexical import LexicalIndex

        self.projects = [p for p in train.projects() if p.rows]
        self.lexical = LexicalIndex([f"{p.name} {' '.join(p.goals)}" for p in self.projects])

    def __call__(self, name: str, goal: str) -> list[Suggestion]:
        best = self.projects[int(np.argmax(self.lexical.scores(f"{name} {goal}")))]
        return [Suggestion(r.level2.name, r.name, r.value.raw) for r in best.rows]


def evaluate(corpus: Corpus, embedder, progress=None) -> dict:
    """Run the three systems on every unit held out in turn; return the figures."""
    from index.store import Indexes

    evaluator = Evaluator()
    systems = {"engine": Scores(), "template": Scores(), "nearest_project": Scores()}
    units = sorted({p.unit for p in corpus.projects() if p.rows})
    n_projects = 0
    for unit in units:
        train = _sub_corpus(corpus, lambda p: p.unit != unit)
        test = [p for p in corpus.projects() if p.unit == unit and p.rows]
        if not train.documents or not test:
            continue
        idx = Indexes.build(train, embedder)
        template = template_baseline(train)
        nearest = NearestProjectBaseline(train)
        for p in test:
            goal = " ".join(p.goals)
            budget = f"{p.budget.wan}万元" if p.budget.wan else None
            t = time.perf_counter()
            d = draft(make_profile(p.name, goal, budget), idx)
            seconds = time.perf_counter() - t
            evaluator.score(systems["engine"], p, [Suggestion(r.level2, r.name, r.value) for r in d.rows],
                            seconds, idx.cache)
            t = time.perf_counter()
            evaluator.score(systems["template"], p, template, time.perf_counter() - t, idx.cache)
            t = time.perf_counter()
            rows = nearest(p.name, goal)
            evaluator.score(systems["nearest_project"], p, rows, time.perf_counter() - t, idx.cache)
            n_projects += 1
            if progress:
                progress(1)
    return {"units": len(units), "projects": n_projects, "model": embedder.name,
            "systems": {k: v.row() for k, v in systems.items()}}


def format_report(result: dict) -> str:
    cols = ["slot_coverage", "indicator_recall", "value_form_agreement", "value_form_where_stated", "cost_sanity",
            "median_seconds"]
    head = ["system", *cols]
    lines = [f"leave-one-unit-out: {result['units']} units, {result['projects']} projects, model {result['model']}",
             "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for name, row in result["systems"].items():
        lines.append("| " + " | ".join([name, *(f"{row[c]:.3f}" if c != "median_seconds" else f"{row[c]:.4f}"
                                                 for c in cols)]) + " |")
    return "\n".join(lines)
