"""The store as a deployment uses it: a Milvus server in its own process, reached by URI
(`--store milvus://host:port`) from several app processes, and the messages when a store cannot be opened.

The server is milvus-lite's own gRPC server (`python -m milvus_lite server`), started here: it speaks
Milvus's protocol on a TCP port, so the app reaches it through exactly the client code it uses for a
Milvus cluster (pymilvus over gRPC by URI), in processes that share nothing but the server."""

import json
import os
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def milvus_server(tmp_path_factory):
    pytest.importorskip("milvus_lite")
    folder = tmp_path_factory.mktemp("milvus-server")
    port = _free_port()
    log = open(folder / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "milvus_lite", "server", "--data-dir", str(folder / "data"),
                               "--host", "127.0.0.1", "--port", str(port)], stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            assert server.poll() is None, (folder / "server.log").read_text()
            assert time.monotonic() < deadline, "the Milvus server did not start listening in 60 s"
            time.sleep(0.2)
    yield f"milvus://127.0.0.1:{port}"
    server.terminate()
    server.wait(timeout=30)
    log.close()


def _cli(*args, home, store=None):
    env = {**os.environ, "JIXIAO_HOME": str(home), "HF_HUB_OFFLINE": "1"}
    env.pop("JIXIAO_STORE", None)
    extra = ["--store", store] if store else []
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args, *extra], env=env,
                          capture_output=True, text=True, timeout=300)


DRAFT = ["draft", "社区老年人助餐服务", "--goal", "为12个社区600名老人提供助餐", "--budget", "45", "--json"]


def _rows(done) -> list[tuple]:
    assert done.returncode == 0, done.stderr
    return [(r["level2"], r["name"], r["value"], r["description"]) for r in json.loads(done.stdout)["draft"]["rows"]]


def test_replicas_draft_from_one_served_milvus_as_from_the_local_store(milvus_server, prebuilt_home, tmp_path):
    """One process builds the index in the server; two other processes (two app replicas, each with its
    own data folder) draft from it at the same time and get the local store's draft row for row."""
    built = _cli("index", "build", home=prebuilt_home, store=milvus_server)
    assert built.returncode == 0, built.stderr
    assert "已重建索引（601 条指标" in built.stdout and "http://127.0.0.1:" in built.stdout
    replicas = []
    for name in ("a", "b"):  # a replica's data folder: the corpus file, no index of its own
        home = tmp_path / name
        home.mkdir()
        for f in ("corpus.json", "corpus.sqlite"):
            (home / f).write_bytes((prebuilt_home / f).read_bytes())
        replicas.append(home)
    with ThreadPoolExecutor(2) as pool:
        served = list(pool.map(lambda h: _cli(*DRAFT, home=h, store=milvus_server), replicas))
    for done in served:
        assert "已重建" not in done.stderr and "已建立" not in done.stderr, done.stderr  # opened, not built
        assert not (replicas[0] / "index").exists()
    local = _rows(_cli(*DRAFT, home=prebuilt_home, store="local"))
    assert len(local) >= 6
    assert _rows(served[0]) == _rows(served[1]) == local


def test_a_replica_with_an_older_corpus_uses_the_shared_index_without_rebuilding_it(milvus_server, prebuilt_home,
                                                                                   corpus, tmp_path):
    """A replica not yet given the corpus the shared index was built from drafts from the index as it is,
    says so, and leaves it for everyone else (only `index build` rebuilds a shared index)."""
    from corpus import store

    assert _cli("index", "build", home=prebuilt_home, store=milvus_server).returncode == 0  # current for this corpus
    older = corpus.model_copy(deep=True)
    dropped = older.documents.pop()
    store.save(older, tmp_path / "old" / "corpus.json")
    done = _cli(*DRAFT, home=tmp_path / "old", store=milvus_server)
    assert done.returncode == 0, done.stderr
    assert "共享索引与本机语料不一致" in done.stderr and dropped.source in done.stderr
    assert "已重建" not in done.stderr
    current = _cli("index", "build", home=prebuilt_home, store=milvus_server)
    assert "索引为最新（601 条指标）" in current.stdout  # nothing was rebuilt behind the other replicas


def test_a_server_that_does_not_answer_is_named(prebuilt_home):
    done = _cli(*DRAFT, home=prebuilt_home, store=f"milvus://127.0.0.1:{_free_port()}")
    assert done.returncode == 3
    assert "连不上 Milvus 服务 http://127.0.0.1:" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_milvus_lite_file_held_by_another_process_is_explained(prebuilt_home, tmp_path):
    """milvus-lite lets one process open a database file: a second one (the CLI while the UI runs)
    is told why and what to do; once the first releases it, the second opens it."""
    from index.milvus_client import client, close

    path = str(tmp_path / "held.db")
    client(path).list_collections()  # this process holds the file
    try:
        done = _cli(*DRAFT, home=prebuilt_home, store=f"milvus:{path}")
        assert done.returncode == 3
        assert f"打不开 milvus-lite 数据库 {path}" in done.stderr and "milvus://" in done.stderr
        assert "Traceback" not in done.stderr
    finally:
        close(path)
    assert _cli("index", "build", home=prebuilt_home, store=f"milvus:{path}").returncode == 0
