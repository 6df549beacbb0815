"""Streamlit entry point: `jixiao ui` (or `streamlit run ui/app.py`). Pages only lay out widgets and
call assistant/ (the same functions as the CLI; corpus/ for the listing and file types); no business
logic lives here."""

from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

# `streamlit run ui/app.py` puts ui/ on the path, not the project root
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st  # noqa: E402

# a failure shows the page's short Chinese message, never a traceback, however the app was started
# (`jixiao ui` or a plain `streamlit run ui/app.py`); JIXIAO_DEV keeps the details
if not os.environ.get("JIXIAO_DEV"):
    st.set_option("client.showErrorDetails", "none")

from assistant import access  # noqa: E402
from ui import auth, common, corpus_page, draft_page, examples_page, review_page  # noqa: E402

PAGES = {"起草": draft_page, "审核": review_page, "范例": examples_page, "语料": corpus_page}


def main() -> None:
    st.set_page_config(page_title="绩效目标起草助手", page_icon="📋", layout="wide")
    user = auth.identity()  # stops here with a sign-in page or a refusal when nobody may be served
    offered = access.pages_for(user)  # a page the user's roles do not open is not offered
    with st.sidebar:
        st.title("绩效目标起草助手")
        page = st.radio("页面", offered, key="page", label_visibility="collapsed")
        auth.sidebar(user)
        st.caption("所有模型和数据均在本机，运行时不联网。")
    try:
        access.require(user, access.PAGES[page])  # and refused if reached all the same
        services = common.services()
        drafts = common.draft_store()
        common.show_notices()
        PAGES[page].render(services, drafts, user)
        common.show_notices()  # what happened to the drafts database while the page ran
    except access.AccessDenied as exc:
        auth.refused(exc)
    except Exception as exc:  # noqa: BLE001 — the user sees a short message, the log the traceback
        if _rerun_or_stop(exc):
            raise
        logging.getLogger("jixiao.ui").exception("页面出错：%s", page)
        if os.environ.get("JIXIAO_DEV"):
            raise
        common.show_notices()
        st.error(common.failure_message(exc))


def _rerun_or_stop(exc: Exception) -> bool:
    """Streamlit's own control flow (st.rerun, st.stop) travels as exceptions: let them through."""
    return type(exc).__module__.startswith("streamlit")


main()
