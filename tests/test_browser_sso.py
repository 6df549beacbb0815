"""Sign-in end to end: a real OIDC provider on localhost (oidc-provider-mock, in a thread of the test
process), `jixiao ui` started as users start it (it hands auth.toml to Streamlit), and headless Chromium
signing users in on the provider's own page. Shows: sign-in works; two users do not see each other's
drafts; a reviewer sees only the drafts shared with him or her; a user without 管理 cannot add to the
corpus; without sign-in configured the app refuses a non-local address and a remote connection."""

import os
import re
import subprocess
import sys

import pytest
from browser_support import ROOT, free_port, start, start_ui, stop, wait_idle, wait_up

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ALICE, BOB, RITA, MIKE = "alice@example.gov.cn", "bob@example.gov.cn", "rita@example.gov.cn", "mike@example.gov.cn"
USERS = {ALICE: ["起草"], BOB: ["起草"], RITA: ["审核"], MIKE: ["管理", "起草"]}


@pytest.fixture(scope="module")
def provider():
    """The identity provider: each user of USERS has a button on its authorization page."""
    from oidc_provider_mock import User, run_server_in_thread

    before = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"  # plain http on localhost, in this test only
    users = [User(sub=who, claims={"email": who, "name": who.split("@")[0], "roles": roles})
             for who, roles in USERS.items()]
    with run_server_in_thread(port=0, user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"
    if before is None:
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)


@pytest.fixture(scope="module")
def server(tmp_path_factory, prebuilt, provider):
    import shutil

    home = tmp_path_factory.mktemp("sso-home")
    shutil.copytree(prebuilt.home, home, dirs_exist_ok=True)
    port = free_port()
    (home / "auth.toml").write_text(f"""
[auth]
redirect_uri = "http://localhost:{port}/oauth2callback"
cookie_secret = "a-long-random-cookie-secret-for-the-tests"
client_id = "jixiao"
client_secret = "jixiao-secret"
server_metadata_url = "{provider}/.well-known/openid-configuration"

[jixiao]
identity_claim = "email"
roles_claim = "roles"
""", encoding="utf-8")
    proc = start_ui(home, port, "127.0.0.1", str(tmp_path_factory.getbasetemp() / "embedding-cache"))
    url = f"http://localhost:{port}"
    wait_up(proc, f"http://127.0.0.1:{port}")
    yield url
    stop(proc)


def _sign_in(browser, url: str, who: str):
    """A browser of its own (own cookies) signed in as `who` on the provider's page."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    page.goto(url)
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(re.compile(r".*/oauth2/authorize.*"), timeout=60_000)
    page.get_by_role("button", name=who, exact=True).click()
    page.get_by_text("当前用户").wait_for(timeout=180_000)
    wait_idle(page)
    return page


def _text(locator) -> str:
    return locator.inner_text().replace("\u200b", "")  # the zero-width space that keeps an account from becoming a link


def _sidebar_pages(page) -> list[str]:
    labels = page.get_by_test_id("stSidebar").locator("[role=radiogroup] label")
    labels.first.wait_for(timeout=60_000)  # a rerun may be redrawing the sidebar
    return labels.all_inner_texts()


def _draft(page, text: str) -> str:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    page.get_by_text("每一行的依据").wait_for(timeout=180_000)
    wait_idle(page)
    return re.search(r"[?&]d=([0-9a-f]+)", page.url).group(1)


def test_sign_in_own_drafts_and_review_sharing(server, browser, shots):
    # signing in: the app shows only a sign-in button, the provider's page, then the app as alice
    alice = _sign_in(browser, server, ALICE)
    assert ALICE in _text(alice.get_by_test_id("stSidebar"))
    assert alice.locator("a[href^='mailto:']").count() == 0  # the account is shown as text, not a link
    assert _sidebar_pages(alice) == ["起草", "语料"]  # 起草 only: no 审核, no 范例
    alice.screenshot(path=shots / "sso-1-alice.png")
    draft = _draft(alice, "车辆保险费，预算0.4万元，保障公务用车正常使用")

    # bob, with alice's draft in his address: not opened, not listed
    bob = _sign_in(browser, server, BOB)
    bob.goto(f"{server}/?d={draft}")  # after signing in (the provider sends him back to the start page)
    bob.get_by_text("不属于您").first.wait_for(timeout=60_000)
    assert "车辆保险费" not in bob.get_by_test_id("stSidebar").inner_text()
    bob_draft = _draft(bob, "社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务")
    assert bob_draft != draft

    # alice shares hers with rita
    alice.get_by_text("送审：共享给审核人").click()
    alice.get_by_label("审核人的账号").fill(RITA)
    alice.get_by_role("button", name="共享这份草稿").click()
    alice.get_by_text("已共享给").wait_for(timeout=60_000)
    wait_idle(alice)

    # rita: 审核 only; among drafts shared with her, alice's and not bob's, read-only, with its report
    rita = _sign_in(browser, server, RITA)
    assert _sidebar_pages(rita) == ["审核", "语料"]
    rita.get_by_text("审核：对照规则与可比先例").wait_for(timeout=60_000)
    rita.get_by_text("共享给我的草稿", exact=True).first.click()
    wait_idle(rita)
    rita.get_by_text("结论：").first.wait_for(timeout=180_000)
    body = _text(rita.locator("[data-testid=stMain]"))
    assert "车辆保险费" in body and ALICE in body and "居家养老" not in body
    assert rita.get_by_test_id("stChatInputTextArea").count() == 0  # nothing to edit with
    rita.screenshot(path=shots / "sso-2-rita-shared.png", full_page=True)

    # signing out brings the sign-in button back (clicked once the page is idle: a click during a rerun
    # can be lost)
    wait_idle(rita)
    rita.get_by_role("button", name="退出登录").click()
    rita.get_by_role("button", name="登录").wait_for(timeout=60_000)
    for page in (alice, bob, rita):
        page.context.close()


def test_only_an_admin_can_add_to_the_corpus(server, browser, tmp_path, seed_results):
    from corpus.export import write_docx

    upload = write_docx([seed_results["004"].projects[8]], tmp_path / "新文件.docx")
    for who, may_add in ((ALICE, False), (MIKE, True)):
        page = _sign_in(browser, server, who)
        page.get_by_test_id("stSidebar").get_by_text("语料", exact=True).click()
        wait_idle(page)
        page.locator("input[type=file]").set_input_files([str(upload)])
        page.get_by_text("1 个项目表").first.wait_for(timeout=120_000)
        wait_idle(page)
        assert (page.get_by_role("button", name=re.compile("加入语料")).count() > 0) is may_add, who
        if not may_add:
            assert page.get_by_text("只有「管理」角色").count() == 1
        page.context.close()


def test_local_mode_refuses_a_non_local_address(tmp_path):
    """No auth.toml: `jixiao ui --address 0.0.0.0` says why in Chinese and exits non-zero."""
    env = dict(os.environ, JIXIAO_HOME=str(tmp_path))
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "ui", "--address", "0.0.0.0", "--port", "9"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert "只供本机一人使用" in done.stderr and "127.0.0.1" in done.stderr


def _own_address() -> str | None:
    import socket

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        try:
            s.connect(("192.0.2.1", 9))  # no packet is sent: this only picks the outgoing interface
            ip = s.getsockname()[0]
        except OSError:
            return None
    return None if ip.startswith("127.") else ip


def test_local_mode_refuses_a_connection_from_another_machine(tmp_path, browser, prebuilt):
    """Started around the CLI (`streamlit run --server.address 0.0.0.0`) without sign-in: a browser
    that reaches it by the machine's network address gets the refusal, not the drafts."""
    import shutil

    ip = _own_address()
    if ip is None:
        pytest.skip("this machine has no network address other than loopback")
    home = tmp_path / "home"
    shutil.copytree(prebuilt.home, home)
    port = free_port()
    proc = start([sys.executable, "-m", "streamlit", "run", str(ROOT / "ui" / "app.py"), "--server.headless", "true",
                   "--server.port", str(port), "--server.address", "0.0.0.0", "--browser.gatherUsageStats", "false"], home)
    try:
        wait_up(proc, f"http://127.0.0.1:{port}")
        page = browser.new_page()
        page.goto(f"http://{ip}:{port}")
        page.get_by_text("只供本机一人使用").wait_for(timeout=120_000)
        assert page.get_by_test_id("stChatInputTextArea").count() == 0
        page.close()
    finally:
        stop(proc)
