"""DraftStore shares: a draft shared for review is read by that reviewer only, read-only."""

import sqlite3
from contextlib import closing

import pytest

from assistant import drafts
from assistant.chat import ChatState
from assistant.draft_store import LOCAL_OWNER, DraftStore


def test_share_list_load_and_unshare(draft_backend):
    store = draft_backend()  # SQLite, then PostgreSQL
    a = store.create("alice", "甲项目", "s-a")
    b = store.create("alice", "乙项目", "s-b")
    store.share(a, "alice", "rita")
    store.share(a, "alice", "rita")  # twice changes nothing
    store.share(a, "alice", "rob")
    assert store.reviewers(a, "alice") == ["rita", "rob"]
    assert [(d.id, d.title, d.owner) for d in store.shared_with("rita")] == [(a, "甲项目", "alice")]
    assert store.load_shared(a, "rita") == "s-a"
    with pytest.raises(PermissionError):
        store.load_shared(b, "rita")  # not shared with her
    with pytest.raises(PermissionError):
        store.load_shared(a, "mallory")
    with pytest.raises(PermissionError):
        store.load(a, "rita")  # a reviewer does not open it as its owner (no saving through load/save)
    with pytest.raises(PermissionError):
        store.save(a, "rita", "changed", "改")
    store.unshare(a, "alice", "rita")
    assert store.shared_with("rita") == [] and store.reviewers(a, "alice") == ["rob"]
    assert draft_backend().shared_with("rob")[0].id == a  # another replica sees the share


def test_only_the_owner_shares(tmp_path):
    store = DraftStore(tmp_path / "d.sqlite3")
    a = store.create("alice", "甲项目", "s-a")
    with pytest.raises(PermissionError):
        store.share(a, "mallory", "mallory2")
    with pytest.raises(PermissionError):
        store.reviewers(a, "mallory")
    with pytest.raises(KeyError):
        store.share("nope", "alice", "rita")
    with pytest.raises(ValueError):
        store.share(a, "alice", "alice")
    assert store.shared_with("mallory2") == []


def test_share_draft_and_open_shared(tmp_path):
    store = DraftStore(tmp_path / "d.sqlite3")
    draft_id, state = drafts.new_draft(store, "alice")
    with pytest.raises(ValueError, match="账号"):
        drafts.share_draft(store, "alice", draft_id, "  ")
    with pytest.raises(ValueError, match="自己"):
        drafts.share_draft(store, "alice", draft_id, "alice")
    assert "rita" in drafts.share_draft(store, "alice", draft_id, " rita ")
    assert isinstance(drafts.open_shared(store, "rita", draft_id), ChatState)
    assert drafts.open_shared(store, "rob", draft_id) is None


def test_drafts_made_before_sign_in_go_to_the_local_user(tmp_path):
    """A database of the version before sign-in (no shares table; owners were ?u= ids)."""
    path = tmp_path / "d.sqlite3"
    with closing(sqlite3.connect(path)) as db, db:
        db.executescript("""
            CREATE TABLE drafts (id TEXT PRIMARY KEY, owner TEXT NOT NULL, title TEXT NOT NULL,
                created TEXT NOT NULL, updated TEXT NOT NULL, state TEXT NOT NULL);
            CREATE TABLE history (id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL, time TEXT NOT NULL,
                note TEXT NOT NULL, state TEXT NOT NULL);""")
        for n, owner in enumerate(["3f2a9c0d1e2b4a5c", "narrow"]):
            db.execute("INSERT INTO drafts VALUES (?,?,?,?,?,?)", (f"d{n}", owner, f"旧{n}", "t", f"t{n}", "{}"))
    store = DraftStore(path)
    assert sorted(d.title for d in store.list(LOCAL_OWNER)) == ["旧0", "旧1"]
    store.create("bob@x.cn", "新", "{}")
    assert [d.title for d in DraftStore(path).list("bob@x.cn")] == ["新"]  # done once: later drafts keep their owner


def test_the_local_users_drafts_can_be_given_to_an_account(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    store = DraftStore()
    store.create(LOCAL_OWNER, "一", "{}")
    store.create(LOCAL_OWNER, "二", "{}")
    store.create("bob@x.cn", "三", "{}")
    assert main(["drafts", "give", "alice@x.cn"]) == 0
    assert "2 份草稿" in capsys.readouterr().out
    assert sorted(d.title for d in store.list("alice@x.cn")) == ["一", "二"]
    assert store.list(LOCAL_OWNER) == [] and [d.title for d in store.list("bob@x.cn")] == ["三"]
    assert main(["drafts", "give", " "]) == 2
