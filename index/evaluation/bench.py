"""Scale benchmark (not a test): `python -m index.evaluation.bench [--sizes 10000 100000 1000000]`.

For each size it generates a synthetic corpus by recombining the real rows of the bundled
documents (other units, years, budgets; a share of new names made by splicing two real names)
and prints:
  * text side: distinct texts, embedding throughput, cache hit rate, full build time of the
    hybrid row index (embeddings + FAISS + lexical), and query latency of a full hybrid search;
  * vector side, worst case where every row is distinct: FAISS exact vs approximate (HNSW, IVF)
    build time, size on disk, query p50/p95 and approximate recall@10 against exact;
  * peak memory (process RSS) and memory per row.
Embedding is real (the configured model) up to --embed-cap new texts; beyond that, vectors are
synthesised from real ones so that a 1M-row run does not spend hours in the model. This is said
in the output wherever it applies.
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from pathlib import Path

import numpy as np


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_rows(real, n: int, novelty: float, rng: np.random.Generator):
    """n RowRecords recombined from real ones; `novelty` of them get a spliced new name."""
    from index.records import RowRecord

    units = sorted({r.unit for r in real}) or ["某街道办事处"]
    out = []
    for i in range(n):
        base = real[int(rng.integers(len(real)))]
        name = base.name
        if rng.random() < novelty:
            other = real[int(rng.integers(len(real)))].name
            cut_a, cut_b = max(1, len(name) // 2), max(1, len(other) // 2)
            name = name[:cut_a] + other[cut_b:]
        out.append(RowRecord(
            id=i, source=f"synthetic-{i // 5000:04d}.xlsx", where=f"第{i % 5000 + 1}行",
            unit=f"{units[int(rng.integers(len(units)))]}{int(rng.integers(200))}", region=base.region,
            year=int(rng.integers(2019, 2026)), project=base.project, project_id=i // 8, kind=base.kind,
            budget_wan=float(np.round(rng.lognormal(2.5, 1.5), 2)), level1=base.level1, level2=base.level2,
            name=name, description=base.description if rng.random() < 0.7 else "", value_raw=base.value_raw,
            op=base.op, number=base.number, value_unit=base.value_unit, basis=base.basis))
    return out


class CappedEmbedder:
    """The real model for the first `cap` texts; afterwards deterministic mixtures of real vectors."""

    def __init__(self, inner, cap: int, pool: np.ndarray, rng: np.random.Generator):
        self.inner, self.cap, self.pool, self.rng = inner, cap, pool, rng
        self.name, self.dim = inner.name, inner.dim
        self.real = self.synthetic = 0
        self.real_seconds = 0.0

    def encode(self, texts, batch_size=64):
        room = max(0, self.cap - self.real)
        head, tail = list(texts[:room]), list(texts[room:])
        parts = []
        if head:
            t = time.perf_counter()
            parts.append(self.inner.encode(head, batch_size))
            self.real_seconds += time.perf_counter() - t
            self.real += len(head)
        if tail:
            parts.append(mix(self.pool, len(tail), self.rng))
            self.synthetic += len(tail)
        return np.concatenate(parts) if parts else np.zeros((0, self.dim), np.float32)

    def encode_query(self, texts, batch_size=64):
        return self.inner.encode_query(texts, batch_size)


def mix(pool: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct unit vectors near the real ones (two real vectors blended, plus noise)."""
    a = pool[rng.integers(len(pool), size=n)]
    b = pool[rng.integers(len(pool), size=n)]
    v = a + rng.uniform(0.2, 0.8, size=(n, 1)).astype(np.float32) * b
    v += rng.normal(0, 0.02, size=v.shape).astype(np.float32)
    v /= np.linalg.norm(v, axis=1, keepdims=True)
    return v.astype(np.float32)


def latency(fn, queries) -> tuple[float, float]:
    times = []
    for q in queries:
        t = time.perf_counter()
        fn(q)
        times.append((time.perf_counter() - t) * 1000)
    return float(np.percentile(times, 50)), float(np.percentile(times, 95))


def text_side(real, n, args, embedder, warm, pool, rng, queries):
    from index.cache import EmbeddingCache
    from index.hybrid import HybridIndex

    rows = synthetic_rows(real, n, args.novelty, rng)
    capped = CappedEmbedder(embedder, args.embed_cap, pool, rng)
    cache = EmbeddingCache(None, capped)
    cache.memory.update(warm.memory)  # the real corpus is already embedded, as after a first build
    t = time.perf_counter()
    hx = HybridIndex("rows", embedder.dim)
    hx.add(rows, cache)
    build_s = time.perf_counter() - t
    throughput = capped.real / capped.real_seconds if capped.real_seconds else float("nan")
    qv = embedder.encode_query(queries)
    p50, p95 = latency(lambda i: hx.search(queries[i], k=10, query_vector=qv[i]), range(len(queries)))
    print(f"  text side: {n:,} rows, {hx.backend.ntotal:,} distinct texts "
          f"({hx.backend.ntotal / n:.1%}), cache hit rate {cache.hit_rate():.1%}")
    print(f"    embedded by the model: {capped.real:,} texts at {throughput:,.0f} texts/s; "
          f"synthesised beyond --embed-cap: {capped.synthetic:,}")
    est = (capped.real + capped.synthetic) / throughput if capped.real_seconds else float("nan")
    print(f"    hybrid index build {build_s:,.1f} s (model time if every new text were embedded: "
          f"{est / 60:,.1f} min); backend {hx.backend.kind}")
    print(f"    hybrid query (vector + lexical + fusion, k=10): p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    from index.records import Filters

    slots = sorted({r.level2 for r in real if r.level2})
    hx.search(queries[0], k=10, query_vector=qv[0], filters=Filters(level2=slots[0]))  # builds the columns once
    p50, p95 = latency(lambda i: hx.search(queries[i], k=10, query_vector=qv[i],
                                           filters=Filters(level2=slots[i % len(slots)], budget_max=50)),
                       range(len(queries)))
    print(f"    filtered hybrid query (二级 + budget ≤ 50万元): p50 {p50:.1f} ms, p95 {p95:.1f} ms")


def vector_side(n, args, pool, rng, queries_v):
    import faiss

    from index.vectors import FlatBackend, HNSWBackend, IVFBackend

    vecs = mix(pool, n, rng)
    results = {}
    exact_ids = None
    for kind in ["flat"] + [b for b in args.backends if b != "flat"]:
        backend = {"flat": FlatBackend, "hnsw": HNSWBackend, "ivf": IVFBackend}[kind](vecs.shape[1])
        t = time.perf_counter()
        backend.add(vecs)
        build_s = time.perf_counter() - t
        with tempfile.TemporaryDirectory() as tmp:
            backend.save(Path(tmp) / "x.faiss")
            size_mb = os.path.getsize(Path(tmp) / "x.faiss") / 2**20
        p50, p95 = latency(lambda q: backend.search(q[None, :], 10), queries_v)
        _, ids = backend.search(queries_v, 10)
        if kind == "flat":
            exact_ids = ids
            recall = 1.0
        else:
            recall = float(np.mean([len(set(a) & set(b)) / 10 for a, b in zip(ids, exact_ids)]))
        results[kind] = (build_s, size_mb, p50, p95, recall)
        print(f"    {kind:<5} build {build_s:8.1f} s  disk {size_mb:8.1f} MB  query p50 {p50:7.2f} ms  "
              f"p95 {p95:7.2f} ms  recall@10 vs exact {recall:.3f}")
        backend = None  # free it before the next kind is built
    faiss.omp_set_num_threads(faiss.omp_get_max_threads())
    return results


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--backends", nargs="+", default=["flat", "hnsw", "ivf"])
    ap.add_argument("--novelty", type=float, default=0.02, help="share of rows with a new, never-seen name")
    ap.add_argument("--embed-cap", type=int, default=2000, help="new texts embedded by the real model per size")
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--model", default=None)
    ap.add_argument("--skip-text", action="store_true")
    args = ap.parse_args(argv)

    from corpus.build import build
    from index.embedders import get_embedder
    from index.cache import EmbeddingCache
    from index.records import corpus_records
    from index.settings import model_spec
    from index.store import cache_dir

    rng = np.random.default_rng(7)
    embedder = get_embedder(model_spec(args.model))
    real, _ = corpus_records(build())
    names = sorted({r.name for r in real})
    warm = EmbeddingCache(cache_dir(), embedder)  # the tool's own cache: reruns embed nothing
    pool = warm.encode(names)
    warm.encode(sorted({t for r in real for t in r.embed_fields() if t}))
    queries = [names[int(i)] for i in rng.integers(len(names), size=args.queries)]
    queries_v = embedder.encode_query(queries)
    print(f"model {embedder.name} ({embedder.dim} dims), {os.cpu_count()} cores; real rows {len(real)}, "
          f"distinct real names {len(names)}; {args.queries} queries")
    for n in args.sizes:
        start_rss = rss_mb()
        print(f"\n== {n:,} rows")
        if not args.skip_text:
            text_side(real, n, args, embedder, warm, pool, rng, queries)
        print(f"  vector side, every row distinct ({n:,} vectors synthesised from real embeddings):")
        vector_side(n, args, pool, rng, queries_v)
        peak = rss_mb()
        print(f"  peak RSS so far {peak:,.0f} MB (this size added ≈ {max(0.0, peak - start_rss):,.0f} MB, "
              f"≈ {max(0.0, peak - start_rss) * 2**20 / n:,.0f} bytes per row)")


if __name__ == "__main__":
    main()
