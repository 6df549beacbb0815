"""语料: upload documents, preview what was read and what was skipped, add them to corpus and index
(through assistant.corpus_admin)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant import access, corpus_admin
from assistant.access import Action, Identity
from corpus.build import stats
from corpus.parse import SUPPORTED_SUFFIXES

from . import common
from .common import defang, plain


def render(services, store, user: Identity) -> None:
    may_add = access.may(user, Action.add_corpus)
    st.header("语料：加入本单位或本地区已公开的绩效目标表" if may_add else "语料：查看共享语料，预览文件")
    if not may_add:
        st.info("只有「管理」角色可以把文件加入共享语料；您可以上传文件预览读到了什么。")
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
    results = corpus_admin.preview(files)
    for r in results:
        rows = sum(len(p.rows) for p in r.projects)
        if r.projects:
            st.success(f"{plain(r.source)}：{len(r.projects)} 个项目表，{rows} 行指标")
            st.dataframe(pd.DataFrame([{"项目": p.name, "单位": p.unit, "年度": p.year, "预算（万元）": p.budget.wan,
                                        "指标行": len(p.rows)} for p in r.projects]), hide_index=True)
        for issue in r.issues:
            (st.error if r.skipped else st.warning)(f"{'跳过 ' if r.skipped else ''}{plain(issue.where)}：{defang(issue.message)}")
    readable = corpus_admin.readable(files, results)
    if not may_add:  # the button is not offered
        return
    if readable and st.button(f"加入语料并更新索引（{len(readable)} 份文件）", type="primary"):
        access.require(user, Action.add_corpus)
        bar = st.progress(0.0, text="正在加入语料…")
        added = corpus_admin.add_to_corpus(readable, services.indexes.embedder,
                                           progress=lambda fraction, text: bar.progress(fraction, text=text))
        common.reload_services()
        common.services()  # loads the index just written
        st.session_state["corpus_added"] = f"已加入 {len(added.sources)} 份文件。{added.index_status}"
        st.rerun()  # the listing above shows the grown corpus
