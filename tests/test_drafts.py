"""assistant.drafts: a chat state saved as its owner's draft."""

from assistant import chat, drafts
from assistant.draft_store import DraftStore
from assistant.drafting.profile import make_profile


def test_new_draft_is_empty_and_only_its_owner_opens_it(tmp_path):
    store = DraftStore(tmp_path / "d.sqlite3")
    draft_id, state = drafts.new_draft(store, "alice")
    assert state == chat.ChatState()
    assert drafts.open_draft(store, "alice", draft_id) == state
    assert drafts.open_draft(store, "bob", draft_id) is None  # someone else's
    assert drafts.open_draft(store, "alice", "no-such-draft") is None
    assert [d.title for d in store.list("alice")] == [drafts.UNTITLED]


def test_saved_draft_takes_the_project_name_and_keeps_history(tmp_path):
    store = DraftStore(tmp_path / "d.sqlite3")
    draft_id, state = drafts.new_draft(store, "alice")
    drafts.save_draft(store, "alice", draft_id, state, "第一次")
    assert store.list("alice")[0].title == drafts.UNTITLED  # no project yet: the title stays
    state.profile = make_profile("社区居家养老服务站运营", "服务350名老人", "40")
    drafts.save_draft(store, "alice", draft_id, state, "描述项目")
    assert store.list("alice")[0].title == "社区居家养老服务站运营"
    assert drafts.open_draft(store, "alice", draft_id).profile.name == "社区居家养老服务站运营"
    assert [h.note for h in store.history(draft_id, "alice")] == ["新建", "第一次", "描述项目"]
