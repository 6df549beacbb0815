"""The whole local path at scale (not a test): `python -m assistant.evaluation.scale_bench [--sizes 10000 100000]`.

For each size a synthetic corpus is made by copying the bundled projects to other units, years and
budgets (2% of rows get a new name spliced from two real ones), saved as corpus.json, and then, each
size in a fresh process so that its peak memory is its own:
  * corpus load: corpus.json read back whole into the pydantic models (what `load_or_build` does; a
    command pays it only when the corpus file changed), then its SQLite companion written (once);
  * corpus open: what every command pays instead, `open_lazy` (nothing parsed whole);
  * index build: `Indexes.build` (records, FAISS, lexical, the per-slot aggregate) with cached
    embeddings — the bundled texts' real vectors, new spliced texts get vectors mixed from real ones
    (the model's time is not what is measured here; see index.evaluation.bench for throughput) —
    and saved; the measures below read records from the saved store, as the app does;
  * draft p50: `draft()` in-process for distinct descriptions (queries encoded by the real model);
  * validation: the reviewer's check of one draft with precedents through the index (`check_project`);
  * filtered search p50: `search_rows` with 二级 + budget ≤ 50万元 filters;
  * CLI warm draft: `python -m assistant.cli draft …` in a fresh process on the saved data folder
    (index current), median wall time of 3, and that process's peak RSS (the app's memory; milvus-lite
    runs inside it, so for `milvus` this includes the embedded database — with a served Milvus that
    part is on the server);
  * peak RSS of the benchmark process (corpus generation and index build included).
Stores (`--stores`): `local` (index/store.py: FAISS, records in SQLite read by id) and `milvus`
(index/milvus_store.py on an embedded milvus-lite database file), each size and store in a fresh process.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

PROFILES = [
    ("社区老年人助餐服务", "为12个社区600名老人提供助餐", "45万元"),
    ("街道综合执法队执法车辆租赁", "租赁3辆车", "18万元"),
    ("辖区河道保洁及垃圾清运", "保洁河道长度12公里", "86.5万元"),
    ("农村人居环境整治", "覆盖15个行政村", "200万元"),
    ("社区文化活动中心运营", "全年开展文化活动40场", "30万元"),
    ("城市道路绿化养护", "养护绿地面积5万平方米", "120万元"),
    ("社区网格化管理服务", "配备网格员50名", "60万元"),
    ("老旧小区改造", "改造6个小区", "500万元"),
    ("辖区公共厕所保洁", "保洁公厕20座", "25万元"),
]
WARMUP = ("街道办公设备购置", "购置电脑10台", "8万元")


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class CachedEmbedder:
    """The real model's vectors for every text of the bundled corpus (from the embedding cache);
    texts it never saw get deterministic mixtures of real vectors; queries go to the real model."""

    @classmethod
    def of(cls, real, inner) -> "CachedEmbedder":
        """Over the real vectors of every text of the corpus `real`, read from the embedding cache
        (the bundled texts ship with the package: no model pass)."""
        from index.cache import EmbeddingCache
        from index.records import corpus_records
        from index.store import cache_dir

        rows, projects = corpus_records(real)
        texts = sorted({t for r in rows + projects for t in r.embed_fields() if t})
        return cls(inner, dict(zip(texts, EmbeddingCache(cache_dir(), inner).encode(texts))))

    def __init__(self, inner, known: dict[str, np.ndarray]):
        self.inner, self.known = inner, known
        # the real model's name, so the CLI opens the index as current; its cache is a private folder
        self.name, self.dim = inner.name, inner.dim
        self.pool = np.stack(list(known.values()))

    def encode(self, texts, batch_size=64):
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, t in enumerate(texts):
            v = self.known.get(t)
            if v is None:
                seed = int.from_bytes(t.encode("utf-8")[:8].ljust(8, b"\0"), "little") ^ len(t)
                rng = np.random.default_rng(seed)
                a, b = self.pool[rng.integers(len(self.pool), size=2)]
                v = a + rng.uniform(0.2, 0.8) * b
                v = v / np.linalg.norm(v)
            out[i] = v
        return out

    def encode_query(self, texts, batch_size=64):
        return self.inner.encode_query(texts, batch_size)


def synthetic_corpus(real, n_rows: int, novelty: float, rng: np.random.Generator):
    """Copies of the bundled projects, each under another unit, year and budget, 200 projects a document."""
    from corpus.models import Corpus, DocumentResult, Money

    projects = [p for p in real.projects() if p.rows]
    names = [r.name for p in projects for r in p.rows if r.name]
    docs, current, count, i = [], [], 0, 0
    while count < n_rows:
        base = projects[int(rng.integers(len(projects)))]
        source = f"synthetic-{len(docs):05d}.xlsx"
        rows = []
        for r in base.rows:
            if r.name and rng.random() < novelty:
                other = names[int(rng.integers(len(names)))]
                r = r.model_copy(update={"name": r.name[:max(1, len(r.name) // 2)] + other[len(other) // 2:]})
            rows.append(r)
        wan = float(np.round(rng.lognormal(2.5, 1.5), 2))
        current.append(base.model_copy(update={
            "source": source, "unit": f"{base.unit or '某街道办事处'}{int(rng.integers(300))}",
            "year": int(rng.integers(2019, 2026)), "budget": Money(raw=f"{wan}万元", wan=wan), "rows": rows}))
        count += len(rows)
        i += 1
        if len(current) == 200:
            docs.append(DocumentResult(source=source, projects=current))
            current = []
    if current:
        docs.append(DocumentResult(source=f"synthetic-{len(docs):05d}.xlsx", projects=current))
    return Corpus(documents=docs)


def build_index(kind: str, corpus, embedder, home: Path):
    """Build and store the index in the data folder `home`, where the CLI finds it."""
    if kind == "milvus":
        from index.milvus_store import MilvusIndexes

        return MilvusIndexes.build(corpus, embedder, str(home / "milvus.db"))
    from index.store import Indexes

    idx = Indexes.build(corpus, embedder, folder=home / "index")
    idx.save()  # records now read from the store, as in the app
    return idx


def one_size(n: int, folder: Path, novelty: float, kind: str = "local") -> dict:
    from assistant.drafting.convert import draft_to_project
    from assistant.drafting.engine import draft
    from assistant.drafting.profile import make_profile
    from assistant.review import check_project
    from corpus import store
    from corpus.build import build
    from corpus.lazy import open_lazy, refresh
    from index.embedders import get_embedder
    from index.records import Filters
    from index.settings import model_spec

    rng = np.random.default_rng(7)
    real = build()
    embedder = get_embedder(model_spec())
    bench_embedder = CachedEmbedder.of(real, embedder)
    home = folder / f"home-{n}"  # a data folder the CLI can open: corpus.json, its companion, index/
    path = home / "corpus.json"
    store.save(synthetic_corpus(real, n, novelty, rng), path)
    del real
    out = {"rows": n, "corpus_mb": path.stat().st_size / 2**20, "store": kind}

    t = time.perf_counter()
    corpus = store.load(path)
    out["load_s"] = time.perf_counter() - t
    t = time.perf_counter()
    refresh(corpus, path)
    out["companion_s"] = time.perf_counter() - t

    os.environ["JIXIAO_CACHE"] = str(folder / f"cache-{n}")  # never mix synthetic vectors into the real cache
    t = time.perf_counter()
    idx = build_index(kind, corpus, bench_embedder, home)
    out["build_s"] = time.perf_counter() - t
    out["actual_rows"] = idx.manifest.counts["rows"]
    out["distinct_texts"] = idx.manifest.counts["distinct_row_texts"]
    del corpus
    t = time.perf_counter()
    corpus = open_lazy(path)
    out["open_s"] = time.perf_counter() - t

    draft(make_profile(*WARMUP), idx)  # first-call costs (imports, column arrays, lookups)
    draft_ms, check_ms, drafts = [], [], []
    for name, goal, budget in PROFILES:
        t = time.perf_counter()
        d = draft(make_profile(name, goal, budget), idx)
        draft_ms.append((time.perf_counter() - t) * 1000)
        drafts.append(d)
    check_project(draft_to_project(drafts[0]), corpus, index=idx)  # first-call costs (lookups, projects read)
    for d in drafts:
        project = draft_to_project(d)
        t = time.perf_counter()
        check_project(project, corpus, index=idx)
        check_ms.append((time.perf_counter() - t) * 1000)
    out["draft_p50_ms"] = statistics.median(draft_ms)
    out["draft_max_ms"] = max(draft_ms)
    out["check_p50_ms"] = statistics.median(check_ms)

    queries = [r.name for d in drafts for r in d.rows][:60]
    idx.prime_queries(queries)  # the model's time is not the search's
    search_ms = []
    for q, slot in zip(queries, [r.level2 for d in drafts for r in d.rows]):
        t = time.perf_counter()
        idx.search_rows(q, k=10, filters=Filters(level2=slot, budget_max=50))
        search_ms.append((time.perf_counter() - t) * 1000)
    out["search_p50_ms"] = statistics.median(search_ms)
    out["peak_rss_mb"] = rss_mb()
    if kind == "milvus":  # milvus-lite serves one process: let the CLI open the database file
        from index.milvus_client import close_all

        close_all()
    # milvus-lite at a million rows: a CLI draft takes minutes (each new filter lists its records once per
    # process), so one measured run after the warm-up instead of three
    out.update(cli_draft(home, folder / f"cache-{n}", kind, runs=1 if kind == "milvus" and n >= 1_000_000 else 3))
    return out


def cli_draft(home: Path, cache: Path, kind: str = "local", runs: int = 3) -> dict:
    """The warm CLI draft on a saved data folder: median wall time, and the largest peak RSS of its processes."""
    env = {**os.environ, "JIXIAO_HOME": str(home), "JIXIAO_CACHE": str(cache), "HF_HUB_OFFLINE": "1",
           "JIXIAO_STORE": f"milvus:{home / 'milvus.db'}" if kind == "milvus" else "local"}
    # the CLI itself, reporting its own peak RSS at exit (VmHWM: this process only; a child's ru_maxrss
    # would count the benchmark's memory it was forked from)
    cmd = [sys.executable, "-c", "import atexit, runpy, sys; atexit.register(lambda: print([l for l in open("
           "'/proc/self/status') if l.startswith('VmHWM')][0].strip(), file=sys.stderr)); sys.argv = ['jixiao'] + "
           "sys.argv[1:]; runpy.run_module('assistant.cli', run_name='__main__')",
           "draft", PROFILES[0][0], "--budget", "45", "--goal", PROFILES[0][1]]
    walls, peaks = [], []
    for _ in range(runs + 1):  # the first run warms the file cache (its time is not counted)
        t = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        walls.append(time.perf_counter() - t)
        if done.returncode != 0 or "已重建" in done.stderr or "已追加" in done.stderr:
            raise RuntimeError(f"CLI draft did not find its index current: {done.stderr.strip()[-300:]}")
        peaks.append(int(done.stderr.strip().splitlines()[-1].split()[1]) / 1024)  # "VmHWM:  123 kB"
    return {"cli_draft_s": statistics.median(walls[1:]), "app_rss_mb": max(peaks[1:])}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--novelty", type=float, default=0.02)
    ap.add_argument("--stores", nargs="+", choices=["local", "milvus"], default=["local", "milvus"])
    ap.add_argument("--one", action="store_true", help=argparse.SUPPRESS)  # a single size, in this process
    ap.add_argument("--folder", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.one:
        print(json.dumps(one_size(args.sizes[0], Path(args.folder), args.novelty, args.stores[0])))
        return
    print(f"{os.cpu_count()} cores; each size and store in its own process")
    print("| rows | store | distinct row texts | corpus load whole (+ companion, once) | corpus open | index build "
          "(cached embeddings) | draft p50 (max) | validation of one draft p50 | filtered search p50 "
          "| CLI warm draft | app RSS (CLI draft) | bench peak RSS |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        for kind in args.stores:
            with tempfile.TemporaryDirectory() as tmp:
                done = subprocess.run([sys.executable, "-m", "assistant.evaluation.scale_bench", "--one", "--folder",
                                       tmp, "--novelty", str(args.novelty), "--sizes", str(n), "--stores", kind],
                                      capture_output=True, text=True)
            if done.returncode != 0:
                # the exception's own line (a CLI failure quotes the CLI's stderr after it, on further lines)
                lines = done.stderr.strip().splitlines()
                why = next((l for l in reversed(lines) if "Error" in l), lines[-1] if lines else done.returncode)
                print(f"| {n:,} | {kind} | failed: {why} |", flush=True)
                continue
            r = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"| {r['actual_rows']:,} | {kind} | {r['distinct_texts']:,} | {r['load_s']:.1f} s (+{r['companion_s']:.1f} s) "
                  f"| {r['open_s'] * 1000:.0f} ms | {r['build_s']:.1f} s "
                  f"| {r['draft_p50_ms']:.0f} ms ({r['draft_max_ms']:.0f}) | {r['check_p50_ms']:.0f} ms "
                  f"| {r['search_p50_ms']:.1f} ms | {r['cli_draft_s']:.2f} s | {r['app_rss_mb']:,.0f} MB "
                  f"| {r['peak_rss_mb']:,.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
