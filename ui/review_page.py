"""审核: check uploaded tables (one file or a reviewer's pile), or a corpus project, against the rules and
comparable precedents (all of it done by assistant.review and assistant.review_report; this page only lays
the result out: a summary table, each table's report — verdict, reasons, rows — and its downloads)."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from assistant import drafts
from assistant.access import Identity
from assistant.drafting.convert import draft_to_project
from assistant.findings import SEVERITY_LABEL, row_label
from assistant.review import ProjectReview, RowReview, review_project, review_upload
from assistant.review_report import (
    DOCX_MIME,
    SUMMARY_COLUMNS,
    XLSX_MIME,
    FileReview,
    ReviewReport,
    report_bytes,
    report_file_name,
    report_of_review,
    review_upload_report,
    summary_rows,
)
from corpus.lazy import find_headings
from corpus.parse import SUPPORTED_SUFFIXES

from . import common
from .common import defang, plain

_VERDICT_BOX = {"submit": st.success, "revise": st.warning, "return": st.error}
PICK_LIST_MAX = 2000  # projects listed to pick from; a larger corpus is searched by name first


def render(services, store, user: Identity) -> None:
    st.header("审核：对照规则与可比先例")
    corpus = services.corpus
    source = st.radio("审核对象", ["上传文件", "语料中的项目", "共享给我的草稿"], horizontal=True)
    if source == "共享给我的草稿":
        _shared(services, store, user)
    elif source == "上传文件":
        uploaded = st.file_uploader("上传绩效目标表（.docx / .xlsx / .txt），可一次选多个文件",
                                    type=[s.lstrip(".") for s in sorted(SUPPORTED_SUFFIXES)],
                                    accept_multiple_files=True)
        files = [u for u in uploaded or [] if not common.too_large(u)]
        reviewed = [_reviewed(u.name, u.getvalue(), services) for u in files]
        for upload, _ in reviewed:
            for issue in upload.issues:
                (st.error if issue.severity == "error" else st.warning)(f"{plain(issue.where)}：{defang(issue.message)}")
        _pile([(upload, fr) for upload, fr in reviewed])
    else:
        headings = corpus.headings()  # names only: a stored corpus is not parsed whole
        if len(headings) > PICK_LIST_MAX:
            wanted = st.text_input(f"查找项目（共 {len(headings)} 个）", placeholder="项目名称或单位中的字词")
            found = find_headings(headings, wanted)
            if not found:
                st.info("请输入项目名称或单位中的字词。" if not wanted else "没有找到名称或单位含这些字的项目。")
                return
            if len(found) > PICK_LIST_MAX:
                st.caption(f"找到 {len(found)} 个，只列出前 {PICK_LIST_MAX} 个；请写得更具体些。")
            headings = found[:PICK_LIST_MAX]
        pick = st.selectbox("选择项目", range(len(headings)), format_func=lambda i: headings[i].label())
        review = review_project(corpus.project(headings[pick].id), corpus, services.indexes)
        _show(review, report_of_review(review), key="corpus")


def _shared(services, store, user: Identity) -> None:
    """Drafts their owners shared with this reviewer: read-only, with the review report of each."""
    shared = store.shared_with(user.id)
    if not shared:
        st.info("还没有人把草稿共享给您。起草人在「起草」页的「送审」中填写您的账号即可共享。")
        return
    labels = [f"{d.title}｜{d.owner}（{d.updated[5:16]}更新）" for d in shared]
    pick = st.selectbox("共享给我的草稿", range(len(shared)), format_func=lambda i: labels[i], key="shared-pick")
    state = drafts.open_shared(store, user.id, shared[pick].id)
    if state is None or state.draft is None or not state.draft.rows:
        st.warning("这份草稿还没有内容，或已不再共享给您。")
        return
    st.caption(plain(f"起草人：{shared[pick].owner}　只读：修改请告诉起草人。"))
    st.dataframe(pd.DataFrame([{"一级指标": r.level1, "二级指标": r.level2, "三级指标": r.name,
                                "绩效指标描述": r.description, "指标值": r.value.raw, "确定依据": r.basis}
                               for r in state.draft.rows]), hide_index=True, width="stretch")
    review = review_project(draft_to_project(state.draft), services.corpus, services.indexes)
    _show(review, report_of_review(review), key=f"shared-{shared[pick].id}")


def _reviewed(name: str, data: bytes, services):
    """An upload reviewed once per session (choosing another table does not review the pile again)."""
    cache = st.session_state.setdefault("review-cache", {})
    key = (name, hashlib.sha1(data).hexdigest())
    if key not in cache:
        upload = review_upload(name, data, services.corpus, services.indexes)
        cache[key] = (upload, review_upload_report(upload))
    return cache[key]


def _pile(reviewed) -> None:
    """The summary table of every uploaded table, downloads of all reports, then one table's report."""
    if not reviewed:
        return
    files: list[FileReview] = [fr for _, fr in reviewed]
    tables = [(pr, rep) for upload, fr in reviewed for pr, rep in zip(upload.projects, fr.reports)]
    if len(files) > 1 or len(tables) > 1:
        st.subheader(f"汇总：{len(files)}个文件、{len(tables)}个表")
        st.dataframe(pd.DataFrame(summary_rows(files), columns=SUMMARY_COLUMNS), hide_index=True, width="stretch")
        if tables:
            _downloads([rep for _, rep in tables], key="all", what="全部审核意见")
    if not tables:
        return
    if len(tables) == 1:
        pick = 0
    else:
        names = [f"{n + 1}. {rep.title}（{rep.source}）— {rep.verdict_label}" for n, (_, rep) in enumerate(tables)]
        pick = st.selectbox("查看哪一个表的审核意见", range(len(tables)), format_func=lambda i: names[i],
                            key="review-pick")
    review, report = tables[pick]
    _show(review, report, key=f"table-{pick}")


def _downloads(reports: list[ReviewReport], key: str, what: str) -> None:
    """The reports as bytes made once per set of reports and kept for the session (a callable
    would be run only on the click, and under load its file was often gone: HTTP 404)."""
    made = st.session_state.setdefault("report_files", {})
    version = hashlib.sha256("".join(r.model_dump_json() for r in reports).encode("utf-8")).hexdigest()
    if made.get(key, ("",))[0] != version:
        made[key] = (version, {fmt: report_bytes(reports, fmt) for fmt in ("xlsx", "docx")})
    files = made[key][1]
    c1, c2 = st.columns(2)
    c1.download_button(f"下载{what}（.xlsx）", data=files["xlsx"],
                       file_name=report_file_name(reports, ".xlsx"), mime=XLSX_MIME, key=f"rx-{key}", width="stretch")
    c2.download_button(f"下载{what}（.docx）", data=files["docx"],
                       file_name=report_file_name(reports, ".docx"), mime=DOCX_MIME, key=f"rd-{key}", width="stretch")


def _show(review: ProjectReview, report: ReviewReport, key: str) -> None:
    project = review.project
    st.subheader(plain(report.title))
    st.caption(plain(f"{project.unit} {project.year or ''}　预算：{report.budget}　出处：{project.provenance.where()}　")
               + "　".join(f"{SEVERITY_LABEL[s]} {n}" for s, n in report.counts.items()))
    _VERDICT_BOX[report.verdict]("**结论：" + report.verdict_label + "**\n\n"
                                 + "\n".join(f"- {defang(r)}" for r in report.reasons))
    _downloads([report], key=key, what="本表审核意见")
    for it in report.groups.get("error", []) + report.groups.get("warning", []) + report.groups.get("hint", []):
        if it.row is None:
            st.warning(f"{it.severity_label}：全表：{defang(it.text)}" + (f"　建议：{defang(it.fix)}" if it.fix else ""))
    by_row: dict[int, list] = {}
    for it in report.items:
        if it.row is not None:
            by_row.setdefault(it.row - 1, []).append(it)
    for r in review.rows:
        row = r.row
        mark = "✗" if r.has_error else ("⚠" if r.findings else "✓")  # plain symbols: no emoji font needed
        with st.expander(f"{mark} " + plain(f"{row_label(r.index, row.provenance)}　{row.level2.name}　{row.name}　{row.value.raw}")):
            for it in by_row.get(r.index, []):
                st.markdown(f"- **{it.severity_label}**：{defang(it.text)}" + (f"　建议：{defang(it.fix)}" if it.fix else "")
                            + f"　<small>（{it.rule}）</small>", unsafe_allow_html=True)
            _precedents(r)


def _precedents(r: RowReview) -> None:
    if not r.precedents:
        st.caption("没有可比先例。")
        return
    st.dataframe(pd.DataFrame([{"三级指标": p.name, "指标值": p.value, "出处": p.label,
                                "相似度": round(p.similarity, 2), "原始位置": p.where} for p in r.precedents]),
                 hide_index=True, width="stretch")
    if r.value_peers:
        data = pd.DataFrame({"先例": [f"{p.unit[:6]}·{p.name[:8]}" for p in r.value_peers] + ["本行"],
                             "值": [p.number for p in r.value_peers] + [r.row.value.number]})
        st.caption(f"本行的值在先例中的位置（单位：{plain(r.row.value.unit)}）")
        st.bar_chart(data, x="先例", y="值", height=220)
