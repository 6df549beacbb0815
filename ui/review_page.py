"""审核: check an uploaded table, or a corpus project, against the rules and comparable precedents
(all of it done by assistant.review; this page only lays the result out)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.findings import SEVERITY_LABEL
from assistant.review import ProjectReview, RowReview, review_project, review_upload
from corpus.parse import SUPPORTED_SUFFIXES

from . import common


def render(services, store, owner) -> None:
    st.header("审核：对照规则与可比先例")
    corpus = services.corpus
    source = st.radio("审核对象", ["上传文件", "语料中的项目"], horizontal=True)
    reviews: list[ProjectReview] = []
    if source == "上传文件":
        uploaded = st.file_uploader("上传绩效目标表（.docx / .xlsx / .txt）",
                                    type=[s.lstrip(".") for s in sorted(SUPPORTED_SUFFIXES)])
        if uploaded is not None and not common.too_large(uploaded):
            result = review_upload(uploaded.name, uploaded.getvalue(), corpus, services.indexes)
            for issue in result.issues:
                (st.error if issue.severity == "error" else st.warning)(f"{issue.where}：{issue.message}")
            reviews = result.projects
    else:
        all_projects = corpus.projects()
        labels = [f"{p.name}｜{p.unit} {p.year or ''}" + (f"（目标{p.goal_number}）" if p.goal_number else "")
                  for p in all_projects]
        pick = st.selectbox("选择项目", range(len(all_projects)), format_func=lambda i: labels[i])
        reviews = [review_project(all_projects[pick], corpus, services.indexes)]
    for review in reviews:
        _show(review)


def _show(review: ProjectReview) -> None:
    project = review.project
    budget = f"{project.budget.wan:g}万元" if project.budget.wan is not None else "未列"
    st.subheader(f"{project.name}")
    st.caption(f"{project.unit} {project.year or ''}　预算：{budget}　出处：{project.provenance.where()}　"
               + "　".join(f"{SEVERITY_LABEL[s]} {n}" for s, n in review.counts.items()))
    for f in review.table_findings:
        st.warning(f"{SEVERITY_LABEL[f.severity]}：{f.message}" + (f"　建议：{f.fix}" if f.fix else ""))
    for r in review.rows:
        row = r.row
        mark = "❌" if r.has_error else ("⚠️" if r.findings else "✅")
        with st.expander(f"{mark} 第{r.index + 1}行　{row.level2.name}　{row.name}　{row.value.raw}"):
            for f in r.findings:
                st.markdown(f"- **{SEVERITY_LABEL[f.severity]}**：{f.message}" + (f"　建议：{f.fix}" if f.fix else ""))
            _precedents(r)


def _precedents(r: RowReview) -> None:
    if not r.precedents:
        st.caption("没有可比先例。")
        return
    st.dataframe(pd.DataFrame([{"单位": p.unit, "年度": str(p.year or ""), "项目": p.project,
                                "三级指标": p.name, "指标值": p.value,
                                "相似度": round(p.similarity, 2), "出处": p.where} for p in r.precedents]),
                 hide_index=True, width="stretch")
    if r.value_peers:
        data = pd.DataFrame({"先例": [f"{p.unit[:6]}·{p.name[:8]}" for p in r.value_peers] + ["本行"],
                             "值": [p.number for p in r.value_peers] + [r.row.value.number]})
        st.caption(f"本行的值在先例中的位置（单位：{r.row.value.unit}）")
        st.bar_chart(data, x="先例", y="值", height=220)
