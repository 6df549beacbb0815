"""The assistant asks for what a good draft lacks, places short answers, and keeps the user's own
quantities: a unit-changing value, a value typed as a name, or a precedent in place of the user's
count is refused with a clear message."""

import pytest

from assistant.chat import ChatState, Services, respond
from assistant.cli import main


@pytest.fixture
def services(indexes, corpus, tmp_path):
    return Services(indexes=indexes, corpus=corpus, export_folder=tmp_path / "exports")


def _row(s, name):
    return next(r for r in s.draft.rows if r.name == name)


def test_a_bare_large_budget_is_asked_about_before_drafting(services):
    s = ChatState()
    reply = respond(s, "办公电脑购置，预算90000，购置办公电脑20台", services)
    assert s.draft is None and "元" in reply.text and "万元" in reply.text and "90000" in reply.text
    reply = respond(s, "元", services)
    assert s.profile.budget.wan == 9 and s.profile.budget.unit == "元"
    assert _row(s, "项目总成本").value.raw == "≤90000元"


def test_missing_quantity_and_party_in_one_question_then_filled(services):
    s = ChatState()
    reply = respond(s, "办公电脑购置，预算9万元", services)
    blank = next(r for r in s.draft.rows if r.level2 == "数量指标")
    assert blank.value.raw == "" and "待填写" in blank.note
    assert "还想确认" in reply.text and blank.name in reply.text and "单位：台" in reply.text and "服务对象" in reply.text
    assert reply.text.count("还想确认") == 1
    reply = respond(s, "20", services)
    assert _row(s, blank.name).value.raw == "=20台" and _row(s, blank.name).status == "edited"
    assert "服务对象" in reply.text and blank.name not in reply.text.split("还想确认")[-1]
    respond(s, "信息中心工作人员", services)
    assert any(r.name == "工作人员满意度" for r in s.draft.rows)  # in the words the user used
    assert _row(s, blank.name).value.raw == "=20台"  # the answer survives the redraft
    assert s.question is None


def test_nothing_is_asked_when_the_description_is_complete(services):
    s = ChatState()
    reply = respond(s, "社区老年人助餐服务，预算45万元，为12个社区600名老人提供助餐", services)
    assert "还想确认" not in reply.text and s.question is None


def test_a_description_that_is_not_chinese_gets_a_clear_answer(services):
    s = ChatState()
    reply = respond(s, "项目：office supplies，预算5万元", services)
    assert s.draft is None and "没有中文" in reply.text


def test_edits_keep_the_users_own_quantities(services):
    s = ChatState()
    respond(s, "社区老年人助餐服务，预算45万元，为12个社区600名老人提供助餐", services)
    pos = 1 + next(i for i, r in enumerate(s.draft.rows) if r.name == "社区数量")
    before = s.draft.model_copy(deep=True)
    reply = respond(s, f"第{pos}行改为≥650人", services)
    assert not reply.changed and "以「个」计" in reply.text and s.draft == before
    reply = respond(s, f"第{pos}行名称改为≥13个", services)
    assert not reply.changed and "是指标值" in reply.text and s.draft == before
    reply = respond(s, f"第{pos}行换一个", services)
    assert not reply.changed and "12个社区" in reply.text and s.draft == before
    assert respond(s, f"第{pos}行改为=13个", services).changed  # the same unit is the user's to change


def test_cli_asks_for_the_unit_of_a_bare_large_budget(capsys):
    assert main(["draft", "办公经费", "--budget", "450000"]) == 2
    assert "450000元" in capsys.readouterr().err
    assert main(["draft", "office", "--budget", "5"]) == 2
    assert "中文" in capsys.readouterr().err


def test_cli_output_is_clean(capsys, prebuilt_home):
    """Each value once, one relevance figure (its parts with --verbose), sources a person recognises."""
    assert main(["search", "居民满意度", "--k", "3"]) == 0
    out = capsys.readouterr().out
    assert "相关度" in out and "语义" not in out and ".txt" not in out and "《" in out
    assert main(["search", "居民满意度", "--k", "3", "--verbose"]) == 0
    captured = capsys.readouterr()
    assert "语义" in captured.out and "相关度 =" in captured.err
    assert main(["draft", "社区老年人助餐服务", "--budget", "45", "--goal", "为12个社区600名老人提供助餐"]) == 0
    out = capsys.readouterr().out
    assert "= ＝" not in out and "= =" not in out and "= ≥" not in out and "《" in out
