"""Drafts database timings, SQLite vs PostgreSQL (not a test): `python -m assistant.evaluation.drafts_bench`.

Each backend gets the same work through DraftStore, as the app does it:
  * store open: DraftStore() on an existing database (SQLite: integrity check; PostgreSQL: pool, tables);
  * save: `--saves` saves of one draft, one after the other (check the owner, update the draft, add a
    version: one transaction), with a state of `--state-kb` KB (a chat with a 15-row table is ≈ 8–11 KB);
  * list: the sidebar's "my drafts" (`list`) for a user with 20 drafts, among `--others` drafts of
    other users (3 versions each);
  * load and history: opening a draft (its state; its 1,000-version history);
  * replicas: 2 stores (2 app replicas) × 2 threads saving at once: saves per second.
SQLite is the data folder's file (WAL, synchronous=NORMAL, as the app opens it); PostgreSQL 15 is a
local server started for the run (assistant.evaluation.local_postgres, durable: fsync and
synchronous_commit on, as a server would run), over TCP on 127.0.0.1.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import threading
import time
from pathlib import Path

from assistant.draft_store import DraftStore
from assistant.evaluation.local_postgres import create_database, local_postgres


def _state(kb: int, i: int) -> str:
    rows = [{"id": f"r{n}", "name": f"指标{n}", "value": {"raw": f"≥{n + i}个", "number": n + i, "unit": "个"},
             "evidence": "先例：某某单位同类项目" * 4} for n in range(200)]
    text = json.dumps({"version": i, "rows": rows}, ensure_ascii=False)
    return text[: kb * 1024]


def _timed(fn, n: int) -> list[float]:
    out = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        out.append((time.perf_counter() - t) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return sorted(values)[min(len(values) - 1, int(q * len(values)))]


def run(open_store, saves: int, others: int, kb: int) -> dict:
    store = open_store()
    for o in range(others):  # other users' drafts
        d = store.create(f"other{o % 50}", f"项目{o}", _state(kb, 0))
        for v in range(2):
            store.save(d, f"other{o % 50}", _state(kb, v), "改")
    mine = [store.create("me", f"我的项目{k}", _state(kb, 0)) for k in range(20)]
    target = mine[0]
    states = [_state(kb, i) for i in range(saves)]
    save_ms = []
    for i in range(saves):
        t = time.perf_counter()
        store.save(target, "me", states[i], f"第{i}次修改")
        save_ms.append((time.perf_counter() - t) * 1000)
    result = {
        "store open ms": statistics.median(_timed(open_store, 5)),
        f"{saves} saves s": sum(save_ms) / 1000, "save p50 ms": _p(save_ms, 0.5), "save p95 ms": _p(save_ms, 0.95),
        "list p50 ms": _p(_timed(lambda: store.list("me"), 200), 0.5),
        "load p50 ms": _p(_timed(lambda: store.load(target, "me"), 200), 0.5),
        "history p50 ms": _p(_timed(lambda: store.history(target, "me"), 50), 0.5),
    }
    replicas = [open_store(), open_store()]
    shared = mine[1]
    per_thread = max(1, saves // 4)

    def writer(store):
        for i in range(per_thread):
            store.save(shared, "me", _state(kb, i), f"并发{i}")

    threads = [threading.Thread(target=writer, args=(r,)) for r in replicas for _ in range(2)]
    t = time.perf_counter()
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    result["replicas saves/s"] = 4 * per_thread / (time.perf_counter() - t)
    assert len(store.history(shared, "me")) == 1 + 4 * per_thread, "a concurrent save was lost"
    return result


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--saves", type=int, default=1000)
    parser.add_argument("--others", type=int, default=1000)
    parser.add_argument("--state-kb", type=int, default=10)
    args = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "drafts.sqlite3"
        results["SQLite (file, WAL)"] = run(lambda: DraftStore(path), args.saves, args.others, args.state_kb)
    with local_postgres(durable=True) as server:
        url = create_database(server, "bench")
        results["PostgreSQL 15 (local, TCP)"] = run(lambda: DraftStore(url=url), args.saves, args.others,
                                                    args.state_kb)
    keys = list(next(iter(results.values())))
    print(f"{args.saves} saves of a {args.state_kb} KB draft; list among {args.others} other drafts\n")
    print("| backend | " + " | ".join(keys) + " |")
    print("|---" * (len(keys) + 1) + "|")
    for name, r in results.items():
        print(f"| {name} | " + " | ".join(f"{r[k]:.1f}" if r[k] >= 10 else f"{r[k]:.2f}" for k in keys) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
