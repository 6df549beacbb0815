"""What every page shares: the loaded services, the draft store, safe text (the user's identity: ui/auth.py)."""

from __future__ import annotations

import re
import time

import streamlit as st

from assistant.corpus_admin import MAX_UPLOAD_MB
from assistant.corpus_admin import too_large as _too_large
from assistant.draft_store import DraftStore, DraftsUnavailable
from corpus.store import DamagedData, home, notice, take_notices
from index.milvus_client import StoreUnavailable


@st.cache_resource(show_spinner=False)
def _services(data_folder: str):
    from assistant.services import load_services

    box = st.empty()  # what is happening and how far, instead of a blank wait; cleared when ready
    bar = box.progress(0.0, text="正在启动…")
    services = load_services(report=lambda fraction, text: bar.progress(fraction, text=text))
    box.empty()
    return services


CHECK_EVERY_S = 10.0  # how often a rerun looks whether another process changed the corpus or the index
_checked: dict[str, float] = {}


def services():
    """Loaded once per data folder (a test or a second instance with its own JIXIAO_HOME gets its own),
    and loaded again when another process (a `jixiao` command, another replica on a shared Milvus)
    has added documents or rebuilt the index since."""
    from assistant.services import outdated

    folder = str(home())
    loaded = _services(folder)
    now = time.monotonic()
    if now - _checked.get(folder, 0.0) >= CHECK_EVERY_S:
        _checked[folder] = now
        why = outdated(loaded)
        if why:
            notice(f"{why}，已重新载入。")
            reload_services()
            loaded = _services(folder)
    return loaded


def reload_services() -> None:
    _services.clear()


@st.cache_resource
def _draft_store(data_folder: str, url: str | None) -> DraftStore:
    return DraftStore(url=url) if url else DraftStore()


def draft_store() -> DraftStore:
    """One per data folder and database URL, shared by every session of this process (on PostgreSQL:
    one small pool of connections)."""
    from index.settings import database_url

    return _draft_store(str(home()), database_url())


def show_notices() -> None:
    """Damaged or unwritable data: what happened, in a warning kept for the rest of this session."""
    said = st.session_state.setdefault("_notices", [])
    for message in take_notices():
        if message not in said:
            said.append(message)
    for message in said:
        st.warning(message)


def failure_message(exc: Exception) -> str:
    if isinstance(exc, DamagedData):
        return f"数据已损坏，无法打开：{exc}"
    if isinstance(exc, StoreUnavailable):
        return str(exc)
    if isinstance(exc, DraftsUnavailable):
        return f"这项更改没有保存。{exc}"
    if isinstance(exc, PermissionError):
        return "数据文件夹只读，这项更改无法保存；查看和检索仍可使用。"
    return "出了点问题，这一步没有完成。请刷新页面重试；若反复出现，请把时间告诉管理员（详情已写入日志）。"


def too_large(uploaded) -> bool:
    if _too_large(uploaded.size):
        st.error(f"「{plain(uploaded.name)}」超过 {MAX_UPLOAD_MB} MB，未读取。")
        return True
    return False


# -- text from users and documents is data, never markup ---------------------------------------

_MD_PUNCT = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$:@&=\"'])")
_DANGER = re.compile(r"(?<!\\)([\[\]<>@])")
_AUTOLINK = re.compile(r"(?i)\b(https?|ftp|www)([:.])")
_EMAIL = re.compile(r"(?<=[\w.+-])(\\?@)(?=[\w-])")


def _no_autolink(text: str) -> str:
    # GFM turns http://…, www.… and name@host (a signed-in user's account) into links even when
    # escaped: a zero-width space after the scheme or the @ (invisible) keeps them text
    return _EMAIL.sub("\\1\u200b", _AUTOLINK.sub("\\1\u200b\\2", text))


def plain(text) -> str:
    """User or document text for a Markdown element (markdown, caption, info/warning, labels of
    buttons and expanders): every Markdown character escaped, so `![x](http://…)` is shown as
    those characters and makes no image, link or HTML."""
    return _MD_PUNCT.sub(r"\\\1", _no_autolink(str(text or "")))


def defang(text) -> str:
    """A composed message (the assistant's replies, a finding) that quotes user or document text:
    its bold and tables stay, but no image, link, autolink or HTML can be made from it."""
    text = _DANGER.sub(r"\\\1", str(text or ""))
    return _no_autolink(text)
