"""`jixiao check FILE` and `jixiao check --corpus`: run the validator and print findings in Chinese.

Exit status of `check FILE`: 0 no error-severity finding, 1 at least one, 2 the file could not be read.
Until assistant/cli.py wires `register`, run it as `python -m assistant.check_cli FILE|--corpus`.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

from corpus.build import load_or_build
from corpus.models import Corpus, Project

from .findings import SEVERITY_LABEL, SEVERITY_ORDER, Finding
from .precedents import stored_index
from .rules import REGISTRY
from .review import check_document, check_project

EXIT_OK, EXIT_ERRORS, EXIT_UNREADABLE = 0, 1, 2


# ---- validating ----------------------------------------------------------------

def corpus_report(corpus: Corpus, index=None) -> dict:
    """Validate every project of the corpus (precedents from other units, found through `index` when
    given, siblings from the same unit) and count findings per rule and per document. Plain dicts,
    ready for JSON or a UI table."""
    projects = corpus.projects()
    per_project = [(p, check_project(p, corpus, projects, index)) for p in projects]
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
    totals = Counter(f["severity"] for f in flat)
    return {"projects": len(projects), "rows": sum(len(p.rows) for p in projects),
            "totals": {s: totals.get(s, 0) for s in SEVERITY_ORDER},
            "rules": rule_rows, "documents": list(docs.values()), "findings": flat}


# ---- printing --------------------------------------------------------------------

def _detail(f: Finding) -> str:
    """The message without the row/project prefix the group header already shows."""
    prefix = f"「{f.row_name}」（{f.where}）：" if f.row_index is not None else f"项目「{f.project}」（{f.where}）："
    return f.message[len(prefix):] if f.message.startswith(prefix) else f.message


def print_findings(project: Project, findings: list[Finding], min_severity: str = "hint", out=None) -> None:
    out = out or sys.stdout  # looked up at call time, so redirected output is honoured
    shown = [f for f in findings if SEVERITY_ORDER[f.severity] <= SEVERITY_ORDER[min_severity]]
    counts = Counter(f.severity for f in findings)
    budget = f"，预算{project.budget.wan:g}万元" if project.budget.wan is not None else ""
    goal = f"（目标{project.goal_number}）" if project.goal_number else ""
    summary = "，".join(f"{SEVERITY_LABEL[s]}{counts.get(s, 0)}" for s in SEVERITY_ORDER)
    print(f"\n■ 项目「{project.name}」{goal}{budget}（{project.provenance.where()}）：{summary}", file=out)
    groups: dict[int | None, list[Finding]] = defaultdict(list)
    for f in shown:
        groups[f.row_index].append(f)
    for index in sorted(groups, key=lambda i: -1 if i is None else i):
        if index is None:
            print("  全表：", file=out)
        else:
            r = project.rows[index]
            print(f"  第{index + 1}个指标「{r.name}」（{r.provenance.where()}）指标值「{r.value.raw.strip()}」：", file=out)
        for f in groups[index]:
            print(f"    [{SEVERITY_LABEL[f.severity]}] {_detail(f)}（{f.rule}）", file=out)
            if f.fix:
                print(f"        建议：{f.fix}", file=out)
    if not shown and findings:
        print("  （其余为较低级别的提示，未显示）", file=out)
    elif not findings:
        print("  未发现问题", file=out)


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
    if args.file is None:
        print("请给出要校验的文件（.txt/.docx/.xlsx），或用 --corpus 校验内置语料", file=sys.stderr)
        return EXIT_UNREADABLE
    from corpus.parse import parse_path

    result = parse_path(args.file)
    if not result.projects:
        for issue in result.issues or []:
            print(f"无法校验：{issue.message}", file=sys.stderr)
        if not result.issues:
            print(f"无法校验：{args.file} 中没有绩效目标表", file=sys.stderr)
        return EXIT_UNREADABLE
    for issue in result.issues:
        print(f"注意：{issue.where}：{issue.message}", file=sys.stderr)
    checked = check_document(result, *_precedent_source(args))
    if args.json:
        print(json.dumps([{"project": p.name, "source": p.source, "findings": [f.model_dump() for f in fs]}
                          for p, fs in checked], ensure_ascii=False, indent=1))
    else:
        print(f"校验文件：{result.source}（{len(checked)}个项目表）")
        for p, fs in checked:
            print_findings(p, fs, args.severity)
        total = Counter(f.severity for _, fs in checked for f in fs)
        print("\n合计：" + "，".join(f"{SEVERITY_LABEL[s]}{total.get(s, 0)}" for s in SEVERITY_ORDER))
    return EXIT_ERRORS if any(f.is_error for _, fs in checked for f in fs) else EXIT_OK


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", type=Path, help="要校验的绩效目标表（.txt / .docx / .xlsx）")
    p.add_argument("--corpus", action="store_true", help="校验内置语料中的全部项目，按规则和文件统计")
    p.add_argument("--severity", choices=list(SEVERITY_ORDER), default="hint",
                   help="最低显示级别：error 只显示错误，warning 显示错误和警告，hint 全部显示（默认）")
    p.add_argument("--no-precedents", action="store_true", help="不与语料中的先例比较（只做规则校验）")
    p.add_argument("--no-index", action="store_true", help="不用检索索引，逐行比对整个语料找先例")
    p.add_argument("--json", action="store_true", help="输出JSON")
    p.set_defaults(func=cmd_check)


def register(subparsers) -> None:
    """Add the `check` subcommand to `jixiao`'s argparse subparsers."""
    add_arguments(subparsers.add_parser("check", help="按审核规则校验绩效目标表（错误时退出码为1）"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="jixiao check", description="按审核规则校验绩效目标表")
    add_arguments(parser)
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `… | head`
        sys.stderr.close()
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
