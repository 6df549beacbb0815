"""The user's own documents: preview what an upload would add, then add it to the stored corpus
and bring the search index up to date (extended, not rebuilt, when the corpus only grew)."""

from __future__ import annotations

from collections.abc import Callable

from pydantic import BaseModel

from corpus.build import load_or_build
from corpus import limits
from corpus.library import add_documents, preview_upload
from corpus.models import DocumentResult

MAX_UPLOAD_MB = limits.MAX_FILE_BYTES // limits.MB  # larger files are not read (corpus/limits.py, CLI too)

Progress = Callable[[float, str], None]  # (fraction done 0…1, what is being done)


class Added(BaseModel):
    sources: list[str]  # the documents added (or replaced) in the corpus
    rows: int  # indicator rows they hold
    index_status: str  # what happened to the index (extended, rebuilt, …)


def too_large(size: int) -> bool:
    return size > MAX_UPLOAD_MB * 2**20


def preview(files: list[tuple[str, bytes]]) -> list[DocumentResult]:
    """What each file would add, parsed without keeping it."""
    return [preview_upload(name, data) for name, data in files]


def readable(files: list[tuple[str, bytes]], previews: list[DocumentResult]) -> list[tuple[str, bytes]]:
    """The files whose preview found at least one project table: the ones worth adding."""
    return [f for f, r in zip(files, previews) if r.projects]


def add_to_corpus(files: list[tuple[str, bytes]], embedder, progress: Progress | None = None) -> Added:
    """Keep the files, add what they hold to the stored corpus, and update the saved index with
    `embedder` (only texts not embedded before are embedded)."""
    report = progress or (lambda fraction, text: None)
    report(0.0, "正在加入语料…")
    sources = add_documents(files)
    from index.stores import open_store  # the index stack is heavy; previewing does not need it

    corpus = load_or_build()
    rows = sum(len(p.rows) for d in corpus.documents if d.source in sources for p in d.projects)
    done = 0

    def embedded(n: int) -> None:
        nonlocal done
        done += n
        report(min(0.95, 0.1 + 0.85 * done / max(1, 2 * rows)),
               f"正在更新检索索引：已为 {done} 条新文本计算向量（已有的文本不再计算）…")

    report(0.1, "正在更新检索索引…")
    status = open_store(corpus, embedder, progress=embedded, maintain=True).status
    report(1.0, "完成")
    return Added(sources=sources, rows=rows, index_status=status)
