"""Timing of the validator's precedent sources (not a test):
`python -m assistant.evaluation.precedent_bench [--rows 100000] [--embed-cap 3000]`.

Validates one draft (the README's example) and one corpus project with precedents from
- the old scan (validator.precedents_from_corpus: every corpus row against every row under review),
- the index (assistant.precedents.precedent_pairs), cold (query vectors not yet computed) and warm,
on the bundled corpus and on a synthetic corpus of about --rows rows: the bundled documents copied
under other unit names, a tenth of the names spliced from two real ones (as index.evaluation.bench
does). The synthetic index embeds up to --embed-cap texts with the real model and mixes real vectors
beyond that (bench.CappedEmbedder); queries are always embedded by the real model.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path

import numpy as np


def _timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def synthetic_corpus(corpus, rows: int, rng: np.random.Generator):
    from corpus.models import Corpus

    names = [r.name for _, r in corpus.rows()]
    per_copy = sum(len(p.rows) for p in corpus.projects())
    docs = []
    for n in range(max(1, rows // per_copy)):
        for d in corpus.documents:
            projects = []
            for p in d.projects:
                new_rows = []
                for r in p.rows:
                    if rng.random() < 0.1:
                        other = names[int(rng.integers(len(names)))]
                        r = r.model_copy(update={"name": r.name[:max(1, len(r.name) // 2)] + other[len(other) // 2:]})
                    new_rows.append(r)
                projects.append(p.model_copy(update={"unit": f"{p.unit}{n}", "source": f"syn{n:04d}-{p.source}",
                                                     "rows": new_rows}))
            docs.append(d.model_copy(update={"source": f"syn{n:04d}-{d.source}", "projects": projects}))
    return Corpus(documents=docs)


def measure(label: str, corpus, index, targets) -> None:
    from assistant.precedents import precedent_pairs
    from assistant.validator import precedents_from_corpus, validate

    n_rows = sum(len(p.rows) for p in corpus.projects())
    print(f"\n{label}: {n_rows} rows, {len(corpus.projects())} projects")
    for name, project in targets:
        t_old, old = _timed(lambda: validate(project, precedents_from_corpus(project, corpus)))
        t_cold, new = _timed(lambda: validate(project, precedent_pairs(project, corpus, index)))
        t_warm, _ = _timed(lambda: validate(project, precedent_pairs(project, corpus, index)), repeat=3)
        rules = ("precedent.out_of_range", "consistency.below_precedents", "quality.vague_with_precedent")
        count = lambda fs: sum(f.rule in rules for f in fs)  # noqa: E731
        print(f"  {name}（{len(project.rows)} rows）: scan {t_old * 1000:.0f} ms | index cold {t_cold * 1000:.0f} ms, "
              f"warm {t_warm * 1000:.0f} ms | precedent findings {count(old)} → {count(new)}")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--embed-cap", type=int, default=3000)
    args = parser.parse_args(argv)

    from assistant.drafting.convert import draft_to_project
    from assistant.drafting.engine import draft
    from assistant.drafting.profile import make_profile
    from corpus.build import load_or_build
    from index.embedders import get_embedder
    from index.evaluation.bench import CappedEmbedder
    from index.settings import model_spec
    from index.store import Indexes, open_indexes

    corpus = load_or_build()
    embedder = get_embedder(model_spec())
    index = open_indexes(corpus, embedder)
    d = draft(make_profile("社区居家养老服务站运营", "服务13个社区的350名老人", 40, unit="测试街道办事处"), index)
    seed = next(p for p in corpus.projects() if p.name == "安全生产（基层消防）业务经费")
    targets = [("draft", draft_to_project(d)), ("corpus project", seed)]
    measure("bundled corpus", corpus, index, targets)

    rng = np.random.default_rng(7)
    big = synthetic_corpus(corpus, args.rows, rng)
    pool = index.rows.backend.reconstruct(np.arange(index.rows.backend.ntotal))
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["JIXIAO_CACHE"] = str(Path(tmp) / "cache")  # keep synthetic vectors out of the real cache
        capped = CappedEmbedder(embedder, args.embed_cap, pool, rng)
        t, big_index = _timed(lambda: Indexes.build(big, capped, Path(tmp) / "index"))
        print(f"\n(synthetic index built in {t:.0f} s: {capped.real} texts embedded, {capped.synthetic} synthesised)")
        seed_big = next(p for p in big.projects() if p.name == seed.name)
        measure("synthetic corpus", big, big_index, [("draft", draft_to_project(d)), ("corpus project", seed_big)])


if __name__ == "__main__":
    main()
