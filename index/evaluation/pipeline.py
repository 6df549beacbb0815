"""The shipped search path on the paraphrase set: `python -m index.evaluation.pipeline`.

index/evaluation/embedders.py compares models and scorers on whole score matrices; this runs the
product's own HybridIndex (ANN candidates + lexical candidates, then fusion) so the figures
describe what users get. Each query must rank its one paraphrase first among the pool."""

from __future__ import annotations

import argparse
import time

import numpy as np

from ..cache import EmbeddingCache
from ..embedders import get_embedder
from ..hybrid import HybridIndex
from ..records import RowRecord
from ..settings import model_spec
from ..store import cache_dir
from .embedders import load_tasks


def run(model: str | None = None) -> list[tuple[str, float, float, float]]:
    embedder = get_embedder(model_spec(model))
    cache = EmbeddingCache(cache_dir(), embedder)
    results = []
    for fusion, alpha, label in (("blend", 0.9, "blend 0.9 (default)"), ("rrf", 0.0, "rrf"),
                                 ("blend", 1.0, "vector only"), ("blend", 0.0, "lexical only")):
        found1 = found5 = total = 0
        times = []
        for task in load_tasks():
            hx = HybridIndex("rows", embedder.dim, fusion=fusion, alpha=alpha)
            hx.add([RowRecord(id=i, source="eval", where=str(i), name=t) for i, t in enumerate(task.pool)], cache)
            qv = embedder.encode_query(task.queries)
            for q, v, gold in zip(task.queries, qv, task.gold):
                t = time.perf_counter()
                hits = hx.search(q, k=5, query_vector=v)
                times.append((time.perf_counter() - t) * 1000)
                ids = [h.record.id for h in hits]
                found1 += ids[:1] == [int(gold)]
                found5 += int(gold) in ids
                total += 1
        results.append((label, found1 / total, found5 / total, float(np.median(times))))
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model")
    args = ap.parse_args(argv)
    print("| fusion | recall@1 | recall@5 | median ms/query |\n|---|---|---|---|")
    for label, r1, r5, ms in run(args.model):
        print(f"| {label} | {r1:.3f} | {r5:.3f} | {ms:.2f} |")
    print("(both directions pooled: query → paraphrase and paraphrase → query, 102 searches)")


if __name__ == "__main__":
    main()
