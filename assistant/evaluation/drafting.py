"""Leave-one-unit-out evaluation of the drafting engine against two baselines.

For each unit, every project of that unit is drafted from its name, goal text and budget using
only the other units' documents, then compared with the real table. The output format is kept
stable so that figures can be compared over time.

Criteria (stated once, used everywhere):
* slot coverage: share of the six required slots filled — 数量, 质量, 时效, 成本, 服务对象满意度,
  and at least one 效益 二级;
* indicator recall: share of the real 三级指标 matched by a suggestion in the same 二级, where a
  lenient match is rapidfuzz ratio ≥ 60 on the names, or the shorter name (≥ 3 characters) found in
  order in the longer one for ≥ 80% of its characters (居民满意度 ~ 社区居民对整体环境满意度), or
  cosine ≥ 0.96 of their name embeddings; the STRICT match (the headline figures) also requires
  names with the same generic tail (满意度, 合格率, 完成率, 数量 …) to agree in subject (居民满意度 ≠
  游客满意度; a generic 服务对象 agrees with any) — assistant/relevance.py says how; in both modes two
  satisfaction rows of the same canonical party match however worded (单位工作人员满意度 = 干部职工满意度);
* precision: share of the suggested rows that match a real row (same rule); rows per draft;
* sound recall: recall over the real rows that the reviewer rules do not flag in their own table (the
  rows a reviewer would accept; a draft about the project is not meant to reproduce the rest);
* ceilings: `best_single_project` copies, for each real table, the one training project whose
  table matches it best (an oracle: chosen knowing the answer); `any_corpus_row` counts a real row
  as found when any training row matches it (recall only);
* defect rate: share of suggested rows that the reviewer rules (assistant/rules/reviewer.py) flag,
  judged against the real project's name, goal and budget; clean drafts: share with no such flag;
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
from corpus.models import Corpus, Project, TargetValue
from corpus.values import to_wan, unit_family

from assistant.relevance import same_party_satisfaction, strict_agree
from assistant.rules.reviewer import RULE_IDS

from assistant.drafting.engine import draft
from assistant.drafting.profile import make_profile

NAME_RATIO = 60
NAME_CONTAINED = 0.8
NAME_COSINE = 0.96
BENEFITS = {cat.ECONOMIC, cat.SOCIAL, cat.ECOLOGICAL, cat.SUSTAINABLE}
REQUIRED = [cat.QUANTITY, cat.QUALITY, cat.TIMELINESS, cat.COST, cat.SERVED_SATISFACTION]


@dataclass
class Suggestion:
    level2: str
    name: str
    value: TargetValue
    description: str = ""


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
    suggested: int = 0  # rows suggested
    suggested_matched: int = 0  # of which match a real row
    drafts: int = 0
    defects: int = 0  # suggested rows a reviewer rule flags
    clean_drafts: int = 0  # drafts with no reviewer flag
    sound_rows: int = 0  # real rows no reviewer rule flags in their own table
    sound_matched: int = 0  # of which matched

    def row(self) -> dict[str, float]:
        return {
            "slot_coverage": round(float(np.mean(self.coverage)), 3) if self.coverage else 0.0,
            "indicator_recall": round(self.matched / self.real_rows, 3) if self.real_rows else 0.0,
            "value_form_agreement": round(self.form_agree / self.form_total, 3) if self.form_total else 0.0,
            "value_form_where_stated": (round(self.form_agree_stated / self.form_total, 3)
                                        if self.form_total else 0.0),
            "cost_sanity": round(self.cost_ok / self.cost_total, 3) if self.cost_total else 0.0,
            "median_seconds": round(statistics.median(self.seconds), 4) if self.seconds else 0.0,
            "precision": round(self.suggested_matched / self.suggested, 3) if self.suggested else 0.0,
            "rows_per_draft": round(self.suggested / self.drafts, 1) if self.drafts else 0.0,
            "defect_rate": round(self.defects / self.suggested, 3) if self.suggested else 0.0,
            "clean_drafts": round(self.clean_drafts / self.drafts, 3) if self.drafts else 0.0,
            "sound_recall": round(self.sound_matched / self.sound_rows, 3) if self.sound_rows else 0.0,
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
    """Scores systems against real tables; name vectors come from the index's embedding cache.
    `strict` (the default) adds the subject rule to the lenient name match."""

    def __init__(self, strict: bool = True):
        self.vectors: dict[str, np.ndarray] = {}
        self.strict = strict
        # the real table's rows a reviewer rule flags, judged once per table (the table is kept with
        # its answer, so its id cannot be reused by another object while the entry lives)
        self.flagged: dict[int, tuple[Project, frozenset[int]]] = {}

    def flagged_rows(self, real: Project) -> frozenset[int]:
        if id(real) not in self.flagged:
            self.flagged[id(real)] = (real, flagged_rows(real))
        return self.flagged[id(real)][1]

    def _vec(self, names: list[str], cache) -> None:
        todo = [n for n in set(names) if n not in self.vectors]
        if todo:
            for n, v in zip(todo, cache.encode(todo)):
                self.vectors[n] = v

    def same_indicator(self, a: str, b: str) -> bool:
        if same_party_satisfaction(a, b):
            return True
        if self.strict and not strict_agree(a, b):
            return False
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
        scores.drafts += 1
        scores.suggested += len(suggestions)
        scores.suggested_matched += sum(
            1 for s in suggestions
            if any(s.level2 == r.level2.name and self.same_indicator(s.name, r.name) for r in real.rows))
        flagged = defects(real, suggestions)
        scores.defects += flagged
        scores.clean_drafts += flagged == 0
        unsound = self.flagged_rows(real)
        for i, r in enumerate(real.rows):
            scores.real_rows += 1
            scores.sound_rows += i not in unsound
            match = next((s for s in suggestions if s.level2 == r.level2.name and self.same_indicator(s.name, r.name)), None)
            if match is None:
                continue
            scores.matched += 1
            scores.sound_matched += i not in unsound
            if not r.value.clean:
                continue
            got = match.value
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


def as_project(real: Project, suggestions: list[Suggestion]) -> Project:
    """The suggestions as a table of the real project (its name, goal and budget)."""
    from corpus.models import Category, IndicatorRow, Provenance

    rows = [IndicatorRow(level1=Category(name=cat.parent_of(s.level2), raw=""), level2=Category(name=s.level2, raw=s.level2),
                         name=s.name, name_raw=s.name, description=s.description, value=s.value,
                         provenance=Provenance(source="评估", cell=f"第{i}行"))
            for i, s in enumerate(suggestions, 1)]
    return real.model_copy(update={"rows": rows})


def defects(real: Project, suggestions: list[Suggestion]) -> int:
    """Suggested rows that a reviewer rule flags (a table-level flag such as cost_sum counts once)."""
    from assistant.validator import validate

    if not suggestions:
        return 0
    found = [f for f in validate(as_project(real, suggestions)) if f.rule in RULE_IDS]
    return len({f.row_index for f in found if f.row_index is not None}) + sum(1 for f in found if f.row_index is None)


def flagged_rows(real: Project) -> frozenset[int]:
    """Indexes of the real table's rows that a reviewer rule flags."""
    from assistant.validator import validate

    return frozenset(f.row_index for f in validate(real) if f.rule in RULE_IDS and f.row_index is not None)


def _within_budget(v: TargetValue, budget_wan: float) -> bool:
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
        raw = Counter(r.value.raw for r in rows if r.name == name).most_common(1)[0][0]
        out.append(Suggestion(l2, name, next(r.value for r in rows if r.name == name and r.value.raw == raw)))
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
        return [Suggestion(r.level2.name, r.name, r.value, r.description) for r in best.rows]


def best_single_project(evaluator: Evaluator, real: Project, train: Corpus, cache) -> list[Suggestion]:
    """Ceiling: the one training table that matches the real one best (most matched real rows, then
    the fewest unmatched suggestions), chosen knowing the answer."""
    best, key = [], (-1, 0)
    for p in train.projects():
        if not p.rows:
            continue
        rows = [Suggestion(r.level2.name, r.name, r.value, r.description) for r in p.rows]
        evaluator._vec([s.name for s in rows] + [r.name for r in real.rows], cache)
        hit = sum(1 for r in real.rows
                  if any(s.level2 == r.level2.name and evaluator.same_indicator(s.name, r.name) for s in rows))
        k = (hit, -len(rows))
        if k > key:
            best, key = rows, k
    return best


def any_row_recall(evaluator: Evaluator, real: Project, train_rows: list[tuple[str, str]], cache) -> tuple[int, int]:
    """Ceiling: real rows that some training row (same 二级) matches."""
    evaluator._vec([n for _, n in train_rows] + [r.name for r in real.rows], cache)
    hit = sum(1 for r in real.rows
              if any(l2 == r.level2.name and evaluator.same_indicator(n, r.name) for l2, n in train_rows))
    return hit, len(real.rows)


def evaluate(corpus: Corpus, embedder, progress=None) -> dict:
    """Run the systems and the two ceilings on every unit held out in turn, under the strict and
    the lenient matching rule; return the figures."""
    from index.stores import build_index

    judges = {"strict": Evaluator(strict=True), "lenient": Evaluator(strict=False)}
    names = ["engine", "template", "nearest_project", "best_single_project"]
    systems = {mode: {k: Scores() for k in names} for mode in judges}
    any_row = {mode: [0, 0] for mode in judges}
    units = sorted({p.unit for p in corpus.projects() if p.rows})
    n_projects = 0
    for unit in units:
        train = _sub_corpus(corpus, lambda p: p.unit != unit)
        test = [p for p in corpus.projects() if p.unit == unit and p.rows]
        if not train.documents or not test:
            continue
        idx = build_index(train, embedder)  # in the configured store ($JIXIAO_STORE)
        template = template_baseline(train)
        nearest = NearestProjectBaseline(train)
        train_rows = [(r.level2.name, r.name) for _, r in train.rows() if r.name]
        for p in test:
            goal = " ".join(p.goals)
            budget = f"{p.budget.wan}万元" if p.budget.wan else None
            t = time.perf_counter()
            d = draft(make_profile(p.name, goal, budget), idx)
            seconds = time.perf_counter() - t
            outputs = {"engine": ([Suggestion(r.level2, r.name, r.value, r.description) for r in d.rows], seconds)}
            t = time.perf_counter()
            outputs["template"] = (template, time.perf_counter() - t)
            t = time.perf_counter()
            outputs["nearest_project"] = (nearest(p.name, goal), time.perf_counter() - t)
            for mode, judge in judges.items():
                outputs_mode = dict(outputs, best_single_project=(best_single_project(judge, p, train, idx.cache), 0.0))
                for name, (suggestions, secs) in outputs_mode.items():
                    judge.score(systems[mode][name], p, suggestions, secs, idx.cache)
                hit, total = any_row_recall(judge, p, train_rows, idx.cache)
                any_row[mode][0] += hit
                any_row[mode][1] += total
            n_projects += 1
            if progress:
                progress(1)
    return {"units": len(units), "projects": n_projects, "model": embedder.name,
            "systems": {k: v.row() for k, v in systems["strict"].items()},
            "lenient": {k: v.row() for k, v in systems["lenient"].items()},
            "any_corpus_row_recall": {m: round(h / t, 3) if t else 0.0 for m, (h, t) in any_row.items()}}


def format_report(result: dict) -> str:
    cols = ["indicator_recall", "precision", "sound_recall", "rows_per_draft", "defect_rate", "clean_drafts", "slot_coverage",
            "value_form_agreement", "value_form_where_stated", "cost_sanity", "median_seconds"]
    head = ["system", *cols]
    lines = [f"leave-one-unit-out: {result['units']} units, {result['projects']} projects, model {result['model']}"]
    for title, key in (("strict matching (names with the same tail must agree in subject)", "systems"),
                       ("lenient matching (for comparison only)", "lenient")):
        lines += ["", title, "| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
        for name, row in result[key].items():
            cells = [f"{row[c]:.4f}" if c == "median_seconds" else f"{row[c]:.1f}" if c == "rows_per_draft"
                     else f"{row[c]:.3f}" for c in cols]
            lines.append("| " + " | ".join([name, *cells]) + " |")
    any_row = result["any_corpus_row_recall"]
    lines += ["", f"ceiling any_corpus_row (recall if every training row were suggested): strict {any_row['strict']:.3f}, "
              f"lenient {any_row['lenient']:.3f}",
              "best_single_project is an oracle ceiling: the one training table that matches best, chosen knowing the answer.",
              "sound_recall: recall over the real rows that no reviewer rule flags in their own table."]
    return "\n".join(lines)
