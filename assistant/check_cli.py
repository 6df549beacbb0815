"""`jixiao check FILE|DIR …` and `jixiao check --corpus`: run the validator and print a reviewer's
report in Chinese (assistant.review_report: verdict, reasons, findings by severity with their fixes).

`check` takes one or more files and folders (a folder: every .txt/.docx/.xlsx under it). It prints
one summary table (file, project, errors, warnings, verdict), then each table's report (`--summary`:
the table only); `--report-xlsx/--report-docx PATH` also write the reports as files.
Exit status: 0 no error-severity finding in any table, 1 at least one table has an error,
2 some file could not be read (it is named on stderr; the other files are still checked;
2 wins over 1).
Run it as `jixiao check …` or `python -m assistant.check_cli …`.
"""

from __future__ import annotations

import argparse
import json
import sys
import unicodedata
from collections import Counter
from pathlib import Path

from corpus.build import load_or_build
from corpus.models import Corpus

from .check_args import add_arguments, register  # noqa: F401  (re-exported: tests, jixiao)
from .findings import SEVERITY_LABEL, SEVERITY_ORDER
from .precedents import stored_index
from .review import check_project
from .rules.base import SiblingIndex
from .review_report import (
    FileReview,
    collect_files,
    report_file_name,
    report_text,
    review_file,
    summary_rows,
    write_report_docx,
    write_report_xlsx,
)
from .rules import REGISTRY
from .rules.reviewer import RULE_IDS as REVIEWER_RULES

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


# ---- validating ----------------------------------------------------------------

def corpus_report(corpus: Corpus, index=None) -> dict:
    """Validate every project of the corpus (precedents from other units, found through `index` when
    given, siblings from the same unit) and count findings per rule and per document;
    `reviewer_by_document` counts, per document, the findings of each reviewer rule (reviewer.*).
    Plain dicts, ready for JSON or a UI table."""
    projects = corpus.projects()
    siblings = SiblingIndex(projects)
    if index is not None:  # every row name as a query, in one model call (cached on disk for the next run)
        index.prime_queries([r.name for p in projects for r in p.rows])
    per_project = [(p, check_project(p, corpus, siblings, index)) for p in projects]
    rules = {rid: {"rule": rid, "severity": r.severity, "title": r.title, "findings": 0,
                   "rows": set(), "projects": set()} for rid, r in sorted(REGISTRY.items())}
    docs: dict[str, dict] = {d.source: {"source": d.source, "projects": 0, "rows": 0, "error": 0, "warning": 0,
                                        "hint": 0, "projects_with_errors": 0} for d in corpus.documents}
    flat = []
    for n, (p, findings) in enumerate(per_project):
        doc = docs.setdefault(p.source, {"source": p.source, "projects": 0, "rows": 0, "error": 0, "warning": 0,
                                         "hint": 0, "projects_with_errors": 0})
        doc["projects"] += 1
        doc["rows"] += len(p.rows)
        doc["projects_with_errors"] += any(f.is_error for f in findings)
        for f in findings:
            entry = rules[f.rule]
            entry["findings"] += 1
            entry["projects"].add(n)
            if f.row_index is not None:
                entry["rows"].add((n, f.row_index))
            doc[f.severity] += 1
            flat.append(f.model_dump())
    rule_rows = [{**e, "rows": len(e["rows"]), "projects": len(e["projects"])} for e in rules.values()]
    reviewer = {d: {rid: 0 for rid in REVIEWER_RULES} for d in docs}
    for f in flat:
        if f["rule"] in REVIEWER_RULES:
            reviewer.setdefault(f["source"], {rid: 0 for rid in REVIEWER_RULES})[f["rule"]] += 1
    totals = Counter(f["severity"] for f in flat)
    return {"projects": len(projects), "rows": sum(len(p.rows) for p in projects),
            "totals": {s: totals.get(s, 0) for s in SEVERITY_ORDER},
            "rules": rule_rows, "documents": list(docs.values()),
            "reviewer_by_document": [{"source": d, **counts} for d, counts in reviewer.items()],
            "findings": flat}


# ---- printing --------------------------------------------------------------------

def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _cell(text: str, width: int, right: bool = False) -> str:
    """`text` padded (or cut with …) to `width` terminal columns, CJK characters counting two."""
    if _width(text) > width:
        while _width(text) > width - 1:
            text = text[:-1]
        text += "…"
    pad = " " * (width - _width(text))
    return pad + text if right else text + pad


def print_summary(files: list[FileReview], out=None) -> None:
    """One line per table (and per unreadable file): 文件, 项目, 错误, 警告, 结论."""
    out = out or sys.stdout
    rows = summary_rows(files)
    fw = min(36, max([_width("文件")] + [_width(Path(r["文件"]).name) for r in rows]))
    pw = min(40, max([_width("项目")] + [_width(r["项目"]) for r in rows]))
    print(f"{_cell('文件', fw)}  {_cell('项目', pw)}  {_cell('错误', 4, True)}  {_cell('警告', 4, True)}  结论", file=out)
    for r in rows:
        print(f"{_cell(Path(r['文件']).name, fw)}  {_cell(r['项目'], pw)}  {_cell(r['错误'], 4, True)}  "
              f"{_cell(r['警告'], 4, True)}  {r['结论']}", file=out)
    tables = [rep for fr in files for rep in fr.reports]
    verdicts = Counter(rep.verdict_label for rep in tables)
    unreadable = sum(1 for fr in files if fr.problem)
    print(f"共{len(files)}个文件、{len(tables)}个表：" + "，".join(f"{k}{v}" for k, v in verdicts.items())
          + (f"，无法读取的文件{unreadable}个" if unreadable else ""), file=out)


def print_report(report: dict, out=None) -> None:
    out = out or sys.stdout
    print(f"语料：{report['projects']}个项目表，{report['rows']}个指标行；"
          + "，".join(f"{SEVERITY_LABEL[s]}{n}" for s, n in report["totals"].items()), file=out)
    print(f"\n{'规则':<40}{'级别':<6}{'发现':>6}{'指标行':>8}{'项目':>6}  说明", file=out)
    for r in report["rules"]:
        print(f"{r['rule']:<40}{SEVERITY_LABEL[r['severity']]:<6}{r['findings']:>6}{r['rows']:>8}{r['projects']:>6}"
              f"  {r['title']}", file=out)
    print(f"\n{'文件':<34}{'项目':>5}{'指标行':>7}{'错误':>6}{'警告':>6}{'提示':>6}{'有错误的项目':>10}", file=out)
    for d in report["documents"]:
        print(f"{d['source']:<34}{d['projects']:>5}{d['rows']:>7}{d['error']:>6}{d['warning']:>6}{d['hint']:>6}"
              f"{d['projects_with_errors']:>10}", file=out)
    ids = [rid for rid in REVIEWER_RULES]
    print("\n审核规则（退回重报）每份文档的发现数：", file=out)
    print(f"{'文件':<34}" + "".join(f"{rid.split('.', 1)[1]:>22}" for rid in ids), file=out)
    for d in report["reviewer_by_document"]:
        print(f"{d['source']:<34}" + "".join(f"{d[rid]:>22}" for rid in ids), file=out)
    print(f"{'合计':<34}" + "".join(f"{sum(d[rid] for d in report['reviewer_by_document']):>22}" for rid in ids), file=out)


# ---- commands --------------------------------------------------------------------

def _precedent_source(args: argparse.Namespace):
    """The corpus and index precedents come from: the saved index when it is current (what the UI
    uses, so both give the same findings), else a scan of the corpus; a check never builds an index
    (that is `jixiao index build`'s job and takes minutes on a large corpus)."""
    if args.no_precedents:
        return None, None
    corpus = load_or_build()
    index = None if args.no_index else stored_index(corpus)
    print("先例来源：" + ("检索索引" if index is not None else "逐行比对语料（没有最新的检索索引）"), file=sys.stderr)
    return corpus, index


def cmd_check(args: argparse.Namespace) -> int:
    if args.corpus:
        args.no_precedents = False
        report = corpus_report(*_precedent_source(args))
        if args.json:
            print(json.dumps(report, ensure_ascii=False, indent=1))
        else:
            print_report(report)
        return EXIT_OK
    if not args.files:
        print("请给出要校验的文件或文件夹（.txt/.docx/.xlsx），或用 --corpus 校验内置语料", file=sys.stderr)
        return EXIT_UNREADABLE
    paths = collect_files(args.files)
    if not paths:
        print("给出的文件夹中没有 .txt/.docx/.xlsx 文件：" + "、".join(map(str, args.files)), file=sys.stderr)
        return EXIT_UNREADABLE
    corpus, index = _precedent_source(args)
    files = []
    for path in paths:
        fr = review_file(path, corpus, index=index)
        if fr.problem:
            print(f"无法读取：{fr.file}：{fr.problem}", file=sys.stderr)
        for note in fr.notes:
            print(f"注意：{fr.file}：{note}", file=sys.stderr)
        files.append(fr)
    reports = [r for fr in files for r in fr.reports]
    if args.json:
        print(json.dumps([{"file": fr.file, "project": r.project, "source": r.source, "verdict": r.verdict,
                           "verdict_label": r.verdict_label, "reasons": r.reasons, "counts": r.counts,
                           "findings": [i.model_dump() for i in r.items]}
                          for fr in files for r in fr.reports]
                         + [{"file": fr.file, "problem": fr.problem} for fr in files if fr.problem],
                         ensure_ascii=False, indent=1))
    else:
        print_summary(files)
        if not args.summary:
            for fr in files:
                if not fr.reports:
                    continue
                print(f"\n━━ 文件：{fr.file}（{len(fr.reports)}个表）")
                for r in fr.reports:
                    print("\n" + report_text(r, args.severity))
        total = Counter({s: sum(r.counts.get(s, 0) for r in reports) for s in SEVERITY_ORDER})
        print("\n合计：" + "，".join(f"{SEVERITY_LABEL[s]}{total.get(s, 0)}" for s in SEVERITY_ORDER))
    for target, writer in ((args.report_xlsx, write_report_xlsx), (args.report_docx, write_report_docx)):
        if target is not None and reports:
            if target.is_dir():
                target = target / report_file_name(reports, ".xlsx" if writer is write_report_xlsx else ".docx")
            writer(reports, target)
            print(f"审核意见已写入：{target}", file=sys.stderr)
    if any(fr.problem for fr in files):
        return EXIT_UNREADABLE
    return EXIT_ERRORS if any(r.counts.get("error", 0) for r in reports) else EXIT_OK


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao check", description="按审核规则校验绩效目标表")
    add_arguments(parser)
    args = parser.parse_args(argv)
    from corpus import store

    try:
        return args.func(args)
    except BrokenPipeError:  # `… | head`
        sys.stderr.close()
        return EXIT_OK
    except store.DamagedData as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 3
    finally:
        for message in store.take_notices():
            print(f"注意：{message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
