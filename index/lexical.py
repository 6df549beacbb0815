"""Lexical matching: character n-gram TF-IDF over distinct texts, rapidfuzz for the shown ratio.

Chinese needs no word segmentation for this: character uni- and bigrams catch 满意度/满意率
and 及时率/及时性 while staying fast on hundreds of thousands of distinct texts."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


class LexicalIndex:
    def __init__(self, texts: Sequence[str] = ()):
        self.texts: list[str] = []
        self.matrix = None
        self.vectorizer = None
        if texts:
            self.fit(texts)

    def fit(self, texts: Sequence[str]) -> None:
        """(Re)fit on all distinct texts; cheap next to embedding, so appends simply refit."""
        from sklearn.feature_extraction.text import TfidfVectorizer

        self.texts = list(texts)
        self.vectorizer = TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True,
                                          lowercase=False, dtype=np.float32)
        self.matrix = self.vectorizer.fit_transform(self.texts) if self.texts else None

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every text (dense, one float per text)."""
        if self.matrix is None:
            return np.zeros(0, dtype=np.float32)
        q = self.vectorizer.transform([query])
        return np.asarray((self.matrix @ q.T).todense()).ravel().astype(np.float32)


def fuzzy_ratio(query: str, text: str, scorer: str = "WRatio") -> float:
    """rapidfuzz similarity 0-100; plain `ratio` on the raw characters measured best for fusion."""
    from rapidfuzz import fuzz

    return float(getattr(fuzz, scorer)(query, text))
