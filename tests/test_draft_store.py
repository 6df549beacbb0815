"""The draft store on both backends (`draft_backend`: SQLite, then a real PostgreSQL started by the
tests), several stores on one database standing for several replicas of the app, and the faults of
a database server."""

import sqlite3
import threading

import pytest

from assistant.draft_store import DraftStore, DraftsUnavailable
from corpus import store as data_store


def _threads(target, *args_list):
    errors = []

    def run(*args):
        try:
            target(*args)
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=args) for args in args_list]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors


def test_save_list_history_and_owners(draft_backend):
    store = draft_backend()
    a = store.create("alice", "养老服务", '{"v": 1}')
    store.save(a, "alice", '{"v": 2}', "修改第3行")
    b = store.create("bob", "道路改造", '{"v": 9}')
    assert [d.id for d in store.list("alice")] == [a] and [d.id for d in store.list("bob")] == [b]
    assert store.list("alice")[0].versions == 2 and store.list("alice")[0].title == "养老服务"
    assert store.load(a, "alice") == '{"v": 2}'
    assert [h.note for h in store.history(a, "alice")] == ["新建", "修改第3行"]
    first = store.history(a, "alice")[0].id
    assert store.version(a, "alice", first) == '{"v": 1}'
    with pytest.raises(PermissionError):
        store.load(a, "bob")
    with pytest.raises(PermissionError):
        store.save(a, "bob", "{}", "覆盖")
    with pytest.raises(PermissionError):
        store.history(a, "bob")
    assert store.load(a, "alice") == '{"v": 2}'
    with pytest.raises(KeyError):
        store.load("missing", "alice")
    with pytest.raises(KeyError):
        store.version(a, "alice", 10**9)
    store.save(a, "alice", '{"v": 3}', "改名", title="养老服务（二）")
    assert store.list("alice")[0].title == "养老服务（二）"
    # text as it is: quotes, percent signs, question marks and placeholders are data, not SQL
    odd = "50% 的 '老人'? %s ? $1 \\ \"引号\""
    c = store.create("alice", odd, odd, note=odd)
    assert store.load(c, "alice") == odd and store.history(c, "alice")[0].note == odd
    assert draft_backend().load(c, "alice") == odd  # another store on the same database sees it


def test_a_reopened_store_loses_nothing(draft_backend):
    d = draft_backend().create("u", "t", "s0")

    def writer(n):
        store = draft_backend()
        for i in range(20):
            store.save(d, "u", f"s{n}-{i}", f"写{n}-{i}")

    _threads(writer, *[(n,) for n in range(3)])
    history = draft_backend().history(d, "u")
    assert len(history) == 61 and len({h.id for h in history}) == 61


def test_sqlite_is_in_wal_mode(tmp_path):
    path = tmp_path / "d.sqlite3"
    DraftStore(path).create("u", "t", "s0")
    assert sqlite3.connect(path).execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_two_replicas_writing_at_once_lose_nothing(draft_backend):
    """Two stores on one database (two replicas of the app), three users each, all writing at once:
    each to a draft of their own and all to one shared by alice; every save is kept, in order."""
    replicas = [draft_backend(), draft_backend()]
    shared = replicas[0].create("alice", "共享", "0")
    own: dict[str, str] = {}

    def user(r, u):
        store = replicas[r]
        mine = own[f"{r}{u}"] = store.create(f"u{r}{u}", f"草稿{r}{u}", "0")
        for i in range(15):
            store.save(mine, f"u{r}{u}", f"{i}", f"第{i}次")
            store.save(shared, "alice", f"{r}{u}-{i}", f"{r}{u}-{i}")

    _threads(user, *[(r, u) for r in range(2) for u in range(3)])
    check = draft_backend()
    notes = [h.note for h in check.history(shared, "alice")]
    assert len(notes) == 1 + 6 * 15
    for writer in (f"{r}{u}" for r in range(2) for u in range(3)):  # each writer's saves in its order
        assert [n for n in notes if n.startswith(writer + "-")] == [f"{writer}-{i}" for i in range(15)]
    for key, draft_id in own.items():
        assert [d.id for d in check.list(f"u{key}")] == [draft_id]
        assert check.load(draft_id, f"u{key}") == "14" and len(check.history(draft_id, f"u{key}")) == 16


def test_replicas_starting_at_once_on_an_empty_database(postgres_url):
    stores = []
    _threads(lambda: stores.append(DraftStore(url=postgres_url)), *[() for _ in range(6)])
    ids = [s.create("u", "t", "{}") for s in stores]
    assert sorted(d.id for d in stores[0].list("u")) == sorted(ids)


def test_the_configured_url_is_used(postgres_url, monkeypatch):
    from index.settings import database_url

    monkeypatch.setenv("JIXIAO_DATABASE_URL", postgres_url)
    store = DraftStore()
    assert store.backend.kind == "PostgreSQL" and store.path is None
    d = store.create("u", "t", "{}")
    assert DraftStore(url=postgres_url).load(d, "u") == "{}"
    assert not (data_store.home() / "drafts.sqlite3").exists()
    monkeypatch.delenv("JIXIAO_DATABASE_URL")
    assert database_url() is None and DraftStore().backend.kind == "SQLite"
    (data_store.home()).mkdir(parents=True, exist_ok=True)
    (data_store.home() / "config.json").write_text(f'{{"database_url": "{postgres_url}"}}', encoding="utf-8")
    assert database_url() == postgres_url and DraftStore().list("u")[0].id == d


def test_unreachable_database_is_a_clear_message():
    from assistant.evaluation.local_postgres import _free_port

    data_store.take_notices()
    url = f"postgresql://jixiao:secret-password@127.0.0.1:{_free_port()}/drafts"
    store = DraftStore(url=url)  # opens: the app starts and reads what it can
    notices = data_store.take_notices()
    assert any("草稿数据库" in m and "无法连接" in m and "127.0.0.1" in m for m in notices), notices
    assert not any("secret-password" in m for m in notices)
    assert store.list("u") == []
    with pytest.raises(DraftsUnavailable, match="无法连接"):
        store.create("u", "t", "{}")
    with pytest.raises(DraftsUnavailable):
        store.save("x", "u", "{}", "改")
    with pytest.raises(DraftsUnavailable):
        store.load("x", "u")


def test_a_database_that_comes_later_is_used_without_restart(postgres_server):
    from assistant.evaluation.local_postgres import create_database, drop_database

    name = "comes_later"
    url = postgres_server.rsplit("/", 1)[0] + "/" + name
    data_store.take_notices()
    store = DraftStore(url=url)  # the database does not exist yet
    assert store.list("u") == [] and any("无法连接" in m for m in data_store.take_notices())
    create_database(postgres_server, name)
    assert store.list("u") == []  # not asked again at once: a page does not wait for a dead server
    store.backend.retry_after = 0
    try:
        d = store.create("u", "t", "{}")
        assert [x.id for x in store.list("u")] == [d]
    finally:
        store.backend.close()
        drop_database(postgres_server, name)


def test_connections_closed_by_the_server_are_reopened(postgres_url):
    import psycopg

    store = DraftStore(url=postgres_url)
    d = store.create("u", "t", "{}")
    _threads(lambda: store.save(d, "u", "{}", "改"), *[() for _ in range(4)])  # a few pooled connections
    with psycopg.connect(postgres_url, autocommit=True) as admin:  # as a server restart would
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    store.save(d, "u", '{"after": 1}', "之后")
    assert store.load(d, "u") == '{"after": 1}' and len(store.history(d, "u")) == 6


def test_ui_command_takes_a_database_url(monkeypatch, capsys):
    import os
    import subprocess

    from assistant import cli

    monkeypatch.setattr(subprocess, "call", lambda command: 0)
    monkeypatch.setenv("JIXIAO_DATABASE_URL", "")  # restored after the test: cmd_ui sets it for the app
    assert cli.main(["ui", "--database-url", "postgresql://jx:secret@db.example:5433/drafts"]) == 0
    assert os.environ["JIXIAO_DATABASE_URL"] == "postgresql://jx:secret@db.example:5433/drafts"
    err = capsys.readouterr().err
    assert "PostgreSQL：db.example:5433/drafts" in err and "secret" not in err


def test_a_new_table_and_method_work_on_both_backends(draft_backend, monkeypatch):
    """What adding a table (say, drafts shared with a reviewer) takes: a CREATE TABLE in _SCHEMA,
    written as for SQLite, and methods written like DraftStore's; an upsert as ON CONFLICT."""
    from contextlib import closing

    from assistant import draft_store

    monkeypatch.setattr(draft_store, "_SCHEMA", draft_store._SCHEMA + """
CREATE TABLE IF NOT EXISTS shares_example (
    id INTEGER PRIMARY KEY AUTOINCREMENT, draft_id TEXT NOT NULL, reviewer TEXT NOT NULL,
    since TEXT NOT NULL, UNIQUE (draft_id, reviewer));
""")
    store = draft_backend()
    d = store.create("alice", "t", "{}")
    for since in ("一", "二"):
        with closing(store._connect()) as db, db:
            store._check_owner(db, d, "alice")
            db.execute("INSERT INTO shares_example(draft_id, reviewer, since) VALUES (?,?,?) "
                       "ON CONFLICT (draft_id, reviewer) DO UPDATE SET since = excluded.since", (d, "rev", since))
    with closing(store._connect()) as db:
        rows = db.execute("SELECT id, reviewer, since FROM shares_example WHERE draft_id=?", (d,)).fetchall()
    assert [tuple(r[1:]) for r in rows] == [("rev", "二")] and isinstance(rows[0][0], int)


def test_drafts_benchmark_runs_on_both_backends(capsys):
    from assistant.evaluation import drafts_bench

    assert drafts_bench.main(["--saves", "8", "--others", "4", "--state-kb", "2"]) == 0
    out = capsys.readouterr().out
    assert "| SQLite" in out and "| PostgreSQL 15" in out and "save p50 ms" in out


def test_a_connection_lost_inside_a_save_saves_nothing_of_it(postgres_url):
    """Dropped after the save's first statement: the save fails with the clear message and leaves
    no half (no version without its draft update); the next save works."""
    from contextlib import closing

    import psycopg

    store = DraftStore(url=postgres_url)
    d = store.create("u", "t", "s0")
    with pytest.raises(DraftsUnavailable, match="无法连接"):
        with closing(store._connect()) as db, db:
            store._check_owner(db, d, "u")
            pid = db.execute("SELECT pg_backend_pid()").fetchone()[0]
            db.execute("UPDATE drafts SET state=? WHERE id=?", ("half", d))
            with psycopg.connect(postgres_url, autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s, 5000)", (pid,))  # waits until it is gone
            db.execute("INSERT INTO history(draft_id, time, note, state) VALUES (?,?,?,?)", (d, "t", "半", "half"))
    assert store.load(d, "u") == "s0" and [h.note for h in store.history(d, "u")] == ["新建"]
    store.save(d, "u", "s1", "之后")
    assert store.load(d, "u") == "s1"
