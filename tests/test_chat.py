"""The chat assistant on the bundled corpus: intents, every action, a whole conversation, robustness."""

import pytest

from corpus.sources import source_label

from assistant.chat import (
    ChatState, Reply, Services, accept_row, add_row, describe, edit_row, explain_row, export_draft, help_text,
    list_precedents, make_draft, parse_description, parse_intent, pick_alternative, position_of, remove_row,
    replace_row, replace_slot, respond, row_id_at, set_value, validate_draft,
)
from assistant.drafting.convert import check_draft
from assistant.drafting.models import Draft, SuggestedRow
from corpus.parse import parse_path

from conftest import project_named

EXAMPLE = "社区居家养老服务站运营，预算40万元，服务350名老人"
REQUIRED = {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"}
BENEFITS = {"经济效益指标", "社会效益指标", "生态效益指标", "可持续影响指标"}




@pytest.fixture
def services(indexes, corpus, tmp_path):
    return Services(indexes=indexes, corpus=corpus, export_folder=tmp_path / "exports")


@pytest.fixture
def state(services):
    """A fresh conversation after the example description."""
    s = ChatState()
    reply = respond(s, EXAMPLE, services)
    assert reply.action == "describe" and s.draft is not None, reply.text
    return s


@pytest.fixture(scope="module")
def drafted(indexes, corpus):
    """One described conversation, shared by tests that only read it (intent parsing)."""
    s = ChatState()
    respond(s, EXAMPLE, Services(indexes=indexes, corpus=corpus))
    return s


def slot_row(s: ChatState, level2: str):
    return next(r for r in s.draft.rows if r.level2 == level2)


# ---- describing and drafting --------------------------------------------------------------------

def test_describe_reads_the_project_and_drafts_a_complete_evidenced_table(services):
    s = ChatState()
    reply = respond(s, EXAMPLE, services)
    assert (reply.action, reply.changed) == ("describe", True)
    p = s.profile
    assert p.name == "社区居家养老服务站运营" and p.budget.wan == 40 and p.goal == "服务350名老人"
    assert [(q.number, q.unit, q.noun) for q in p.quantities] == [(350, "名", "老人")]
    slots = {r.level2 for r in s.draft.rows}
    assert REQUIRED <= slots and slots & BENEFITS
    for r in s.draft.rows:
        assert (r.evidence or r.standard) and all(e.source.endswith(".txt") and e.where for e in r.evidence), r.name
    assert any("350名" in r.value.raw for r in s.draft.rows if r.level2 == "数量指标")
    assert slot_row(s, "成本指标").value.raw == "≤40万元"
    assert s.next_row_id > max(r.id for r in s.draft.rows)
    # the reply shows the table, row by row, and the conversation records both sides
    assert all(f"| {i} |" in reply.text for i in range(1, len(s.draft.rows) + 1))
    assert [m.role for m in s.messages] == ["user", "assistant"] and s.messages[0].text == EXAMPLE
    assert reply.findings == check_draft(s.draft, services.corpus, services.indexes)


@pytest.mark.parametrize("text, name, budget, goal", [
    (EXAMPLE, "社区居家养老服务站运营", 40, "服务350名老人"),
    ("项目：社区居家养老服务站运营，预算：40万元，目标：为350名老人提供助餐服务，提高生活质量",
     "社区居家养老服务站运营", "40万元", "为350名老人提供助餐服务，提高生活质量"),
    ("帮我起草社区居家养老服务站运营的绩效目标表，预算四十万元", "社区居家养老服务站运营", "40万元", ""),
    ("车辆保险费，共3300元", "车辆保险费", "3300元", ""),
    ("为13个社区的350名老人提供居家养老服务，预算40万元", "居家养老服务", "40万元",
     "为13个社区的350名老人提供居家养老服务"),
])
def test_description_parsing(text, name, budget, goal):
    d = parse_description(text)
    assert d.name == name and d.goal == goal
    assert d.budget is not None and d.budget.rstrip("万元") == str(budget).rstrip("万元")
    assert d.name_guessed == text.startswith("为")  # a sentence: the name is a guess, and said so


def test_later_descriptions_keep_what_they_do_not_mention(services):
    s = ChatState()
    respond(s, "社区居家养老服务站运营，服务350名老人", services)
    assert s.profile.budget.wan is None and slot_row(s, "成本指标").value.raw != "≤40万元"
    respond(s, "预算40万元", services)
    assert (s.profile.name, s.profile.goal, s.profile.budget.wan) == ("社区居家养老服务站运营", "服务350名老人", 40)
    assert slot_row(s, "成本指标").value.raw == "≤40万元"
    # an edit survives a redraft the new information triggers; the cost bound follows the budget
    quality = slot_row(s, "质量指标")
    respond(s, f"第{s.draft.rows.index(quality) + 1}行改为≥90%", services)
    reply = respond(s, "预算改为50万元", services)
    assert reply.action == "describe" and s.profile.budget.wan == 50 and "保留" in reply.text
    kept = next(r for r in s.draft.rows if r.name == quality.name)
    assert (kept.value.raw, kept.status) == ("≥90%", "edited")
    assert slot_row(s, "成本指标").value.raw == "≤50万元"
    respond(s, "服务13个社区", services)
    assert s.profile.goal == "服务350名老人，服务13个社区" and len(s.profile.quantities) == 2


def test_a_different_project_described_in_full_starts_afresh(state, services):
    reply = respond(state, "车辆保险费，预算0.4万元", services)
    assert reply.action == "describe" and "新项目" in reply.text
    assert (state.profile.name, state.profile.goal, state.profile.quantities) == ("车辆保险费", "", [])
    assert slot_row(state, "成本指标").value.raw == "≤0.4万元"


def test_unreadable_budget_is_said_not_guessed(state, services):
    reply = respond(state, "预算四十", services)
    assert reply.action == "describe" and not reply.changed and "预算无法识别" in reply.text
    assert state.profile.budget.wan == 40


def test_redraft_and_draft_without_a_profile(state, services):
    respond(state, "接受第1行", services)
    reply = respond(state, "重新起草", services)
    assert reply.action == "draft" and reply.changed and "替换" in reply.text
    assert all(r.status == "suggested" for r in state.draft.rows)
    empty = ChatState()
    reply = make_draft(empty, services)
    assert reply.action == "draft" and not reply.changed and "描述项目" in reply.text and empty.draft is None


# ---- replacing rows -----------------------------------------------------------------------------

def test_replace_a_slot_takes_a_former_alternative_in_place(state, services):
    before = slot_row(state, "质量指标")
    pos = position_of(state, before.id)
    reply = respond(state, "换一个质量指标", services)
    after = state.draft.rows[pos - 1]
    assert (reply.action, reply.changed) == ("replace_slot", True)
    assert after.id == before.id and after.level2 == "质量指标" and after.status == "edited"
    assert after.name != before.name and after.name in [a.name for a in before.alternatives]
    assert after.evidence and all(e.where for e in after.evidence)
    assert before.name in [a.name for a in after.alternatives]  # the way back stays open
    assert state.focus_row == after.id
    assert respond(state, "质量指标换一个", services).action == "replace_slot"


def test_replace_row_by_position_walks_through_the_alternatives(state, services):
    row = state.draft.rows[1]
    others = [r.name for r in state.draft.rows if r.id != row.id]
    seen = [row.name]
    for _ in range(3):
        reply = respond(state, "第2行换一个", services)
        assert reply.action == "replace_row" and reply.changed, reply.text
        now = state.draft.rows[1]
        assert now.id == row.id and now.name not in seen and now.name not in others
        seen.append(now.name)
    assert seen[1] == next(a.name for a in row.alternatives if a.name not in others)
    assert [r.name for r in state.draft.rows if r.id != row.id] == others  # nothing else moved


def test_pick_alternative_by_number_and_by_name(state, services):
    i = next(i for i, r in enumerate(state.draft.rows) if len(r.alternatives) >= 2)  # a row with two or more
    row = state.draft.rows[i]
    reply = respond(state, f"第{i + 1}行用备选2", services)
    assert reply.action == "pick_alternative" and state.draft.rows[i].name == row.alternatives[1].name
    target = state.draft.rows[i].alternatives[0].name
    respond(state, f"第{'一二三四五六七八九十'[i]}行换成{target}", services)  # the row number in Chinese too
    assert state.draft.rows[i].name == target
    reply = pick_alternative(state, row.id, 99, services)
    assert not reply.changed and "备选" in reply.text


# ---- values and cells ---------------------------------------------------------------------------

def test_set_value_by_name_then_a_garbled_value_is_refused(state, services):
    reply = respond(state, "满意度改为≥95%", services)
    sat = slot_row(state, "服务对象满意度指标")
    assert (reply.action, reply.changed, sat.value.raw, sat.status) == ("set_value", True, "≥95%", "edited")
    assert state.focus_row == sat.id
    reply = respond(state, "改为≥95100%", services)
    assert (reply.action, reply.changed) == ("set_value", False)
    assert slot_row(state, "服务对象满意度指标").value.raw == "≥95%" and "≥95100%" in reply.text and "仍为" in reply.text


@pytest.mark.parametrize("text, value", [("第2行改成≥90%", "≥90%"), ("把第2行的值改为100%", "100%"),
                                         ("第二行改为 ≥ 85 %", "≥85%"), ("第2行的指标值设为不低于90%", "不低于90%")])
def test_set_value_by_position(state, services, text, value):
    reply = respond(state, text, services)
    assert reply.action == "set_value" and reply.changed and state.draft.rows[1].value.raw == value


def test_set_value_warns_about_doubtful_values_but_keeps_them(state, services):
    sat = slot_row(state, "服务对象满意度指标")
    reply = set_value(state, sat.id, "100%", services)
    assert reply.changed and sat.value.raw == "100%" and "不可信" in reply.text


def test_edit_cells(state, services):
    reply = respond(state, "第2行名称改为养老服务质量达标率", services)
    assert reply.action == "edit" and state.draft.rows[1].name == "养老服务质量达标率"
    respond(state, "第2行的依据改为行业标准", services)
    respond(state, "第2行描述改为达标服务次数占服务总次数的比例", services)
    r = state.draft.rows[1]
    assert (r.basis, r.description, r.status) == ("行业标准", "达标服务次数占服务总次数的比例", "edited")
    assert not edit_row(state, r.id, "name", "").changed and r.name == "养老服务质量达标率"
    assert not edit_row(state, r.id, "colour", "红").changed


# ---- adding, removing, accepting ---------------------------------------------------------------

@pytest.mark.parametrize("text, level2", [("增加一个质量指标", "质量指标"), ("加一行时效指标", "时效指标")])
def test_add_row_from_precedents_in_its_slot(state, services, text, level2):
    n, ids = len(state.draft.rows), {r.id for r in state.draft.rows}
    reply = respond(state, text, services)
    assert (reply.action, reply.changed, len(state.draft.rows)) == ("add_row", True, n + 1)
    new = next(r for r in state.draft.rows if r.id not in ids)
    assert new.level2 == level2 and new.status == "added" and new.evidence and new.id == state.focus_row
    from assistant.domain import SLOT_ORDER

    order = [SLOT_ORDER.index(r.level2) for r in state.draft.rows]
    assert order == sorted(order)  # the new row sits in its own slot
    assert state.next_row_id > new.id


def test_remove_rows_by_position(state, services):
    n = len(state.draft.rows)
    third, fourth = state.draft.rows[2], state.draft.rows[3]
    reply = respond(state, "删除第3行", services)
    assert reply.action == "remove_row" and reply.changed and third.id not in [r.id for r in state.draft.rows]
    assert row_id_at(state, 3) == fourth.id and position_of(state, fourth.id) == 3
    fifth = state.draft.rows[4]
    respond(state, "去掉第5行", services)
    assert fifth.id not in [r.id for r in state.draft.rows] and len(state.draft.rows) == n - 2
    assert row_id_at(state, 4) == state.draft.rows[3].id


def test_accept_one_and_all(state, services):
    reply = respond(state, "接受第2行", services)
    assert reply.action == "accept" and state.draft.rows[1].status == "accepted"
    assert state.draft.rows[0].status == "suggested"
    respond(state, "全部接受", services)
    assert {r.status for r in state.draft.rows} == {"accepted"}


# ---- explaining -------------------------------------------------------------------------------

def test_why_explains_the_focused_row_with_its_precedents_sources(state, services):
    respond(state, "满意度改为≥95%", services)
    sat = slot_row(state, "服务对象满意度指标")
    reply = respond(state, "为什么建议这个值?", services)
    assert reply.action == "explain" and sat.name in reply.text and "≥95%" in reply.text
    # sources as a person recognises them: unit, year, the document's own title, project, lines
    assert all(source_label(e.unit, e.year, e.source, e.project, e.where) in reply.text for e in sat.evidence)
    assert all(e.source not in reply.text for e in sat.evidence)  # not the hashed file name


def test_explain_by_number(state, services):
    i = next(i for i, r in enumerate(state.draft.rows) if i >= 1 and r.evidence)  # a row with precedents
    row, n = state.draft.rows[i], i + 1
    for text in (f"第{n}行为什么是这个值", f"解释第{'一二三四五六七八九十'[i]}行", f"第{n}行"):
        reply = respond(state, text, services)
        assert reply.action == "explain" and f"第{n}行「{row.name}」" in reply.text, text
        e = row.evidence[0]
        assert source_label(e.unit, e.year, e.source, e.project, e.where) in reply.text
    assert state.focus_row == row.id


def test_why_without_a_row_asks_which(state, services):
    reply = respond(state, "为什么建议这个值?", services)
    assert reply.action == "explain" and "第几行" in reply.text


def test_precedents_lists_comparable_projects_with_reasons_and_sources(state, services):
    for text in ("有哪些先例", "看看可比项目"):
        reply = respond(state, text, services)
        assert reply.action == "precedents"
        first = state.draft.comparables[0]
        assert first.name in reply.text and first.where in reply.text and first.reasons[0] in reply.text


# ---- validating and exporting ------------------------------------------------------------------

def test_validate_lists_findings_per_row(services, seed_results):
    # 000「2021年市级社区干部生活补贴」as published (seed lines 261-322), budget 7万元: row 2 is a rate
    # written as a headcount (工资及保险发放准确率 = 17人), row 4 a cost written as 「是」
    s = ChatState()
    respond(s, "2021年市级社区干部生活补贴，预算7万元", services)
    seed = project_named(seed_results, "000", "2021年市级社区干部生活补贴")
    s.draft.rows = [SuggestedRow(id=i, level1=r.level1.name, level2=r.level2.name, name=r.name, value=r.value,
                                 description=r.description, basis=r.basis) for i, r in enumerate(seed.rows, 1)]
    assert [(r.name, r.value.raw) for r in s.draft.rows][:4] == [
        ("支付工资及保险人员数量", "17人"), ("工资及保险发放准确率", "17人"), ("资金支付及时率", "≥95%"), ("控制在预算资金内", "是")]
    # row 3 made sound in every respect: a standard basis and a description that is not the name again
    respond(s, "第3行的依据改为计划标准", services)
    respond(s, "第3行描述改为按时支付的资金占应支付资金的比例", services)

    reply = respond(s, "检查一下", services)
    assert reply.action == "validate" and reply.text.startswith("校验结果：错误 2 条")
    errors = {(f.row_index, f.rule) for f in reply.findings if f.severity == "error"}
    assert errors == {(1, "fit.rate_needs_percent"), (3, "fit.cost_needs_money")}
    # the published table's own rows about other things are the reviewer rules' warnings; no form warning
    assert not [f for f in reply.findings if f.severity == "warning" and not f.rule.startswith("reviewer.")]
    assert not [f for f in reply.findings if f.row_index == 2]  # the sound row
    lines = reply.text.splitlines()
    row2 = lines.index("第2行「工资及保险发放准确率」：")
    assert lines[row2 + 1].startswith("- [错误]") and "百分比" in lines[row2 + 1]
    row4 = lines.index("第4行「控制在预算资金内」：")
    assert lines[row4 + 1].startswith("- [错误]") and "成本指标应为金额，现为「是」" in lines[row4 + 1]
    assert "第3行" not in reply.text
    assert validate_draft(s, services).findings == reply.findings

    # without its 时效指标 row the table has an error of its own, and the rows below move up
    respond(s, "删除第3行", services)
    reply = respond(s, "校验", services)
    assert any(f.row_index is None and f.is_error and "时效指标" in f.message for f in reply.findings)
    assert "整表：" in reply.text and "第3行「控制在预算资金内」：" in reply.text


@pytest.mark.parametrize("text, ext", [("导出excel", "xlsx"), ("导出word", "docx"), ("导出", "xlsx")])
def test_export_office_files_read_back_with_the_same_rows(state, services, text, ext):
    respond(state, "满意度改为≥95%", services)
    respond(state, "增加一个生态效益指标", services)
    reply = respond(state, text, services)
    assert reply.action == "export" and reply.file and reply.file.endswith("." + ext)
    doc = parse_path(reply.file)
    assert not [i for i in doc.issues if i.severity == "error"] and len(doc.projects) == 1
    project = doc.projects[0]
    assert project.name == state.profile.name and project.budget.wan == 40
    assert [(r.level2.name, r.name, r.value.raw) for r in project.rows] == \
        [(r.level2, r.name, r.value.raw) for r in state.draft.rows]


def test_export_json_and_formats_it_does_not_write(state, services, tmp_path):
    reply = export_draft(state, "json", tmp_path)
    assert Draft.model_validate_json(open(reply.file, encoding="utf-8").read()) == state.draft
    reply = respond(state, "导出pdf", services)
    assert reply.action == "export" and reply.file is None and "pdf" in reply.text and "xlsx" in reply.text
    reply = respond(ChatState(), "导出excel", services)
    assert reply.file is None and "还没有草稿" in reply.text


# ---- intents -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, action, position", [
    (EXAMPLE, "describe", None), ("项目：社区居家养老服务站运营，预算40万元", "describe", None),
    ("预算改为50万元", "describe", None), ("项目名称改为社区养老服务站运营", "describe", None),
    ("起草", "draft", None), ("生成指标", "draft", None), ("重新起草", "draft", None),
    ("换一个质量指标", "replace", None), ("质量指标换一个", "replace", None), ("第3行换一个", "replace", 3),
    ("换掉第3行", "replace", 3), ("第三行换一个", "replace", 3), ("第十二行换一个", "replace", 12),
    ("满意度改为≥95%", "set_value", None), ("第2行改成≥90%", "set_value", 2), ("把第2行的值改为100%", "set_value", 2),
    ("增加一个生态效益指标", "add_row", None), ("加一行可持续影响指标", "add_row", None),
    ("删除第5行", "remove_row", 5), ("去掉第五行", "remove_row", 5),
    ("为什么建议这个值?", "explain", None), ("第4行为什么是这个值", "explain", 4), ("解释第4行", "explain", 4),
    ("有哪些先例", "precedents", None), ("看看可比项目", "precedents", None),
    ("检查一下", "validate", None), ("校验", "validate", None), ("审核", "validate", None),
    ("导出", "export", None), ("导出excel", "export", None), ("导出word", "export", None), ("导出json", "export", None),
    ("接受第2行", "accept", 2), ("全部接受", "accept", None), ("帮助", "help", None), ("你能做什么", "help", None),
    ("第3行用备选2", "pick_alternative", 3), ("第3行换成备选2", "pick_alternative", 3),
    ("第2行名称改为居民满意率", "edit", 2), ("第2行描述改为检查合格的数量占比", "edit", 2),
    ("看看第3行采用了哪些先例", "explain", 3), ("确认第2行", "accept", 2), ("删除第-1行", "remove_row", None),
    ("今天天气不错", "unknown", None),
])
def test_intents(drafted, text, action, position):
    it = parse_intent(text, drafted)
    assert (it.action, it.position) == (action, position)


def test_intent_details(drafted):
    state = drafted
    assert parse_intent("导出word", state).fmt == "word" and parse_intent("导出", state).fmt == "xlsx"
    assert parse_intent("导出为Excel文件", state).fmt == "excel"
    assert parse_intent("增加一个生态效益指标", state).level2 == "生态效益指标"
    assert parse_intent("增加一个经济成本指标", state).level2 == "经济成本指标"  # no such slot: said so
    assert parse_intent("第3行用第二个备选", state).index == 1
    assert parse_intent("全部接受", state).all_rows
    it = parse_intent("满意度改为≥95%", state)
    assert (it.target, it.value) == ("满意度", "≥95%")


# ---- friendly answers, robustness, persistence ---------------------------------------------------

def test_unknown_and_out_of_range_get_friendly_answers(state, services):
    reply = respond(state, "今天天气不错", services)
    assert reply.action == "unknown" and not reply.changed and "我可以" in reply.text
    before = state.draft.model_copy(deep=True)
    reply = respond(state, "第999行换一个", services)
    assert not reply.changed and "没有第999行" in reply.text and state.draft == before
    assert "没有这一行" in remove_row(state, 999).text and state.draft == before  # functions take ids
    assert "我可以" in help_text().text


def test_actions_needing_a_draft_say_so(services):
    s = ChatState()
    for reply in (respond(s, "第2行换一个", services), respond(s, "检查一下", services),
                  respond(s, "有哪些先例", services), replace_row(s, 1, services), replace_slot(s, "质量指标", services),
                  add_row(s, "生态效益指标", services), accept_row(s, 1), explain_row(s, 1), list_precedents(s, services),
                  set_value(s, 1, "95%", services)):
        assert isinstance(reply, Reply) and not reply.changed and ("还没有" in reply.text), reply.text


@pytest.mark.parametrize("text", ["", "   ", "？？？", "第999行换一个", "导出pdf", "第0行改为95%", "删除第-1行", "换成",
                                  "改为", "=", "增加一个", "第2行用备选99", "第三百行", "🙂" * 50, "预算" + "9" * 400,
                                  "项目：", "目标：", "类型：火星基地", "接受", "换一个", "解释"])
def test_respond_never_raises(state, services, text):
    n = len(state.messages)
    reply = respond(state, text, services)
    assert isinstance(reply, Reply) and reply.text and len(state.messages) == n + 2
    assert "出错" not in reply.text, reply.text  # answered on purpose, not by the catch-all


def test_an_unexpected_failure_leaves_the_state_as_it_was(state, services):
    broken = Services(indexes=None, corpus=None)
    before = state.model_copy(deep=True)
    reply = respond(state, "第2行换一个", broken)
    assert not reply.changed and "出错" in reply.text
    assert state.draft == before.draft and state.profile == before.profile
    reply = respond(ChatState(), EXAMPLE, broken)
    assert reply.action == "describe" and "出错" in reply.text


def test_state_round_trips_through_json_and_the_conversation_goes_on(state, services):
    respond(state, "满意度改为≥95%", services)
    respond(state, "增加一个生态效益指标", services)
    respond(state, "第2行换一个", services)
    restored = ChatState.model_validate_json(state.model_dump_json())
    assert restored == state and restored.focus_row == state.focus_row
    reply = respond(restored, "为什么建议这个值?", services)
    assert reply.action == "explain" and state.draft.rows[1].name in reply.text
    assert respond(restored, "第3行换一个", services).changed


def test_direct_calls_match_the_chat(state, services):
    row = state.draft.rows[0]
    pos = next(i for i, r in enumerate(state.draft.rows) if r.level2 == "质量指标")
    quality = state.draft.rows[pos]
    assert replace_row(state, quality.id, services).changed and state.draft.rows[pos].id == quality.id
    assert set_value(state, row.id, "≥360名", services).changed and state.draft.rows[0].value.raw == "≥360名"
    assert accept_row(state, row.id).changed and state.draft.rows[0].status == "accepted"
    assert describe(state, "预算45万元", services).changed and state.profile.budget.wan == 45
