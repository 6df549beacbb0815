"""范例: browse the corpus by category, type, region, year and budget; good and flagged rows side by side."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.drafting.taxonomy import TYPES, classify
from assistant.findings import SEVERITY_LABEL
from assistant.validator import precedents_from_corpus, siblings_from, validate
from corpus import categories as cat


@st.cache_data(show_spinner="正在校验语料中的每一行…")
def _rows(_corpus, corpus_key: str) -> pd.DataFrame:
    projects = _corpus.projects()
    records = []
    for p in projects:
        findings = validate(p, precedents_from_corpus(p, _corpus), siblings_from(p, projects))
        ptype = classify(p.name, " ".join(p.goals))[0].label
        for i, r in enumerate(p.rows):
            own = [f for f in findings if f.row_index == i and f.severity in ("error", "warning")]
            records.append({
                "二级指标": r.level2.name, "三级指标": r.name, "指标值": r.value.raw.replace("\n", ""),
                "描述": r.description, "依据": r.basis, "项目": p.name, "类型": ptype, "单位": p.unit,
                "地区": p.region, "年度": p.year, "预算（万元）": p.budget.wan,
                "问题": "；".join(f"{SEVERITY_LABEL[f.severity]}：{f.message}" for f in own),
                "出处": r.provenance.where(),
                "好范例": not own and r.value.clean and r.value.number is not None and bool(r.description),
            })
    return pd.DataFrame(records)


def render(services, store, owner) -> None:
    st.header("范例：按指标类别浏览好的写法与被指出的问题")
    corpus = services.corpus
    frame = _rows(corpus, services.indexes.manifest.corpus_hash)
    c1, c2, c3, c4 = st.columns(4)
    level2 = c1.selectbox("二级指标", ["全部", *cat.LEVEL2])
    ptype = c2.selectbox("项目类型", ["全部", *[t.label for t in TYPES], "其他"])
    region = c3.selectbox("地区", ["全部", *sorted({r for r in frame["地区"] if r})])
    year = c4.selectbox("年度", ["全部", *sorted({int(y) for y in frame["年度"].dropna()})])
    budgets = frame["预算（万元）"].dropna()
    top = float(budgets.max()) if len(budgets) else 1.0
    low, high = st.slider("预算范围（万元）", 0.0, top, (0.0, top))
    view = frame
    if level2 != "全部":
        view = view[view["二级指标"] == level2]
    if ptype != "全部":
        view = view[view["类型"] == ptype]
    if region != "全部":
        view = view[view["地区"] == region]
    if year != "全部":
        view = view[view["年度"] == year]
    in_range = view["预算（万元）"].between(low, high)
    view = view[in_range | view["预算（万元）"].isna()] if (low, high) == (0.0, top) else view[in_range]
    st.caption(f"共 {len(view)} 行")
    good, bad = st.columns(2)
    cols = ["三级指标", "指标值", "描述", "依据", "项目", "单位", "出处"]
    with good:
        st.subheader("好范例")
        st.caption("可量化、有描述、未被校验指出问题")
        st.dataframe(view[view["好范例"]][cols], hide_index=True, width="stretch")
    with bad:
        st.subheader("被指出的问题")
        st.dataframe(view[view["问题"] != ""][["三级指标", "指标值", "问题", "项目", "出处"]],
                     hide_index=True, width="stretch")
