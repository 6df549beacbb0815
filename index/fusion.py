"""Fusing a vector score with a lexical one: pure functions used by the hybrid index and by the
evaluation scripts (index/evaluation/), so the figures there describe the shipped arithmetic.

* `minmax`: per-query min-max scaling. e5 cosines crowd into a few hundredths (0.75-0.95) while
  lexical scores spread over 0-1, so raw scores would let one side decide alone.
* `blend`: convex blend alpha * first + (1 - alpha) * second of the scaled scores.
* `rrf` / `rrf_merge`: reciprocal-rank fusion, from score matrices or from ranked id lists."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

RRF_K = 60  # the usual constant; ranks beyond ~k barely matter


def minmax(scores: np.ndarray, constant: float = 1.0) -> np.ndarray:
    """Scale to 0-1 along the last axis (one query per row). A row whose scores are all equal
    cannot be scaled and becomes `constant` (the hybrid index uses 1, the evaluation 0; either
    way the row's order is unchanged)."""
    s = np.asarray(scores)
    if s.shape[-1] == 0:
        return s.copy()
    lo, hi = s.min(axis=-1, keepdims=True), s.max(axis=-1, keepdims=True)
    span = hi - lo
    scaled = (s - lo) / np.where(span > 0, span, np.ones_like(span))
    return np.where(span > 0, scaled, np.asarray(constant, dtype=scaled.dtype))


def blend(first: np.ndarray, second: np.ndarray, alpha: float, constant: float = 1.0) -> np.ndarray:
    """alpha * minmax(first) + (1 - alpha) * minmax(second), per query."""
    return alpha * minmax(first, constant) + (1 - alpha) * minmax(second, constant)


def rrf(*score_mats: np.ndarray, k: int = RRF_K) -> np.ndarray:
    """Reciprocal-rank fusion of (n_queries, n_candidates) score matrices: sum of 1 / (k + rank),
    rank 1-based per row (stable on ties)."""
    out = np.zeros_like(score_mats[0], dtype=np.float64)
    for s in score_mats:
        ranks = np.argsort(np.argsort(-s, axis=1, kind="stable"), axis=1) + 1
        out += 1.0 / (k + ranks)
    return out


def rrf_merge(*rankings: Iterable[int], k: int = RRF_K) -> dict[int, float]:
    """Reciprocal-rank fusion of ranked id lists (best first): id → sum of 1 / (k + rank)."""
    fused: dict[int, float] = {}
    for ranking in rankings:
        for rank, t in enumerate(ranking):
            fused[int(t)] = fused.get(int(t), 0.0) + 1.0 / (k + rank + 1)
    return fused
