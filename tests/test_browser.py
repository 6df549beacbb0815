"""A real browser (Debian's chromium, driven by Playwright) against `jixiao ui` on localhost:
describe a project in the chat, get a draft, edit a cell, accept a row, export the .xlsx and read
it back. Screenshots go to $JIXIAO_SCREENSHOTS (default: the test's temporary folder)."""

import pytest
from browser_support import wait_idle

from corpus.parse import parse_path

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_draft_edit_accept_export_in_a_real_browser(server, browser, shots, tmp_path):
    page = browser.new_page(viewport={"width": 1600, "height": 1400}, accept_downloads=True)
    page.goto(server)
    page.get_by_text("起草绩效目标表").wait_for(timeout=180_000)
    wait_idle(page)
    page.screenshot(path=shots / "1-start.png", full_page=True)

    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务")
    box.press("Enter")
    page.get_by_text("每一行的依据").wait_for(timeout=180_000)
    wait_idle(page)
    page.screenshot(path=shots / "2-draft.png", full_page=True)

    # edit a cell through the chat (the grid is a canvas), then in the grid itself
    box.fill("第1行改为≥15个")
    box.press("Enter")
    wait_idle(page)
    page.locator("summary:has-text('≥15个')").first.wait_for(timeout=120_000)

    # edit a cell of the second row in its panel
    page.locator("summary:has-text('第2行')").first.click()
    panel = page.locator("[data-testid='stExpander']:has(summary:has-text('第2行'))").first
    value_box = panel.get_by_label("指标值").first  # a rerun may leave the stale input beside the new one
    value_box.fill("≥360名")
    panel.get_by_role("button", name="保存本行修改").click()
    wait_idle(page)
    page.locator("summary:has-text('≥360名')").first.wait_for(timeout=120_000)

    # accept the first row from its evidence panel
    page.locator("summary:has-text('第1行')").first.click()
    page.locator("[data-testid='stExpander']:has(summary:has-text('第1行'))").first.get_by_role(
        "button", name="接受本行").click()
    wait_idle(page)
    page.screenshot(path=shots / "3-edited-accepted.png", full_page=True)

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载 Excel（.xlsx）").click()
    target = tmp_path / "导出.xlsx"
    download.value.save_as(target)
    (project,) = parse_path(target).projects
    values = [r.value.raw for r in project.rows]
    assert values[0] == "≥15个" and values[1] == "≥360名"
    assert {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"} <= {r.level2.name for r in project.rows}
    assert any(r.value.raw == "≤40万元" for r in project.rows)
    page.close()


def _wait_text(page, text, timeout=180_000):
    page.get_by_text(text).first.wait_for(timeout=timeout)
    wait_idle(page)


def test_draft_check_column_is_in_view_at_1280_px(server, browser, shots):
    """The 起草 table's 校验 column sits right after the row number: at 1280×900 it is on screen
    without scrolling the grid, and says 通过 / 错误 / 警告 in plain text."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server)
    _wait_text(page, "起草绩效目标表")
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill("社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务")
    box.press("Enter")
    _wait_text(page, "每一行的依据")
    box.fill("满意度改为100%")
    box.press("Enter")
    wait_idle(page)
    # the grid is a canvas; its accessible (hidden) table holds the columns drawn in view
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] td')]"
                           ".some(td => td.textContent.startsWith('⚠警告：满意度目标'))", timeout=120_000)
    page.screenshot(path=shots / "4-draft-1280.png")
    headers = page.locator("[data-testid='stDataFrame'] th").all_text_contents()
    assert headers[:2] == ["行", "校验"], headers  # 校验 is second, in view without scrolling the grid
    cells = page.locator("[data-testid='stDataFrame'] td").all_text_contents()
    assert "✓ 通过" in cells, cells[:20]
    page.close()


def test_batch_review_in_a_real_browser(server, browser, shots, tmp_path, seed_results):
    """A reviewer's pile on 审核: several files at once → the summary table, one table's report,
    the reports downloaded as .xlsx and read back."""
    from openpyxl import load_workbook

    from corpus.export import write_docx, write_xlsx

    files = [write_xlsx([seed_results["000"].projects[1]], tmp_path / "甲.xlsx"),
             write_docx(seed_results["004"].projects[5:7], tmp_path / "乙.docx")]
    broken = tmp_path / "坏.docx"
    broken.write_bytes(b"PK\x03\x04 broken")
    page = browser.new_page(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    page.goto(server)
    _wait_text(page, "起草绩效目标表")
    page.get_by_test_id("stSidebar").get_by_text("审核", exact=True).click()
    _wait_text(page, "审核：对照规则与可比先例")
    page.locator("input[type=file]").set_input_files([*map(str, files), str(broken)])
    _wait_text(page, "汇总：3个文件、3个表")
    page.screenshot(path=shots / "5-batch-summary.png")
    page.wait_for_function("() => [...document.querySelectorAll('[data-testid=stDataFrame] td')]"
                           ".some(td => td.textContent === '无法读取')", timeout=120_000)
    cells = page.locator("[data-testid='stDataFrame'] td").all_text_contents()
    assert "无法读取" in cells and "甲.xlsx" in cells and cells.count("乙.docx") == 2
    assert page.get_by_text("结论：").count() >= 1  # the first table's report under the summary
    row = page.locator("summary:has-text('第2行（工作表「绩效目标表」')").first
    row.wait_for(timeout=120_000)
    row.click()
    wait_idle(page)
    page.get_by_text("结论：").first.scroll_into_view_if_needed()
    page.screenshot(path=shots / "6-batch-report.png")

    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="下载全部审核意见（.xlsx）").click()
    assert download.value.suggested_filename == "审核意见_3个表.xlsx"
    target = tmp_path / "意见.xlsx"
    download.value.save_as(target)
    wb = load_workbook(target)
    rows = [[c.value for c in r] for r in wb["审核结论"].iter_rows()]
    assert [r[0] for r in rows[1:]] == ["甲.xlsx", "乙.docx", "乙.docx"]
    assert all(r[5] in ("可以提交", "修改后提交", "需退回重报") for r in rows[1:])
    issues = [[c.value for c in r] for r in wb["问题清单"].iter_rows()]
    assert any(r[3].startswith("第2行（工作表「绩效目标表」") and r[5] == "工资及保险发放准确率" for r in issues[1:])
    page.close()


PAYLOAD = "![x](http://127.0.0.1:9/a.png)"


def _no_markup_from(page):
    imgs = page.locator("img[src*='127.0.0.1'], img[src*='a.png']").count()
    links = page.locator("a[href*='127.0.0.1'], a[href*='a.png']").count()
    return imgs, links


def test_markdown_in_user_and_document_text_is_shown_as_text(server, browser, shots, tmp_path, seed_results):
    """A project name, row name, chat message or file name holding Markdown for an image or link
    is shown as those characters: no <img>, no <a> anywhere on the page."""
    from corpus.export import write_xlsx

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(server)
    _wait_text(page, "起草绩效目标表")
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(f"{PAYLOAD}社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务")
    box.press("Enter")
    _wait_text(page, "每一行的依据")
    box.fill(f"第1行改为{PAYLOAD}")
    box.press("Enter")
    wait_idle(page)
    page.screenshot(path=shots / "7-markdown-draft.png", full_page=True)
    found = page.evaluate("""() => [...document.querySelectorAll("a[href*='127.0.0.1'], a[href*='a.png']")]
        .map(a => [a.outerHTML.slice(0, 200), a.closest('[data-testid]')?.getAttribute('data-testid'),
                   a.parentElement.textContent.slice(0, 120)])""")
    assert _no_markup_from(page) == (0, 0), found
    # the characters themselves are shown (a zero-width space after the scheme keeps GFM from linking)
    shown = page.evaluate("() => document.body.innerText.replaceAll('\u200b', '')")
    assert PAYLOAD in shown

    p = seed_results["000"].projects[1].model_copy(deep=True)
    p.name = PAYLOAD + p.name
    p.rows[0].name = PAYLOAD
    upload = write_xlsx([p], tmp_path / "![x](a.png).xlsx")
    page.get_by_test_id("stSidebar").get_by_text("审核", exact=True).click()
    _wait_text(page, "审核：对照规则与可比先例")
    page.locator("input[type=file]").set_input_files([str(upload)])
    _wait_text(page, "结论：")
    page.locator("summary:has-text('127.0.0.1')").first.click()
    wait_idle(page)
    page.screenshot(path=shots / "8-markdown-review.png", full_page=True)
    assert _no_markup_from(page) == (0, 0)
    page.close()
