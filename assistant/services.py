"""Opening the corpus and its index once: the UI keeps the result, the CLI opens it per command."""

from __future__ import annotations

from collections.abc import Callable

from corpus.build import load_or_build


def load_services(progress: Callable[[int], None] | None = None, model: str | None = None,
                  fusion: str | None = None, rebuild: bool = False, backend: str = "auto",
                  report: Callable[[float, str], None] | None = None, maintain: bool = False):
    """The chat's Services over the stored (or bundled) corpus, with a current index (`maintain`: see
    index.stores.open_store).
    `progress(n)` counts texts embedded (the CLI's bar); `report(fraction, text)` says in words what
    is happening and how far (the UI's first start)."""
    say = report or (lambda fraction, text: None)
    say(0.02, "正在读取语料（首次启动时解析内置的5份文件）…")
    from assistant.chat import Services
    from index.embedders import get_embedder
    from index.settings import fusion_mode, model_spec
    from index.stores import open_store

    from corpus import store
    from corpus.lazy import open_lazy, refresh

    if not store.writable():
        store.notice("数据文件夹只读：语料和索引可以读取和检索，但更改（新文件、重建的索引、草稿）无法保存。")
    corpus = open_lazy()  # read by id when its companion is current: no whole-corpus parse per command
    if corpus is None:
        corpus = load_or_build()  # (checks it, sets a damaged one aside)
        refresh(corpus)  # … so that the next command need not parse it whole
    n_projects, rows = corpus.counts()
    say(0.1, f"语料：{n_projects}个项目表、{rows}行指标。正在载入嵌入模型（本机自带，不联网）…")
    embedder = get_embedder(model_spec(model))
    say(0.2, "正在打开检索索引（已建好的索引直接载入）…")
    done = 0

    def embedded(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(n)
        # distinct texts are fewer than rows + projects; the bar stops short of the end until done
        say(min(0.95, 0.2 + 0.75 * done / max(1, rows + n_projects)),
            f"首次启动：正在为语料建立检索索引，已计算 {done} 条文本的向量…")

    indexes = open_store(corpus, embedder, rebuild=rebuild, backend=backend,  # the store: $JIXIAO_STORE
                         fusion=fusion_mode(fusion), progress=embedded, maintain=maintain)
    say(1.0, "就绪")
    return Services(indexes=indexes, corpus=corpus)


def outdated(services) -> str:
    """Why what these services loaded is no longer what is stored (another process added documents or
    rebuilt the index: a `jixiao` command, another app replica); "" while it is current. Cheap: a file's
    size and time and the stored index manifest, no corpus read."""
    from corpus import store

    origin = getattr(services.corpus, "origin", None) or {}
    try:
        now = store.file_stamp(store.corpus_path())
    except OSError:
        now = {}
    if origin and now and {k: origin.get(k) for k in now} != now:
        return "语料文件已被其他进程更新"
    stored = services.indexes.stored_version()
    if stored is not None and stored != services.indexes.manifest.version():
        return "检索索引已被其他进程更新"
    return ""
