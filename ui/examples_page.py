"""范例: browse the corpus by category, type, region, year and budget; good and flagged rows side by side
(rows, filters and the good/flagged split come from assistant.examples)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant import examples
from assistant.findings import SEVERITY_LABEL


@st.cache_data(show_spinner="正在校验语料中的每一行…")
def _rows(_corpus, corpus_key: str) -> list[examples.ExampleRow]:
    return examples.example_rows(_corpus)


def _frame(rows: list[examples.ExampleRow], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{
        "三级指标": r.name, "指标值": r.value, "描述": r.description, "依据": r.basis, "项目": r.project,
        "单位": r.unit, "问题": "；".join(f"{SEVERITY_LABEL[f.severity]}：{f.message}" for f in r.problems),
        "出处": r.where} for r in rows], columns=columns)


def render(services, store, owner) -> None:
    st.header("范例：按指标类别浏览好的写法与被指出的问题")
    rows = _rows(services.corpus, services.indexes.manifest.corpus_hash)
    choices = examples.choices(rows)
    c1, c2, c3, c4 = st.columns(4)
    level2 = c1.selectbox("二级指标", [examples.ALL, *choices.level2])
    ptype = c2.selectbox("项目类型", [examples.ALL, *choices.project_types])
    region = c3.selectbox("地区", [examples.ALL, *choices.regions])
    year = c4.selectbox("年度", [examples.ALL, *choices.years])
    top = choices.budget_max
    budget = st.slider("预算范围（万元）", 0.0, top, (0.0, top))
    view = examples.filter_rows(rows, examples.ExampleFilter(level2=level2, project_type=ptype, region=region,
                                                             year=year, budget=budget))
    st.caption(f"共 {len(view)} 行")
    good_rows, flagged_rows = examples.split(view)
    good, bad = st.columns(2)
    with good:
        st.subheader("好范例")
        st.caption("可量化、有描述、未被校验指出问题")
        st.dataframe(_frame(good_rows, ["三级指标", "指标值", "描述", "依据", "项目", "单位", "出处"]),
                     hide_index=True, width="stretch")
    with bad:
        st.subheader("被指出的问题")
        st.dataframe(_frame(flagged_rows, ["三级指标", "指标值", "问题", "项目", "出处"]),
                     hide_index=True, width="stretch")
