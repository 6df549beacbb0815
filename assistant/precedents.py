"""Precedents for the rows of a table: comparable rows of OTHER units, found through the search index.

One source for everything that shows or uses precedents: the validator (起草 page, chat's 校验,
审核, `jixiao check`), the 审核 page's per-row table, and the drafting engine's evidence for each
standard row (with the user's own unit kept and raised, see `row_precedents`).

For each row of the project under review (a row without a canonical 二级 has none):
1. the index is searched for the row's 三级 name, filtered to the row's 二级
   (`search_rows(name, k=SEARCH_DEPTH, filters=Filters(level2=…))`);
2. rows of the project's own unit are dropped (unit, or source file when the unit is unknown);
3. only comparable rows stay: rules.matching's test (same 二级, name similarity ≥ NAME_THRESHOLD,
   same rate word), the test the precedent rules themselves apply;
4. they are ranked by name similarity, plus the bonuses comparable projects get
   (drafting.comparables: same project type, budget close on a log scale), and at most `per_row`
   are kept.

`row_precedents` returns typed records (project, unit, year, source, place, scores);
`precedents_for` maps them back to the corpus's (Project, IndicatorRow) pairs the validator reads;
`precedent_pairs` is what callers use: the index when there is one, else the corpus scan
(validator.precedents_from_corpus), else nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from corpus.models import Corpus, IndicatorRow, Project
from index.protocol import Index
from index.records import Filters, RowRecord

from .drafting.comparables import BUDGET_BONUS, TYPE_BONUS, budget_closeness
from .drafting.taxonomy import classify
from .rules.matching import comparable_to, name_similarity
from .validator import precedents_from_corpus

# On the bundled corpus 100 / 40 find every comparable row the full scan finds (60 / 24: 95%), so the
# precedent rules give the same findings; on a large corpus a row keeps its 40 best-ranked precedents
# rather than every comparable row (python -m assistant.evaluation.precedent_bench).
SEARCH_DEPTH = 100  # rows asked of the index per row (own unit's and non-comparable ones are dropped after)
PER_ROW = 40  # comparable rows kept per row

Pair = tuple[Project, IndicatorRow]


@dataclass(frozen=True)
class RowPrecedent:
    """A comparable row of another unit, as the index holds it, with why it ranks where it does."""

    record: RowRecord
    similarity: float  # name similarity, 0–100 (rules.matching.name_similarity)
    vector_score: float  # cosine similarity of the texts (0 when the index gave none)
    same_type: bool  # the two projects are of the same (known) type
    budget_closeness: float | None  # 1 at equal budgets … 0 at a factor of 100; None when unknown
    score: float  # what they are ranked by

    @property
    def unit(self) -> str:
        return self.record.unit

    @property
    def year(self) -> int | None:
        return self.record.year

    @property
    def project(self) -> str:
        return self.record.project

    @property
    def source(self) -> str:
        return self.record.source

    @property
    def where(self) -> str:
        return self.record.where


def owner(unit: str, source: str) -> str:
    """Whose table a record comes from: the unit, or the file when the unit is unknown (as Project.owner)."""
    return unit or source


@lru_cache(maxsize=4096)
def _type_key(name: str, goals: str = "") -> str:
    return classify(name, goals)[0].key


def row_precedents(project: Project, row: IndicatorRow, index: Index, corpus: Corpus | None = None, *,
                   per_row: int = PER_ROW, depth: int = SEARCH_DEPTH, own_unit: float = 0.0) -> list[RowPrecedent]:
    """The comparable rows of other units for one row of `project`, best first. With a corpus the
    candidates' project types are read from their goals as well as their names. `own_unit` > 0 keeps
    the project's own unit's rows too, their score raised by that much (drafting: a unit's own
    earlier tables set its names and forms; a reviewer wants other units only, the default)."""
    level2 = row.level2.name
    if not level2 or not row.name.strip():
        return []
    hits = index.search_rows(row.name, k=depth, filters=Filters(level2=level2))
    own = owner(project.unit, project.source)
    mine = _type_key(project.name, " ".join(project.goals))
    lookup = _lookup(corpus) if corpus is not None else None
    out: list[RowPrecedent] = []
    for h in hits:
        rec: RowRecord = h.record  # type: ignore[assignment]
        mine_too = owner(rec.unit, rec.source) == own or (project.unit and rec.unit and (
            rec.unit in project.unit or project.unit in rec.unit))
        if (mine_too and not own_unit) or not comparable_to(row, rec.level2, rec.name):
            continue
        heading = _heading(lookup, _key(rec)) if lookup is not None else None
        theirs = _type_key(*heading) if heading else _type_key(rec.project)
        same = mine == theirs and mine != "other"
        close = budget_closeness(project.budget.wan, rec.budget_wan)
        sim = name_similarity(row.name, rec.name)
        score = sim / 100 + TYPE_BONUS * same + BUDGET_BONUS * (close or 0.0) + own_unit * bool(mine_too)
        out.append(RowPrecedent(record=rec, similarity=sim, vector_score=h.vector_score or 0.0,
                                same_type=same, budget_closeness=close, score=round(score, 4)))
    out.sort(key=lambda p: -p.score)  # stable: the index's order among equals
    return out[:per_row]


def precedents_for(project: Project, index: Index, corpus: Corpus, *, per_row: int = PER_ROW) -> list[Pair]:
    """The validator's precedents: for every row, its comparable rows of other units as the corpus's
    (Project, IndicatorRow), each once, row by row in rank order. Records the corpus does not hold
    (an index out of step with it) are skipped."""
    lookup = _lookup(corpus)
    picked: list[Pair] = []
    taken: set[int] = set()
    index.prime_queries([row.name for row in project.rows])  # the table's names in one model call
    for row in project.rows:
        for p in row_precedents(project, row, index, corpus, per_row=per_row):
            pair = lookup.get(_key(p.record))
            if pair is not None and p.record.id not in taken:
                taken.add(p.record.id)
                picked.append(pair)
    return picked


def precedent_pairs(project: Project, corpus: Corpus | None, index: Index | None = None) -> list[Pair]:
    """Precedents for the validator from the best source at hand: the index (with the corpus to map
    its records back), else a scan of the corpus, else none."""
    if corpus is None:
        return []
    if index is not None:
        return precedents_for(project, index, corpus)
    return precedents_from_corpus(project, corpus)


# ---- index records ↔ corpus rows ---------------------------------------------------------

def _key(rec: RowRecord) -> tuple[str, str, str]:
    return rec.source, rec.where, rec.name


_LOOKUPS: dict[int, tuple[Corpus, int, dict[tuple[str, str, str], Pair]]] = {}


def _heading(lookup, key: tuple[str, str, str]) -> tuple[str, str] | None:
    """(name, goals) of the project holding a record's row: read alone from a lazy corpus."""
    if hasattr(lookup, "heading"):
        return lookup.heading(key)
    pair = lookup.get(key)
    return (pair[0].name, " ".join(pair[0].goals)) if pair else None


def _lookup(corpus: Corpus) -> dict[tuple[str, str, str], Pair]:
    """(source, place, 三级) → the corpus's (Project, IndicatorRow), as index.records.corpus_records
    wrote them; built once per corpus (and again when it gained documents)."""
    from corpus.lazy import LazyCorpus, PairLookup

    if isinstance(corpus, LazyCorpus) and "_full" not in corpus.__dict__:
        return PairLookup(corpus)  # type: ignore[return-value]  # read by key, nothing parsed whole
    held = _LOOKUPS.get(id(corpus))
    if held is not None and held[0] is corpus and held[1] == len(corpus.documents):
        return held[2]  # (documents are added to a corpus, never changed in place)
    table = {(p.source, r.provenance.where(), r.name): (p, r) for p, r in corpus.rows()}
    if len(_LOOKUPS) >= 4:  # a process sees one corpus at a time, a test run a few
        _LOOKUPS.pop(next(iter(_LOOKUPS)))
    _LOOKUPS[id(corpus)] = (corpus, len(corpus.documents), table)
    return table


def stored_index(corpus: Corpus) -> Index | None:
    """The saved index of this corpus when it is current (loaded, never built or extended); None
    when there is none, it cannot be read or it is out of date, and the caller scans the corpus."""
    from index.embedders import get_embedder
    from index.settings import fusion_mode, model_spec
    from index.store import Indexes, corpus_digests, index_dir
    from index.stores import store_setting, stored_milvus

    try:
        setting = store_setting()
        if setting.kind == "milvus":  # the served store: the same rules, read from Milvus
            return stored_milvus(corpus, get_embedder(model_spec()), setting)
    except (ValueError, RuntimeError) as exc:
        from corpus.store import notice

        notice(f"检索索引不可用（{exc}），本次逐行比对语料；`jixiao index build` 可重建索引。")
        return None
    if not (index_dir() / "manifest.json").exists():
        return None
    try:
        idx = Indexes.load(get_embedder(model_spec()))
    except (ValueError, OSError) as exc:
        from corpus.store import notice

        notice(f"检索索引不可用（{exc}），本次逐行比对语料；`jixiao index build` 可重建索引。")
        return None
    except ImportError:
        return None
    if idx.manifest.documents != corpus_digests(corpus):
        return None
    idx.fusion = idx.rows.fusion = idx.projects.fusion = fusion_mode()  # as open_indexes does
    return idx
