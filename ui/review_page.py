"""审核: check an uploaded table, or a corpus project, against the rules and comparable precedents."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from assistant.findings import SEVERITY_LABEL
from assistant.validator import precedents_from_corpus, siblings_from, validate
from corpus.parse import SUPPORTED_SUFFIXES, parse_path
from index.records import Filters

from . import common


def _projects_from_upload(uploaded):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / Path(uploaded.name).name
        path.write_bytes(uploaded.getvalue())
        result = parse_path(path, uploaded.name)
    for issue in result.issues:
        (st.error if issue.severity == "error" else st.warning)(f"{issue.where}：{issue.message}")
    return result.projects


def render(services, store, owner) -> None:
    st.header("审核：对照规则与可比先例")
    corpus = services.corpus
    source = st.radio("审核对象", ["上传文件", "语料中的项目"], horizontal=True)
    projects = []
    if source == "上传文件":
        uploaded = st.file_uploader("上传绩效目标表（.docx / .xlsx / .txt）",
                                    type=[s.lstrip(".") for s in sorted(SUPPORTED_SUFFIXES)])
        if uploaded is not None and not common.too_large(uploaded):
            projects = _projects_from_upload(uploaded)
    else:
        all_projects = corpus.projects()
        labels = [f"{p.name}｜{p.unit} {p.year or ''}" + (f"（目标{p.goal_number}）" if p.goal_number else "")
                  for p in all_projects]
        pick = st.selectbox("选择项目", range(len(all_projects)), format_func=lambda i: labels[i])
        projects = [all_projects[pick]]
    for project in projects:
        _review(services, project)


def _review(services, project) -> None:
    corpus = services.corpus
    findings = validate(project, precedents_from_corpus(project, corpus),
                        siblings_from(project, corpus.projects()))
    counts = {s: sum(f.severity == s for f in findings) for s in SEVERITY_LABEL}
    budget = f"{project.budget.wan:g}万元" if project.budget.wan is not None else "未列"
    st.subheader(f"{project.name}")
    st.caption(f"{project.unit} {project.year or ''}　预算：{budget}　出处：{project.provenance.where()}　"
               + "　".join(f"{SEVERITY_LABEL[s]} {n}" for s, n in counts.items()))
    for f in (f for f in findings if f.row_index is None):
        st.warning(f"{SEVERITY_LABEL[f.severity]}：{f.message}" + (f"　建议：{f.fix}" if f.fix else ""))
    for i, row in enumerate(project.rows):
        own = [f for f in findings if f.row_index == i]
        mark = "❌" if any(f.severity == "error" for f in own) else ("⚠️" if own else "✅")
        with st.expander(f"{mark} 第{i + 1}行　{row.level2.name}　{row.name}　{row.value.raw}"):
            for f in own:
                st.markdown(f"- **{SEVERITY_LABEL[f.severity]}**：{f.message}" + (f"　建议：{f.fix}" if f.fix else ""))
            _precedents(services, project, row)


def _precedents(services, project, row) -> None:
    hits = services.indexes.search_rows(row.name, k=12, filters=Filters(level2=row.level2.name or None))
    hits = [h for h in hits if h.record.unit != project.unit][:8]
    if not hits:
        st.caption("没有可比先例。")
        return
    st.dataframe(pd.DataFrame([{"单位": h.record.unit, "项目": h.record.project, "三级指标": h.record.name,
                                "指标值": h.record.value_raw, "相似度": round(h.vector_score or 0, 2),
                                "出处": h.record.where} for h in hits]), hide_index=True, width="stretch")
    same_unit = [h.record for h in hits if h.record.number is not None and h.record.value_unit == row.value.unit]
    if len(same_unit) >= 2 and row.value.number is not None:
        data = pd.DataFrame({"先例": [f"{r.unit[:6]}·{r.name[:8]}" for r in same_unit] + ["本行"],
                             "值": [r.number for r in same_unit] + [row.value.number]})
        st.caption(f"本行的值在先例中的位置（单位：{row.value.unit}）")
        st.bar_chart(data, x="先例", y="值", height=220)
