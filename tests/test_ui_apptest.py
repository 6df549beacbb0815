"""Every page through Streamlit's AppTest: chat turns, buttons, session state, saved drafts."""

from pathlib import Path

import pytest
from conftest import open_app
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")
# every page starts from a copy of the prebuilt data folder: the app loads corpus and index instead of building
pytestmark = [pytest.mark.ui, pytest.mark.slow, pytest.mark.usefixtures("prebuilt_home")]


def _app(draft=None, page=None) -> AppTest:
    """The app without sign-in configured: the one local user (see test_ui_roles.py for signed-in users)."""
    at = AppTest.from_file(APP, default_timeout=180)
    if draft:
        at.query_params["d"] = draft
    return open_app(at, page)


def _say(at: AppTest, text: str) -> AppTest:
    at.chat_input[0].set_value(text).run()
    assert not at.exception, at.exception
    return at


def _chat_texts(at: AppTest) -> list[str]:
    return [m.markdown[0].value for m in at.chat_message if m.markdown]


def test_draft_by_chat_edit_accept_and_saved(tmp_path):
    at = _app()
    _say(at, "社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务")
    draft_id = at.query_params["d"]
    editor = at.data_editor[0]
    frame = editor.value
    assert {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"} <= set(frame["二级指标"])
    assert (frame["指标值"] == "≤40万元").any()

    _say(at, "满意度改为≥92%")
    assert (at.data_editor[0].value["指标值"] == "≥92%").any()

    # edit a cell and accept a row in the table
    key = at.data_editor[0].key
    at.session_state[key] = {"edited_rows": {0: {"指标值": "≥15个"}, 1: {"接受": True}},
                             "added_rows": [], "deleted_rows": []}
    at.run()
    assert not at.exception
    after = at.data_editor[0].value
    assert after.loc[0, "指标值"] == "≥15个" and after.loc[0, "状态"] == "已修改"
    assert after.loc[1, "状态"] == "已接受"

    _say(at, "检查一下")
    assert any("校验" in t or "错误" in t or "问题" in t for t in _chat_texts(at))
    assert [b.label for b in at.get("download_button")][:1] == ["下载 Excel（.xlsx）"]

    # a new session (a browser refresh) with the same address finds everything
    again = _app(draft=draft_id)
    frame = again.data_editor[0].value
    assert frame.loc[0, "指标值"] == "≥15个" and frame.loc[1, "状态"] == "已接受"
    assert any("满意度改为≥92%" in t for t in _chat_texts(again))


def test_someone_elses_draft_in_the_address_is_not_opened():
    from ui.common import draft_store

    draft = draft_store().create("bob@example.gov.cn", "车辆保险费", "{}")  # made by a signed-in user
    at = _app(draft=draft)
    assert at.query_params.get("d") != draft  # not allowed: the local user gets a new draft of his own
    assert any("不属于您" in w.value for w in at.warning)
    assert not at.data_editor  # and sees no table


def test_the_address_does_not_choose_the_user():
    """?u= (how users were told apart before sign-in) no longer names anyone: the draft is the local user's."""
    from assistant.draft_store import LOCAL_OWNER
    from ui.common import draft_store

    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["u"] = "alice"
    at.run()
    _say(at, "车辆保险费，预算0.4万元，保障公务用车正常使用")
    assert draft_store().list("alice") == []
    assert [d.id for d in draft_store().list(LOCAL_OWNER)] == [at.query_params["d"]]


def test_visiting_the_page_creates_no_draft_the_first_change_does():
    from assistant.draft_store import LOCAL_OWNER
    from ui.common import draft_store

    at = _app()
    at.run()
    assert not draft_store().list(LOCAL_OWNER) and not at.query_params.get("d")
    _say(at, "车辆保险费，预算0.4万元，保障公务用车正常使用")
    (saved,) = draft_store().list(LOCAL_OWNER)
    assert at.query_params["d"] == saved.id and saved.title == "车辆保险费"


def test_drafts_in_postgresql_when_a_database_url_is_set(postgres_url, monkeypatch):
    from assistant.draft_store import LOCAL_OWNER, DraftStore

    monkeypatch.setenv("JIXIAO_DATABASE_URL", postgres_url)
    at = _say(_app(), "车辆保险费，预算0.4万元，保障公务用车正常使用")
    (saved,) = DraftStore(url=postgres_url).list(LOCAL_OWNER)
    assert at.query_params["d"] == saved.id and saved.title == "车辆保险费"
    again = _app(draft=saved.id)  # another session (or replica) opens it from the database
    assert again.data_editor and not any("草稿" in w.value for w in again.warning)


def test_unknown_request_gets_an_answer_not_an_error():
    at = _app()
    _say(at, "车辆保险费，预算0.4万元，保障公务用车正常使用")
    before = at.data_editor[0].value.copy()
    n = len(_chat_texts(at))
    _say(at, "今天天气怎么样")
    texts = _chat_texts(at)
    assert len(texts) == n + 2 and texts[-2] == "今天天气怎么样"
    answer = texts[-1]
    # says it did not understand, then what it can do, with examples to type
    assert answer.startswith("没听懂「今天天气怎么样」") and "我可以" in answer
    assert all(example in answer for example in ("换一个质量指标", "检查一下", "导出excel"))
    # no failure; the only error box is the validator's about the count left for the user (投保车辆数)
    assert not at.exception and all(e.value.startswith("校验发现") for e in at.error)
    assert at.data_editor[0].value.equals(before)  # the draft is untouched
    again = _app(draft=at.query_params["d"])  # and so is the saved one
    assert again.data_editor[0].value.equals(before)


def test_review_page_on_a_corpus_project():
    at = _app(page="审核")
    at.radio[0].set_value("语料中的项目").run()
    assert not at.exception
    names = [e.label for e in at.expander]
    assert names and any("第1行" in n for n in names)


def test_review_page_finds_a_corpus_project_by_name_in_a_large_corpus(monkeypatch):
    """Above PICK_LIST_MAX projects the page asks for words of the name first (no list of every project)."""
    from ui import review_page

    monkeypatch.setattr(review_page, "PICK_LIST_MAX", 10)
    at = _app(page="审核")
    at.radio[0].set_value("语料中的项目").run()
    assert not at.exception and not at.selectbox and "共 82 个" in at.text_input[0].label
    at.text_input[0].set_value("党组织").run()
    assert not at.exception
    options = at.selectbox[0].options
    assert len(options) == 5 and all("党组织" in o for o in options)
    assert any("第1行" in e.label for e in at.expander)
    at.text_input[0].set_value("没有这样的项目名").run()
    assert any("没有找到" in i.value for i in at.info)


def test_examples_page_filters():
    at = _app(page="范例")
    at.selectbox[0].set_value("服务对象满意度指标").run()
    assert not at.exception
    # pairs: a flagged row beside a good one of the same kind, with what is wrong and the fix, in full
    captions = [c.value for c in at.caption]
    assert {"问题写法", "问题", "改法", "好范例"} <= set(captions)
    labels = [t.value for t in at.text if t.value[:1].isdigit()]
    assert labels and all("服务对象满意度指标" in label for label in labels)
    assert any(b.label.startswith("下载培训材料") for b in at.get("download_button"))
    good = at.dataframe[0].value
    assert len(good) and set(good.columns) >= {"三级指标", "指标值", "出处"}


def test_examples_page_of_a_large_corpus_says_it_shows_a_sample(monkeypatch):
    from assistant import examples
    from ui import examples_page

    monkeypatch.setattr(examples, "EXAMPLE_PROJECTS_MAX", 40)
    examples_page._rows.clear()  # what other tests of this process cached for the whole corpus
    at = _app(page="范例")
    assert any(c.value.startswith("语料共 82 个项目；本页按单位抽取其中") for c in at.caption)
    examples_page._rows.clear()


def test_examples_page_says_what_to_widen():
    at = _app(page="范例")
    at.selectbox[0].set_value("质量指标").run()
    at.selectbox[1].set_value("养老服务").run()
    assert not at.exception
    assert any("没有成对的范例" in i.value and "放宽「项目类型」" in i.value for i in at.info)


def test_corpus_page_lists_documents():
    at = _app(page="语料")
    table = at.dataframe[0].value
    assert len(table) == 5 and table["指标行"].sum() == 601


def test_review_page_checks_an_uploaded_table(tmp_path, seed_results):
    from corpus.export import write_xlsx

    bad = seed_results["000"].projects[1]  # 工资及保险发放准确率 = 17人: a rate without a percentage
    path = write_xlsx([bad], tmp_path / "待审.xlsx")
    at = _app(page="审核")
    at.file_uploader[0].upload("待审.xlsx", path.read_bytes()).run()
    assert not at.exception, at.exception
    labels = [e.label for e in at.expander]
    assert any(label.startswith("✗") and "工资及保险发放准确率" in label for label in labels)
    assert any("百分比" in m.value for m in at.markdown)


def test_review_page_checks_several_files_with_a_summary_and_reports(tmp_path, seed_results):
    from corpus.export import write_docx, write_xlsx

    a = write_xlsx([seed_results["000"].projects[1]], tmp_path / "甲.xlsx")  # 工资及保险发放准确率 = 17人
    b = write_docx(seed_results["004"].projects[5:7], tmp_path / "乙.docx")
    at = _app(page="审核")
    assert at.file_uploader[0].accept_multiple_files
    at.file_uploader[0].set_value([("甲.xlsx", a.read_bytes(), "application/octet-stream"),
                                   ("乙.docx", b.read_bytes(), "application/octet-stream"),
                                   ("坏.docx", b"PK\x03\x04 broken", "application/octet-stream")]).run()
    assert not at.exception, at.exception
    summary = at.dataframe[0].value
    assert list(summary.columns) == ["文件", "项目", "错误", "警告", "结论"]
    assert list(summary["文件"]) == ["甲.xlsx", "乙.docx", "乙.docx", "坏.docx"]
    assert list(summary["结论"])[-1] == "无法读取" and set(summary["结论"][:3]) <= {"可以提交", "修改后提交", "需退回重报"}
    assert any("坏.docx" in e.value and "损坏" in e.value for e in at.error)
    labels = [b.label for b in at.get("download_button")]
    assert labels[:2] == ["下载全部审核意见（.xlsx）", "下载全部审核意见（.docx）"]
    assert "下载本表审核意见（.xlsx）" in labels
    # the first table's report is shown: verdict, then its rows under the one numbering
    assert any(m.value.startswith("**结论：") for m in [*at.error, *at.warning, *at.success])
    assert any(e.label.startswith("✗ 第2行（工作表「绩效目标表」") and "工资及保险发放准确率" in e.label for e in at.expander)
    # another table behind the select
    pick = at.selectbox(key="review-pick")
    assert len(pick.options) == 3
    pick.set_value(2).run()
    assert not at.exception
    assert all("Word表" in e.label for e in at.expander)
    assert any(s.value == seed_results["004"].projects[6].name for s in at.subheader)


def test_review_page_reports_a_broken_upload():
    at = _app(page="审核")
    at.file_uploader[0].upload("坏文件.docx", b"PK\x03\x04 broken").run()
    assert not at.exception
    assert any("坏文件.docx" in e.value and "损坏" in e.value for e in at.error)


def test_corpus_page_adds_a_document_to_corpus_and_index(tmp_path, seed_results):
    from corpus.export import write_docx

    project = seed_results["004"].projects[8].model_copy(deep=True)
    project.name = "社区楼道照明改造"
    path = write_docx([project], tmp_path / "新文件.docx")
    at = _app(page="语料")
    at.file_uploader[0].upload("新文件.docx", path.read_bytes()).run()
    assert not at.exception and any("1 个项目表" in s.value for s in at.success)
    at.button[-1].click().run()
    assert not at.exception, at.exception
    assert any("已加入 1 份文件" in s.value and "追加" in s.value for s in at.success)
    assert len(at.dataframe[0].value) == 6
    from corpus.build import build

    rebuilt = build()  # what `jixiao corpus build` makes later keeps the added document
    assert "新文件.docx" in [d.source for d in rebuilt.documents]


def test_chat_export_offers_the_file_beside_the_reply():
    at = _app()
    _say(at, "社区居家养老服务站运营，预算40万元，服务13个社区的350名老人")
    _say(at, "导出excel")
    buttons = [b for b in at.get("download_button") if b.label.startswith("下载 ") and b.label.endswith(".xlsx")]
    assert buttons, [b.label for b in at.get("download_button")]
    assert not any("/" in t for t in _chat_texts(at)[-1:])  # no path on the server in the reply


def test_error_details_are_hidden_however_the_app_is_started(monkeypatch):
    """`streamlit run ui/app.py` (without `jixiao ui` and its --client.showErrorDetails false) shows no traceback."""
    from streamlit import config

    monkeypatch.delenv("JIXIAO_DEV", raising=False)
    config.set_option("client.showErrorDetails", "full")  # Streamlit's own default
    _app()
    assert config.get_option("client.showErrorDetails") == "none"


def test_the_ui_benchmark_drives_a_cell_edit():
    """The benchmark's page run (describe, edit a cell five times, rerun, review a corpus project, open the
    examples) works on the bundled corpus; it raises if an edit did not reach the table or a page showed nothing."""
    from assistant.evaluation.ui_bench import drive

    figures = drive()
    assert set(figures) == {"first_page_s", "chat_draft_s", "edit_p50_s", "edit_max_s", "idle_p50_s", "review_s",
                            "examples_s", "peak_rss_mb"}
