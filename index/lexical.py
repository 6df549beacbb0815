"""Lexical matching: character n-gram TF-IDF over distinct texts, rapidfuzz for the shown ratio.

Chinese needs no word segmentation for this: character uni- and bigrams catch 满意度/满意率
and 及时率/及时性 while staying fast on hundreds of thousands of distinct texts.

The TF-IDF is written out in numpy (no scikit-learn at runtime). It computes what
`TfidfVectorizer(analyzer="char", ngram_range=(1, 2), sublinear_tf=True, lowercase=False,
dtype=np.float32)` followed by `matrix @ query.T` computes, in the same float32 operations and
the same order, so the scores are the same to the last bit (tests/test_index.py compares them
when scikit-learn is installed):
  * n-grams: runs of whitespace become one space, then every character and every pair;
  * tf = 1 + ln(count); idf = 1 + ln((n + 1) / (df + 1)); rows scaled to unit length;
  * a document's terms are summed in the order the vocabulary first met them, a query's norm
    in the sorted order of its terms (as scikit-learn's sparse matrices store them)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import numpy as np

_WHITESPACE = re.compile(r"\s\s+")


def char_ngrams(text: str) -> list[str]:
    """Character uni- and bigrams, whitespace runs collapsed to one space."""
    text = _WHITESPACE.sub(" ", text)
    return list(text) + [text[i : i + 2] for i in range(len(text) - 1)]


def _unit_rows(data: np.ndarray, indptr: np.ndarray) -> np.ndarray:
    """Divide each row (CSR layout) by its L2 norm: squares in float32, summed in float64 in
    stored order, division in float64 rounded back to float32. Rows are summed position by
    position (longest first), so the loop runs over row length, not over rows."""
    lengths = np.diff(indptr)
    sums = np.zeros(len(lengths), dtype=np.float64)
    if len(data):
        squares = data * data
        order = np.argsort(-lengths, kind="stable")
        starts, desc = indptr[:-1][order], lengths[order]
        neg = -desc  # ascending
        acc = np.zeros(len(order), dtype=np.float64)
        for p in range(int(desc[0])):
            active = int(np.searchsorted(neg, -p, side="left"))  # rows longer than p
            acc[:active] += squares[starts[:active] + p]
        sums[order] = acc
    norms = np.sqrt(sums)
    norms[norms == 0] = 1.0  # empty rows stay empty
    return (data.astype(np.float64) / np.repeat(norms, lengths)).astype(np.float32)


class LexicalIndex:
    def __init__(self, texts: Sequence[str] = ()):
        self.texts: list[str] = []
        self.vocabulary: dict[str, int] = {}  # n-gram → id, in order of first appearance
        self.idf = np.zeros(0, dtype=np.float32)
        # postings: the texts carrying term j are docs[ptr[j]:ptr[j+1]] (ascending), weights alike
        self.ptr = np.zeros(1, dtype=np.int64)
        self.docs = np.zeros(0, dtype=np.int64)
        self.weights = np.zeros(0, dtype=np.float32)
        if texts:
            self.fit(texts)

    def fit(self, texts: Sequence[str]) -> None:
        """(Re)fit on all distinct texts; cheap next to embedding, so appends simply refit."""
        self.texts = list(texts)
        vocab: dict[str, int] = {}
        indptr, indices, counts = [0], [], []
        for text in self.texts:
            row: dict[int, int] = {}
            for gram in char_ngrams(text):
                j = vocab.setdefault(gram, len(vocab))
                row[j] = row.get(j, 0) + 1
            ids = sorted(row)
            indices.extend(ids)
            counts.extend(row[j] for j in ids)
            indptr.append(len(indices))
        self.vocabulary = vocab
        idx = np.asarray(indices, dtype=np.int64)
        ptr = np.asarray(indptr, dtype=np.int64)
        df = np.bincount(idx, minlength=len(vocab)).astype(np.float32)
        df += 1.0
        self.idf = np.full_like(df, len(self.texts) + 1, dtype=np.float32)
        self.idf /= df
        np.log(self.idf, out=self.idf)
        self.idf += 1.0
        data = np.asarray(counts, dtype=np.float32)
        np.log(data, out=data)
        data += 1.0
        data *= self.idf[idx]
        data = _unit_rows(data, ptr)
        order = np.argsort(idx, kind="stable")
        self.docs = np.repeat(np.arange(len(self.texts), dtype=np.int64), np.diff(ptr))[order]
        self.weights = data[order]
        self.ptr = np.concatenate([[0], np.cumsum(np.bincount(idx, minlength=len(vocab)))]).astype(np.int64)

    def save(self, path: Path) -> None:
        """Postings and idf as arrays, the vocabulary in id order (the texts are the caller's)."""
        np.savez(path, idf=self.idf, ptr=self.ptr, docs=self.docs, weights=self.weights,
                 vocabulary=np.array(list(self.vocabulary), dtype=str))

    @classmethod
    def load(cls, path: Path, texts: Sequence[str]) -> "LexicalIndex":
        """As saved: a large library's texts need not be taken apart again at every start."""
        lex = cls()
        with np.load(path) as data:
            lex.idf, lex.ptr, lex.docs, lex.weights = data["idf"], data["ptr"], data["docs"], data["weights"]
            lex.vocabulary = {g: i for i, g in enumerate(data["vocabulary"].tolist())}
        lex.texts = list(texts)
        if len(lex.ptr) != len(lex.vocabulary) + 1 or len(lex.idf) != len(lex.vocabulary) or (
                len(lex.docs) and int(lex.docs.max()) >= len(lex.texts)):
            raise ValueError("词汇索引与文本不符")
        return lex

    def query_weights(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """The query's known terms (ascending id) and their TF-IDF weights."""
        row: dict[str, int] = {}
        for gram in char_ngrams(query):
            if gram in self.vocabulary:
                row[gram] = row.get(gram, 0) + 1
        terms = sorted(row)  # the query's norm is summed in term order
        ids = np.array([self.vocabulary[t] for t in terms], dtype=np.int64)
        data = np.array([row[t] for t in terms], dtype=np.float32)
        np.log(data, out=data)
        data += 1.0
        data *= self.idf[ids]
        data = _unit_rows(data, np.array([0, len(data)], dtype=np.int64))
        order = np.argsort(ids, kind="stable")
        return ids[order], data[order]

    def scores(self, query: str) -> np.ndarray:
        """Cosine similarity of the query with every text (dense, one float per text)."""
        out = np.zeros(len(self.texts), dtype=np.float32)
        if not self.texts:
            return out
        ids, weights = self.query_weights(query)
        for j, w in zip(ids.tolist(), weights):  # each text sums its terms in ascending id order
            s, e = self.ptr[j], self.ptr[j + 1]
            out[self.docs[s:e]] += self.weights[s:e] * w
        return out


def fuzzy_ratio(query: str, text: str, scorer: str = "WRatio") -> float:
    """rapidfuzz similarity 0-100; plain `ratio` on the raw characters measured best for fusion."""
    from rapidfuzz import fuzz

    return float(getattr(fuzz, scorer)(query, text))
