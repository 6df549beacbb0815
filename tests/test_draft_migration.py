"""Drafts saved before values were typed open with the current code.

tests/data/drafts_string_values.json holds three ChatState JSON strings exactly as the code before
typed values stored them in drafts.sqlite3 (row values as strings; the profile's budget as
budget_wan / budget_raw / budget_unit): a 万元 budget with an edited and an accepted row, a 元 budget
with a blank quantity, and no budget at all. tests/data/drafts_string_values_expected.json is what that
code showed for them: the chat table, the profile line, each row's explanation, the validator's
findings and the draft as a corpus Project. Both were written by the make_*.py scripts beside them,
run at commit e36cf36.
"""

import json
from pathlib import Path

import pytest

from assistant import drafts
from assistant.chat import ChatState
from assistant.chat.replies import profile_text, table
from assistant.chat.views import explain_row
from assistant.drafting.convert import check_draft, draft_to_project
from corpus.models import Money, TargetValue
from corpus.values import parse_target_value

DATA = Path(__file__).parent / "data"
OLD = json.loads((DATA / "drafts_string_values.json").read_text(encoding="utf-8"))
SHOWN = json.loads((DATA / "drafts_string_values_expected.json").read_text(encoding="utf-8"))
BUDGETS = {"yang_lao": Money(wan=40.0, raw="40万元", unit="万元"),
           "car_rental_yuan": Money(wan=3.6, raw="36000元", unit="元"),
           "river_no_budget": Money()}


def _old_store(open_store, key):
    """A store (SQLite, then PostgreSQL) holding the old JSON as the old code wrote it."""
    store = open_store()
    return store, store.create("alice", "旧草稿", OLD[key])


@pytest.mark.parametrize("key", sorted(OLD))
def test_an_old_draft_opens_with_typed_values_and_one_money(draft_backend, key):
    old = json.loads(OLD[key])
    store, draft_id = _old_store(draft_backend, key)
    state = drafts.open_draft(store, "alice", draft_id)
    assert state is not None
    assert state.profile.budget == state.draft.profile.budget == BUDGETS[key]
    assert len(state.draft.rows) == len(old["draft"]["rows"])
    for row, was in zip(state.draft.rows, old["draft"]["rows"]):
        assert isinstance(row.value, TargetValue)
        assert row.value.raw == was["value"] and row.value == parse_target_value(was["value"])
        assert [a.value.raw for a in row.alternatives] == [a["value"] for a in was["alternatives"]]
        assert all(isinstance(a.value, TargetValue) for a in row.alternatives)
        assert (row.id, row.name, row.status) == (was["id"], was["name"], was["status"])


@pytest.mark.parametrize("key", sorted(OLD))
def test_an_old_draft_shows_checks_and_converts_as_before(draft_backend, key):
    store, draft_id = _old_store(draft_backend, key)
    state = drafts.open_draft(store, "alice", draft_id)
    shown = SHOWN[key]
    assert table(state.draft) == shown["table"]
    assert profile_text(state.profile) == shown["profile"]
    assert [[f.rule, f.row_index, f.message] for f in check_draft(state.draft)] == shown["findings"]
    assert draft_to_project(state.draft).model_dump(mode="json") == shown["project"]
    assert [explain_row(state, r.id).text for r in state.draft.rows] == shown["explain"]


@pytest.mark.parametrize("key", sorted(OLD))
def test_an_old_draft_is_saved_in_the_new_form_and_reads_back_the_same(draft_backend, key):
    store, draft_id = _old_store(draft_backend, key)
    state = drafts.open_draft(store, "alice", draft_id)
    drafts.save_draft(store, "alice", draft_id, state, "迁移后保存")
    saved = json.loads(store.load(draft_id, "alice"))
    assert saved["profile"]["budget"] == BUDGETS[key].model_dump()
    assert not {"budget_wan", "budget_raw", "budget_unit"} & saved["profile"].keys()
    assert all(isinstance(r["value"], dict) for r in saved["draft"]["rows"])
    again = drafts.open_draft(store, "alice", draft_id)
    assert again == state
    assert ChatState.model_validate_json(again.model_dump_json()) == again
    # the old version stays in the history and still opens
    first = store.history(draft_id, "alice")[0]
    assert ChatState.model_validate_json(store.version(draft_id, "alice", first.id)) == state


def test_an_old_draft_can_be_edited_after_opening(draft_backend):
    from assistant.chat import set_value

    store, draft_id = _old_store(draft_backend, "car_rental_yuan")
    state = drafts.open_draft(store, "alice", draft_id)
    blank = next(r for r in state.draft.rows if r.level2 == "数量指标")
    assert blank.value.raw == "" and blank.value.number is None
    assert set_value(state, blank.id, "=3辆").changed
    assert (blank.value.op, blank.value.number, blank.value.unit, blank.value.raw) == ("=", 3.0, "辆", "=3辆")
    drafts.save_draft(store, "alice", draft_id, state, "填写数量")
    assert drafts.open_draft(store, "alice", draft_id).draft.rows[0].value == blank.value
