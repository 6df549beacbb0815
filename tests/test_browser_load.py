"""Ten browser sessions at once against one server: each drafts a project by chat and downloads
its .xlsx; every download must arrive and parse back. Prints the time each page took."""

import time

import pytest

from corpus.parse import parse_path

from browser_support import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]
SESSIONS = 10


def test_ten_sessions_draft_and_download(server, browser, tmp_path):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    pages = []
    for n in range(SESSIONS):
        page = context.new_page()
        page.goto(server)  # one local user; each session gets a draft of its own
        pages.append(page)
    for page in pages:
        page.get_by_text("起草绩效目标表").wait_for(timeout=240_000)
    start = time.perf_counter()
    for n, page in enumerate(pages):
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill(f"社区居家养老服务站运营，预算{40 + n}万元，为13个社区的350名老人提供居家养老服务")
        box.press("Enter")
    ready = []
    for page in pages:
        page.get_by_text("每一行的依据").wait_for(timeout=600_000)
        wait_idle(page, timeout=600_000)
        ready.append(time.perf_counter() - start)
    downloads = []
    for page in pages:
        page.on("download", lambda d: downloads.append(d))
    clicked = time.perf_counter()
    for page in pages:
        page.get_by_role("button", name="下载 Excel（.xlsx）").click()
    deadline = time.time() + 120
    while len(downloads) < SESSIONS and time.time() < deadline:
        pages[0].wait_for_timeout(200)
    got = time.perf_counter() - clicked
    parsed = []
    for n, d in enumerate(downloads):
        target = tmp_path / f"{n}.xlsx"
        d.save_as(target)
        assert d.failure() is None
        parsed.append(parse_path(target))
    print(f"\n{SESSIONS} sessions: draft shown after {min(ready):.1f}–{max(ready):.1f} s; "
          f"{len(downloads)} downloads in {got:.1f} s, {sum(bool(r.projects) for r in parsed)} parse back")
    assert len(downloads) == SESSIONS
    budgets = sorted(r.projects[0].budget.wan for r in parsed)
    assert budgets == [40 + n for n in range(SESSIONS)]
    context.close()
