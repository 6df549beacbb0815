"""Draft our own project descriptions (descriptions.json, written for this check, not taken from the
corpus) and check each draft as a reviewer would: every stated quantity in a 数量 row with its own
unit, no row the reviewer rules flag, no cost rows above the budget. Prints the worst rows.

    python -m assistant.evaluation.descriptions
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from corpus import categories as cat

from assistant.drafting.convert import draft_to_project
from assistant.drafting.engine import draft
from assistant.drafting.profile import make_profile
from assistant.rules.reviewer import RULE_IDS
from assistant.validator import validate

DATA = Path(__file__).with_name("descriptions.json")


def check_description(item: dict, indexes) -> dict:
    t = time.perf_counter()
    profile = make_profile(item["name"], item.get("goal", ""), item.get("budget"))
    d = draft(profile, indexes)
    seconds = time.perf_counter() - t
    quantity_rows = [r for r in d.rows if r.level2 == cat.QUANTITY]
    missing = [q.raw for q in profile.quantities
               if not any(r.value.raw.endswith(f"{q.number:g}{q.unit}") for r in quantity_rows)]
    flagged = [f for f in validate(draft_to_project(d)) if f.rule in RULE_IDS]
    return {"name": item["name"], "kind": d.project_type_label, "rows": len(d.rows), "seconds": seconds,
            "quantities": len(profile.quantities), "quantities_missing": missing,
            "flags": [f"{f.rule}: {f.message}" for f in flagged],
            "blank": [r.name for r in d.rows if not r.value.raw]}


def run(indexes, items: list[dict] | None = None) -> dict:
    items = items if items is not None else json.loads(DATA.read_text(encoding="utf-8"))
    results = [check_description(i, indexes) for i in items]
    rows = sum(r["rows"] for r in results)
    flagged = sum(len(r["flags"]) for r in results)
    return {"descriptions": len(results), "rows": rows,
            "kinds": len({r["kind"] for r in results}),
            "quantities": sum(r["quantities"] for r in results),
            "quantities_in_a_quantity_row": sum(r["quantities"] - len(r["quantities_missing"]) for r in results),
            "flagged_rows": flagged, "defect_rate": round(flagged / rows, 3) if rows else 0.0,
            "drafts_without_flags": sum(1 for r in results if not r["flags"]),
            "median_seconds": round(statistics.median(r["seconds"] for r in results), 3),
            "results": results}


def format_report(summary: dict) -> str:
    lines = [f"own descriptions: {summary['descriptions']} drafts over {summary['kinds']} kinds, {summary['rows']} rows, "
             f"median {summary['median_seconds']} s per draft",
             f"stated quantities in a 数量 row with their own unit: {summary['quantities_in_a_quantity_row']}"
             f"/{summary['quantities']}",
             f"rows flagged by the reviewer rules: {summary['flagged_rows']} ({summary['defect_rate']:.1%}); "
             f"drafts with no flag: {summary['drafts_without_flags']}/{summary['descriptions']}",
             "", "worst rows:"]
    worst = [(r["name"], f) for r in summary["results"] for f in r["flags"]]
    worst += [(r["name"], f"数量未写入：{q}") for r in summary["results"] for q in r["quantities_missing"]]
    lines += [f"  {n}：{f}" for n, f in worst[:20]] or ["  (none)"]
    blanks = [(r["name"], b) for r in summary["results"] for b in r["blank"]]
    lines += ["", f"rows left for the user to fill (待填写): {len(blanks)}"]
    lines += [f"  {n}：{b}" for n, b in blanks[:10]]
    return "\n".join(lines)


def main() -> None:
    from assistant.services import load_services

    services = load_services()
    print(format_report(run(services.indexes)))


if __name__ == "__main__":
    main()
