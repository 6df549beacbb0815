"""语料: upload documents, preview what was read and what was skipped, add them to corpus and index."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from corpus.build import load_or_build, stats
from index.store import open_indexes as update_index
from corpus.library import add_documents, preview_upload
from corpus.parse import SUPPORTED_SUFFIXES

from . import common


def render(services, store, owner) -> None:
    st.header("语料：加入本单位或本地区已公开的绩效目标表")
    if "corpus_added" in st.session_state:
        st.success(st.session_state.pop("corpus_added"))
    corpus = services.corpus
    table = pd.DataFrame([s.model_dump() for s in stats(corpus)]).rename(columns={
        "source": "文件", "projects": "项目", "rows": "指标行", "unclean": "值未能解析", "errors": "错误",
        "warnings": "警告"})
    st.dataframe(table, hide_index=True, width="stretch")
    uploads = st.file_uploader("上传文件（可多选；.docx / .xlsx / .txt，UTF-8 或 GBK）", accept_multiple_files=True,
                               type=[s.lstrip(".") for s in sorted(SUPPORTED_SUFFIXES)])
    files = [(u.name, u.getvalue()) for u in uploads or [] if not common.too_large(u)]
    if not files:
        return
    results = [preview_upload(name, data) for name, data in files]
    for r in results:
        rows = sum(len(p.rows) for p in r.projects)
        if r.projects:
            st.success(f"{r.source}：{len(r.projects)} 个项目表，{rows} 行指标")
            st.dataframe(pd.DataFrame([{"项目": p.name, "单位": p.unit, "年度": p.year, "预算（万元）": p.budget.wan,
                                        "指标行": len(p.rows)} for p in r.projects]), hide_index=True)
        for issue in r.issues:
            (st.error if r.skipped else st.warning)(f"{'跳过 ' if r.skipped else ''}{issue.where}：{issue.message}")
    readable = [(name, data) for (name, data), r in zip(files, results) if r.projects]
    if readable and st.button(f"加入语料并更新索引（{len(readable)} 份文件）", type="primary"):
        bar = st.progress(0.0, text="正在加入语料…")
        added = add_documents(readable)
        new_rows = sum(len(p.rows) for r in results if r.projects for p in r.projects)
        done = 0

        def embedded(n: int) -> None:
            nonlocal done
            done += n
            bar.progress(min(0.95, 0.1 + 0.85 * done / max(1, 2 * new_rows)),
                         text=f"正在更新检索索引：已为 {done} 条新文本计算向量（已有的文本不再计算）…")

        bar.progress(0.1, text="正在更新检索索引…")
        status = update_index(load_or_build(), services.indexes.embedder, progress=embedded).status
        common.reload_services()
        common.services()  # loads the index just written
        bar.progress(1.0, text="完成")
        st.session_state["corpus_added"] = f"已加入 {len(added)} 份文件。{status}"
        st.rerun()  # the listing above shows the grown corpus
