"""`jixiao` command line: the same functions the UI calls, with plain text or JSON out."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from corpus import build as corpus_build
from corpus import store


def _progress(total: int, desc: str):
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="份", file=sys.stderr, disable=None)
    return bar


def load_or_build_corpus():
    """The stored corpus, or the bundled one built on the spot (so every command works at once)."""
    corpus = store.load()
    if corpus is None:
        corpus = corpus_build.build()
        store.save(corpus)
    return corpus


def cmd_corpus_build(args: argparse.Namespace) -> int:
    files, _ = corpus_build.expand(args.paths)
    total = len(files) + (0 if args.no_bundled else len(store.bundled_files()))
    with _progress(total, "解析文件") as bar:
        corpus = corpus_build.build(args.paths, include_bundled=not args.no_bundled,
                                    progress=lambda p: (bar.set_postfix_str(p.name[:30]), bar.update(1)))
    path = store.save(corpus)
    _print_stats(corpus)
    skipped = [d for d in corpus.documents if d.skipped]
    for d in corpus.documents:
        for issue in d.issues:
            print(f"{'跳过' if d.skipped else '注意'}: {issue.where}: {issue.message}", file=sys.stderr)
    print(f"语料已保存：{path}（{len(corpus.documents) - len(skipped)} 份文件读入，{len(skipped)} 份跳过）")
    return 0


def _print_stats(corpus) -> None:
    rows = corpus_build.stats(corpus)
    print(f"{'文件':<40}{'项目':>6}{'指标行':>8}{'值未能解析':>12}{'错误':>6}")
    for s in rows:
        print(f"{s.source:<40}{s.projects:>6}{s.rows:>8}{s.unclean:>12}{s.errors:>6}")
    total = sum(s.rows for s in rows)
    unclean = sum(s.unclean for s in rows)
    rate = (total - unclean) / total if total else 0.0
    print(f"{'合计':<40}{sum(s.projects for s in rows):>6}{total:>8}{unclean:>12}{sum(s.errors for s in rows):>6}")
    print(f"指标值解析干净率：{rate:.1%}")


def cmd_corpus_stats(args: argparse.Namespace) -> int:
    _print_stats(load_or_build_corpus())
    return 0


def cmd_corpus_export(args: argparse.Namespace) -> int:
    corpus = load_or_build_corpus()
    for record in corpus_build.export_records(corpus):
        print(json.dumps(record, ensure_ascii=False))
    return 0


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效目标起草助手")
    sub = parser.add_subparsers(dest="command", required=True)

    corpus = sub.add_parser("corpus", help="语料：解析已公开的绩效目标表").add_subparsers(dest="action", required=True)
    p = corpus.add_parser("build", help="从内置文档及给定文件/文件夹建立语料")
    p.add_argument("paths", nargs="*", type=Path, help=".txt / .docx / .xlsx 文件或文件夹")
    p.add_argument("--no-bundled", action="store_true", help="不包含内置的五份文档")
    p.set_defaults(func=cmd_corpus_build)
    p = corpus.add_parser("export", help="导出指标行")
    p.add_argument("--jsonl", action="store_true", default=True, help="每行一个JSON对象（默认）")
    p.set_defaults(func=cmd_corpus_export)
    p = corpus.add_parser("stats", help="每份文档的项目数、指标行数、未能解析的值")
    p.set_defaults(func=cmd_corpus_stats)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    try:
        return args.func(args)
    except BrokenPipeError:  # `jixiao corpus export | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
