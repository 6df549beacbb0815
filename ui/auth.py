"""Who is at the keyboard: the user signed in through the unit's single sign-on (Streamlit's
st.login / st.user / st.logout, OIDC) or, without sign-in configured, the one local user. What an
identity may do is decided by assistant.access; this module only asks and lays out."""

from __future__ import annotations

import streamlit as st

from assistant import access
from assistant.access import Identity

from .common import plain


def identity() -> Identity:
    """The identity of this session; stops the page (after saying why) when nobody may be served."""
    try:
        settings = access.load_settings()
    except access.AuthError as exc:
        _refuse(str(exc))
    if settings is None:
        if _remote():
            _refuse(access.LOCAL_ONLY_MESSAGE.format(path=access.auth_path()))
        return access.LOCAL_IDENTITY
    if not _streamlit_has_auth():
        _refuse(f"已配置统一身份认证（{settings.path}），但网页服务没有读到这些设置：请用 `jixiao ui` 启动。")
    if not st.user.is_logged_in:
        _sign_in_page()
    try:
        return access.identity_from_claims(st.user.to_dict(), settings)
    except access.AuthError as exc:
        st.error(str(exc))
        st.button("退出登录", on_click=st.logout)
        st.stop()


def _remote() -> bool:
    """A connection from another machine: Streamlit gives None for loopback (and, under AppTest, no
    real address at all)."""
    ip = st.context.ip_address
    return isinstance(ip, str) and bool(ip)


def _streamlit_has_auth() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 — no secrets file at all: Streamlit raises its own not-found error
        return False


def _refuse(message: str):
    st.error(message)
    st.stop()


def _sign_in_page():
    st.title("绩效目标起草助手")
    st.info("请使用本单位统一身份认证登录。")
    st.button("登录", type="primary", on_click=st.login)
    st.stop()


def sidebar(user: Identity) -> None:
    """Who is signed in, with which roles, and the way out."""
    roles = "、".join(r.value for r in access.Role if r in user.roles) or "无"
    if user.local:
        st.caption(f"本机单用户模式（未配置登录），角色：{roles}")
        return
    st.caption(plain(f"当前用户：{user.name}（{user.id}）") + f"　角色：{roles}")
    st.button("退出登录", on_click=st.logout, key="logout")


def refused(exc: access.AccessDenied) -> None:
    st.error(str(exc))
