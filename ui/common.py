"""What every page shares: the user's identity, the loaded services, the draft store."""

from __future__ import annotations

import uuid

import streamlit as st

from assistant.corpus_admin import MAX_UPLOAD_MB
from assistant.corpus_admin import too_large as _too_large
from assistant.draft_store import DraftStore
from corpus.store import home


@st.cache_resource(show_spinner=False)
def _services(data_folder: str):
    from assistant.services import load_services

    box = st.empty()  # what is happening and how far, instead of a blank wait; cleared when ready
    bar = box.progress(0.0, text="正在启动…")
    services = load_services(report=lambda fraction, text: bar.progress(fraction, text=text))
    box.empty()
    return services


def services():
    """Loaded once per data folder (a test or a second instance with its own JIXIAO_HOME gets its own)."""
    return _services(str(home()))


def reload_services() -> None:
    _services.clear()


@st.cache_resource
def _draft_store(data_folder: str) -> DraftStore:
    return DraftStore()


def draft_store() -> DraftStore:
    return _draft_store(str(home()))


def owner() -> str:
    """A per-browser identity kept in the address (?u=…): a refresh keeps it, another browser
    gets its own, so two users never see each other's drafts."""
    user = st.query_params.get("u")
    if not user:
        user = uuid.uuid4().hex[:16]
        st.query_params["u"] = user
    return user


def too_large(uploaded) -> bool:
    if _too_large(uploaded.size):
        st.error(f"「{uploaded.name}」超过 {MAX_UPLOAD_MB} MB，未读取。")
        return True
    return False
