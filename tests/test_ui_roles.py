"""Signed-in users through AppTest (st.user set by the test; the real sign-in through an OIDC provider
is in test_browser_sso.py): which pages each role is offered, a reviewer's shared drafts, the corpus
closed to all but 管理, and a sign-in configuration Streamlit was not given."""

from pathlib import Path

import pytest
from conftest import open_app
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.usefixtures("prebuilt_home")]

AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "a-long-random-cookie-secret",
        "client_id": "jixiao", "client_secret": "s3cret",
        "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}


@pytest.fixture
def sso(prebuilt_home):
    lines = ["[auth]", *(f'{k} = "{v}"' for k, v in AUTH.items())]
    (prebuilt_home / "auth.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return prebuilt_home


def _app(user: dict | None, page=None, streamlit_has_auth=True) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    if streamlit_has_auth:  # what `jixiao ui` gives Streamlit (--secrets.files auth.toml)
        at.secrets["auth"] = AUTH
    at.user = {"is_logged_in": False} if user is None else {"is_logged_in": True, **user}
    return open_app(at, page)


def _pages(at) -> list[str]:
    return list(at.sidebar.radio(key="page").options)


def test_signed_out_sees_only_the_sign_in_button(sso):
    at = _app(None)
    assert [b.label for b in at.button] == ["登录"]
    assert not at.sidebar.radio and not at.chat_input


def test_pages_offered_by_role(sso):
    assert _pages(_app({"email": "a@x.cn", "roles": ["起草"]})) == ["起草", "语料"]
    assert _pages(_app({"email": "r@x.cn", "roles": ["审核"]})) == ["审核", "语料"]
    assert _pages(_app({"email": "t@x.cn", "roles": "培训"})) == ["范例", "语料"]
    assert _pages(_app({"email": "n@x.cn"})) == ["起草", "语料"]  # no roles claim: default_roles
    who = _app({"email": "m@x.cn", "name": "王科长", "roles": ["管理", "起草"]})
    assert any("王科长" in c.value and "管理" in c.value for c in who.sidebar.caption)
    assert "退出登录" in [b.label for b in who.sidebar.button]


def test_only_an_admin_may_add_to_the_corpus(sso, tmp_path, seed_results):
    from corpus.export import write_docx

    path = write_docx([seed_results["004"].projects[8]], tmp_path / "新文件.docx")
    drafter = _app({"email": "a@x.cn", "roles": ["起草"]}, page="语料")
    drafter.file_uploader[0].upload("新文件.docx", path.read_bytes()).run()
    assert any("1 个项目表" in s.value for s in drafter.success)  # the preview is there
    assert not [b for b in drafter.button if b.label.startswith("加入语料")]  # the button is not
    assert any("管理" in i.value for i in drafter.info)
    admin = _app({"email": "m@x.cn", "roles": ["管理"]}, page="语料")
    admin.file_uploader[0].upload("新文件.docx", path.read_bytes()).run()
    assert [b for b in admin.button if b.label.startswith("加入语料")]


def test_reviewer_sees_only_drafts_shared_with_him_or_her(sso):
    from assistant import chat, drafts
    from assistant.services import load_services
    from ui.common import draft_store

    store, services = draft_store(), load_services()
    state = chat.ChatState()
    chat.respond(state, "车辆保险费，预算0.4万元，保障公务用车正常使用", services)
    shared = drafts.save_draft(store, "alice@x.cn", None, state, "对话")
    other = chat.ChatState()
    chat.respond(other, "社区居家养老服务站运营，预算40万元，服务13个社区的350名老人", services)
    drafts.save_draft(store, "alice@x.cn", None, other, "对话")  # not shared
    drafts.share_draft(store, "alice@x.cn", shared, "rita@x.cn")

    rita = _app({"email": "rita@x.cn", "roles": ["审核"]}, page="审核")
    rita.radio[0].set_value("共享给我的草稿").run()
    assert not rita.exception, rita.exception
    pick = rita.selectbox(key="shared-pick")
    assert len(pick.options) == 1 and "车辆保险费" in pick.options[0] and "alice@x.cn" in pick.options[0]
    rows = rita.dataframe[0].value
    assert "车辆保险费" not in set(rows["三级指标"]) and len(rows) == len(state.draft.rows)
    assert any(m.value.startswith("**结论：") for m in [*rita.error, *rita.warning, *rita.success])
    assert not rita.data_editor and not rita.chat_input  # read-only
    robert = _app({"email": "rob@x.cn", "roles": ["审核"]}, page="审核")
    robert.radio[0].set_value("共享给我的草稿").run()
    assert any("还没有人" in i.value for i in robert.info)


def test_drafter_shares_from_the_sidebar(sso):
    from ui.common import draft_store

    at = _app({"email": "alice@x.cn", "roles": ["起草"]})
    at.chat_input[0].set_value("车辆保险费，预算0.4万元，保障公务用车正常使用").run()
    at.sidebar.text_input(key="share-to").set_value("rita@x.cn").run()
    at.sidebar.button(key="share").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("已共享给") for s in at.sidebar.success)
    assert [d.title for d in draft_store().shared_with("rita@x.cn")] == ["车辆保险费"]


def test_sign_in_configured_but_not_given_to_streamlit_is_refused(sso):
    at = _app(None, streamlit_has_auth=False)
    assert any("jixiao ui" in e.value for e in at.error)
    assert not at.sidebar.radio and not at.chat_input
