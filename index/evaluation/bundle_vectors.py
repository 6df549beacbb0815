"""Write the vectors of the bundled corpus's texts into index/bundled/ for the default model, so a
fresh machine builds its first index with no model pass (the package carries them), and the query
vectors of its indicator names, so checking a table of common names needs none either.

    HF_HUB_OFFLINE=1 python -m index.evaluation.bundle_vectors

Run again when the bundled documents or the default model change (tests/test_bundled_vectors.py
fails until then)."""

from __future__ import annotations

import tempfile
from pathlib import Path

from corpus.build import build

from ..cache import BUNDLED, EmbeddingCache
from ..embedders import DEFAULT_SPEC as DEFAULT_MODEL
from ..embedders import get_embedder
from ..store import Indexes, corpus_digests


def bundled_texts_cache(folder: Path, model: str = DEFAULT_MODEL) -> EmbeddingCache:
    """A cache in `folder` holding exactly the texts an index of the bundled corpus embeds."""
    embedder = get_embedder(model)
    corpus = build()
    idx = Indexes(embedder, folder / "index")
    idx.cache = EmbeddingCache(folder, embedder, bundled=False)  # nothing shipped: every text embedded
    idx.add_documents(corpus, set(corpus_digests(corpus)))
    return idx.cache


def bundled_queries_cache(folder: Path, model: str = DEFAULT_MODEL) -> EmbeddingCache:
    """A query cache in `folder` holding the bundled corpus's distinct indicator names (what the
    validator searches for, row by row)."""
    cache = EmbeddingCache(folder, get_embedder(model), bundled=False, query=True)
    cache.encode(bundled_query_texts())
    return cache


def bundled_query_texts() -> list[str]:
    return sorted({r.name for _, r in build().rows() if r.name.strip()})


def main() -> None:
    BUNDLED.mkdir(exist_ok=True)
    for make in (bundled_texts_cache, bundled_queries_cache):
        with tempfile.TemporaryDirectory() as tmp:
            cache = make(Path(tmp))
            name = EmbeddingCache.model_name(cache.embedder.name, cache.query)
            for src, dst in zip(cache.paths, EmbeddingCache.files(BUNDLED, name)):
                dst.write_bytes(src.read_bytes())
                print(f"{dst}: {dst.stat().st_size / 1e6:.2f} MB")
        print(f"{len(cache.memory)} texts")


if __name__ == "__main__":
    main()
