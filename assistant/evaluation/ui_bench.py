"""How long the 起草 page takes to answer a cell edit, on the bundled corpus or a synthetic one of N
rows (not a test): `python -m assistant.evaluation.ui_bench [--sizes 0 100000]` (0 = the bundled corpus).

Each size runs in its own process with its own data folder: the corpus is stored (with its by-id
companion, as after the app's first start) and indexed once
(synthetic rows as in `scale_bench`, their vectors from the embedding cache under the real model's
name, so the app opens the index instead of rebuilding it), then the page is driven through
Streamlit's AppTest as a user would: open the app, describe a project in the chat, then edit a cell
of the table (the rerun that follows an edit is what a user waits for) and rerun without a change.
Then the 审核 page reviews a corpus project found by name, and the 范例 page renders once.
Printed: first page (services loaded), the chat draft, edit rerun p50/max, idle rerun p50, the review,
the examples page, peak RSS."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

APP = str(Path(__file__).resolve().parents[2] / "ui" / "app.py")
DESCRIPTION = "社区老年人助餐服务，预算45万元，为12个社区600名老人提供助餐"
EDITS = ["≥13个", "≥14个", "≥15个", "≥16个", "≥17个"]
REVIEWED = "居家养老服务体系经费"  # a bundled project's name: the synthetic corpus copies it to other units


def prepare(home: Path, n_rows: int) -> int:
    """Store the corpus (bundled, or a synthetic one of `n_rows`) and its index in `home`; the row count."""
    import numpy as np

    from corpus import store
    from corpus.build import build
    from corpus.lazy import refresh
    from index.embedders import get_embedder
    from index.settings import model_spec
    from index.store import Indexes

    from .scale_bench import CachedEmbedder, synthetic_corpus

    real = build()
    embedder = get_embedder(model_spec())
    if not n_rows:
        refresh(real, store.save(real))  # the corpus and its by-id companion, as after a first start
        Indexes.build(real, embedder).save()
        return sum(len(p.rows) for p in real.projects())
    fake = CachedEmbedder.of(real, embedder)  # under the real model's name: the app opens its index
    corpus = synthetic_corpus(real, n_rows, 0.02, np.random.default_rng(7))
    refresh(corpus, store.save(corpus))
    Indexes.build(corpus, fake).save()
    return sum(len(p.rows) for p in corpus.projects())


def drive() -> dict:
    """Time the page through AppTest (in this process, so its memory is the app's)."""
    import resource

    from streamlit.testing.v1 import AppTest

    out: dict = {}
    at = AppTest.from_file(APP, default_timeout=600)
    t = time.perf_counter()
    at.run()
    out["first_page_s"] = time.perf_counter() - t
    t = time.perf_counter()
    at.chat_input[0].set_value(DESCRIPTION).run()
    out["chat_draft_s"] = time.perf_counter() - t
    if at.exception or not at.data_editor:
        raise RuntimeError(f"no draft: {at.exception}")
    edits = []
    for value in EDITS:
        key = at.data_editor[0].key
        at.session_state[key] = {"edited_rows": {0: {"指标值": value}}, "added_rows": [], "deleted_rows": []}
        t = time.perf_counter()
        at.run()
        edits.append(time.perf_counter() - t)
        if at.data_editor[0].value.loc[0, "指标值"] != value:
            raise RuntimeError(f"the edit {value} did not take")
    idle = []
    for _ in range(3):
        t = time.perf_counter()
        at.run()
        idle.append(time.perf_counter() - t)
    out["edit_p50_s"], out["edit_max_s"] = statistics.median(edits), max(edits)
    out["idle_p50_s"] = statistics.median(idle)
    # the reviewer: a corpus project found by name and reviewed (above 2,000 projects the page asks for words)
    at.sidebar.radio(key="page").set_value("审核").run()
    t = time.perf_counter()
    at.radio[0].set_value("语料中的项目").run()
    if at.text_input:
        at.text_input[0].set_value(REVIEWED).run()
    out["review_s"] = time.perf_counter() - t
    if at.exception or not at.expander:
        raise RuntimeError(f"no review: {at.exception}")
    # the trainer: the examples page's first render (rows checked once, then cached)
    t = time.perf_counter()
    at.sidebar.radio(key="page").set_value("范例").run()
    out["examples_s"] = time.perf_counter() - t
    if at.exception or not at.dataframe:
        raise RuntimeError(f"no examples: {at.exception}")
    out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[0, 100_000])
    ap.add_argument("--step", choices=["prepare", "drive"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.step == "prepare":
        print(json.dumps({"rows": prepare(Path(os.environ["JIXIAO_HOME"]), args.sizes[0])}))
        return
    if args.step == "drive":
        print(json.dumps(drive()))
        return
    print(f"{os.cpu_count()} cores; each size in its own data folder and processes")
    print("| rows | first page | chat draft | cell edit rerun p50 (max) | rerun without change "
          "| 审核: a corpus project | 范例: first render | app peak RSS |")
    print("|---|---|---|---|---|---|---|---|")
    for n in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            env = dict(os.environ, JIXIAO_HOME=tmp, JIXIAO_CACHE=str(Path(tmp) / "cache") if n else
                       os.environ.get("JIXIAO_CACHE", str(Path(tmp) / "cache")), HF_HUB_OFFLINE="1")
            results = []
            for step in ("prepare", "drive"):
                done = subprocess.run([sys.executable, "-m", "assistant.evaluation.ui_bench", "--step", step,
                                       "--sizes", str(n)], capture_output=True, text=True, env=env)
                if done.returncode != 0:
                    tail = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode
                    print(f"| {n:,} | {step} failed: {tail} |")
                    break
                results.append(json.loads(done.stdout.strip().splitlines()[-1]))
            else:
                rows, r = results[0]["rows"], results[1]
                print(f"| {rows:,} | {r['first_page_s']:.1f} s | {r['chat_draft_s']:.1f} s "
                      f"| {r['edit_p50_s']:.2f} s ({r['edit_max_s']:.2f}) | {r['idle_p50_s']:.2f} s "
                      f"| {r['review_s']:.1f} s | {r['examples_s']:.1f} s | {r['peak_rss_mb']:,.0f} MB |", flush=True)


if __name__ == "__main__":
    main()
