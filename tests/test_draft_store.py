import threading

import pytest

from assistant.draft_store import DraftStore


def test_save_list_history_and_owners(tmp_path):
    store = DraftStore(tmp_path / "d.sqlite3")
    a = store.create("alice", "养老服务", '{"v": 1}')
    store.save(a, "alice", '{"v": 2}', "修改第3行")
    b = store.create("bob", "道路改造", '{"v": 9}')
    assert [d.id for d in store.list("alice")] == [a] and [d.id for d in store.list("bob")] == [b]
    assert store.load(a, "alice") == '{"v": 2}'
    assert [h.note for h in store.history(a, "alice")] == ["新建", "修改第3行"]
    first = store.history(a, "alice")[0].id
    assert store.version(a, "alice", first) == '{"v": 1}'
    with pytest.raises(PermissionError):
        store.load(a, "bob")
    with pytest.raises(PermissionError):
        store.save(a, "bob", "{}", "覆盖")
    assert store.load(a, "alice") == '{"v": 2}'
    with pytest.raises(KeyError):
        store.load("missing", "alice")


def test_wal_and_a_reopened_store_loses_nothing(tmp_path):
    path = tmp_path / "d.sqlite3"
    store = DraftStore(path)
    d = store.create("u", "t", "s0")
    errors = []

    def writer(n):
        try:
            for i in range(20):
                DraftStore(path).save(d, "u", f"s{n}-{i}", f"写{n}-{i}")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    import sqlite3

    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(DraftStore(path).history(d, "u")) == 61
