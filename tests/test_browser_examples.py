"""Everyday use in a real browser: 范例 pairs and the training sheet, the chat's export download, and the
assistant asking for what a draft lacks."""

import io

import pytest
from docx import Document

from browser_support import wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _open(chromium, url: str):
    """A new page on the app, once its 起草 page is ready."""
    page = chromium.new_page(viewport={"width": 1280, "height": 1000}, accept_downloads=True)
    page.goto(url)
    page.get_by_text("起草绩效目标表").wait_for(timeout=180_000)
    wait_idle(page)
    return page


def _say(page, text: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(text)
    box.press("Enter")
    wait_idle(page)


def test_examples_pairs_and_training_sheet(server, browser, shots, tmp_path):  # noqa: F811
    page = _open(browser, server)
    page.get_by_test_id("stSidebar").get_by_text("范例").click()
    page.get_by_text("对照范例").wait_for(timeout=180_000)
    wait_idle(page)
    page.screenshot(path=shots / "examples-pairs.png", full_page=True)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载培训材料").click()
    target = tmp_path / "培训材料.docx"
    download.value.save_as(target)
    doc = Document(io.BytesIO(target.read_bytes()))
    labels = {row.cells[0].text for t in doc.tables for row in t.rows}
    assert len(doc.tables) > 10 and labels == {"问题写法", "问题", "改法", "好范例"}
    page.close()


def test_chat_export_downloads_in_a_real_browser(server, browser, shots, tmp_path):  # noqa: F811
    from corpus.parse import parse_path

    page = _open(browser, server)
    _say(page, "社区老年人助餐服务，预算45万元，为12个社区600名老人提供助餐")
    page.get_by_text("每一行的依据").wait_for(timeout=180_000)
    _say(page, "导出excel")
    button = page.get_by_role("button", name="下载 社区老年人助餐服务_绩效目标表.xlsx")
    button.wait_for(timeout=120_000)
    page.screenshot(path=shots / "chat-export.png", full_page=True)
    with page.expect_download(timeout=120_000) as download:
        button.click()
    target = tmp_path / "chat.xlsx"
    download.value.save_as(target)
    (project,) = parse_path(target).projects
    assert {r.value.raw for r in project.rows if r.level2.name == "数量指标"} == {"=12个", "≥600名"}
    page.close()


def test_the_assistant_asks_for_what_is_missing_and_fills_the_answer_in(server, browser, shots):  # noqa: F811
    page = _open(browser, server)
    _say(page, "办公电脑购置，预算9万元")
    page.get_by_text("还想确认").first.wait_for(timeout=120_000)
    page.get_by_text("单位：台").first.wait_for(timeout=120_000)
    _say(page, "20")
    page.locator("summary:has-text('=20台')").first.wait_for(timeout=120_000)
    page.screenshot(path=shots / "asked-and-filled.png", full_page=True)
    page.close()
