import os
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

SEEDS = Path(__file__).resolve().parent.parent / "corpus" / "seeds"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """Every test gets its own data folder: no test reads another's corpus or index."""
    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path_factory.mktemp("home")))


@pytest.fixture(scope="session")
def seed_results():
    from corpus.parse import parse_path

    return {p.name[:3]: parse_path(p) for p in sorted(SEEDS.glob("*.txt"))}
