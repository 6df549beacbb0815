"""范例: browse the corpus by category, type, region, year and budget; pairs of a flagged row beside a good
one of the same kind, with what is wrong and how to fix it, exported as a training sheet (.docx);
all rows behind (rows, filters, pairs and the sheet come from assistant.examples)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant import examples
from assistant.findings import SEVERITY_LABEL


@st.cache_data(show_spinner="正在校验语料中的每一行…")
def _rows(_corpus, _index, corpus_key: str) -> tuple[list[examples.ExampleRow], int, int]:
    """(rows, projects they come from, projects in the corpus)."""
    projects, total = examples.example_projects(_corpus)
    return examples.example_rows(_corpus, _index, projects), len(projects), total


def _frame(rows: list[examples.ExampleRow], columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame([{
        "三级指标": r.name, "指标值": r.value, "描述": r.description, "依据": r.basis, "项目": r.project,
        "单位": r.unit, "问题": "；".join(f"{SEVERITY_LABEL[f.severity]}：{f.message}" for f in r.problems),
        "出处": r.where} for r in rows], columns=columns)


def render(services, store, user) -> None:
    st.header("范例：按指标类别浏览好的写法与被指出的问题")
    rows, shown, total = _rows(services.corpus, services.indexes, services.indexes.manifest.corpus_hash)
    if shown < total:
        st.caption(f"语料共 {total} 个项目；本页按单位抽取其中 {shown} 个项目的指标行（抽到的单位，其项目全部在内）。")
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
    f = examples.ExampleFilter(level2=level2, project_type=ptype, region=region, year=year, budget=budget)
    _pairs(rows, view, f)
    good_rows, flagged_rows = examples.split(view)
    with st.expander(f"全部行：好范例 {len(good_rows)} 行，被指出问题 {len(flagged_rows)} 行"):
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


PAIRS_SHOWN = 20  # pairs laid out on the page; the sheet takes all chosen ones


def _pairs(rows, view, f) -> None:
    """Pairs for a training session: a flagged row beside a good one of the same kind, in full text."""
    pairs = examples.pairs(view)
    st.subheader(f"对照范例（{len(pairs)} 组）")
    if not pairs:
        hints = examples.widen(rows, f)
        st.info("这些条件下没有成对的范例。" + ("；".join(hints) + "。" if hints else "请放宽筛选条件。"))
        return
    labels = [f"{i}. {p.kind}：{p.flagged.name}" for i, p in enumerate(pairs, 1)]
    picked = st.multiselect("选入培训材料的范例（不选即全部）", labels, key="pairs-chosen")
    chosen = [pairs[labels.index(x)] for x in picked] or pairs
    st.download_button(f"下载培训材料（.docx，{len(chosen)} 组）", examples.training_sheet(chosen),
                       file_name="绩效指标培训材料.docx",
                       mime="application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    if len(pairs) > PAIRS_SHOWN:
        st.caption(f"页面显示前 {PAIRS_SHOWN} 组；用上面的筛选缩小范围。")
    for label, p in list(zip(labels, pairs))[:PAIRS_SHOWN]:
        with st.container(border=True):
            st.text(label)  # document text is shown as text, never as markup
            bad, good = st.columns(2)
            with bad:
                st.caption("问题写法")
                st.text(f"「{p.flagged.name}」{p.flagged.value}\n{p.flagged.unit} {p.flagged.year or ''}「{p.flagged.project}」")
                st.caption("问题")
                st.text(p.wrong)
                st.caption("改法")
                st.text(p.fix)
            with good:
                st.caption("好范例")
                st.text(f"「{p.good.name}」{p.good.value}\n{p.good.description}\n"
                        f"{p.good.unit} {p.good.year or ''}「{p.good.project}」")
