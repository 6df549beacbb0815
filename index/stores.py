"""Which store holds the index: the setting, and the one place that opens it.

`--store`, then $JIXIAO_STORE, then `store` in ~/.jixiao/config.json; default the local FAISS
store in the data folder. Values:
  * `local` (or empty): index/store.py, files under ~/.jixiao/index;
  * `milvus`: embedded milvus-lite in ~/.jixiao/milvus.db;
  * `milvus:<file>` or a path ending in `.db`: milvus-lite in that file;
  * `milvus://host:19530` (or `http(s)://…`): a Milvus server shared by several app replicas."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from corpus.models import Corpus
from corpus.store import home

from .embedders import Embedder
from .protocol import Index
from .settings import config
from .store import Progress


class StoreSetting(BaseModel):
    kind: Literal["local", "milvus"] = "local"
    uri: str = ""  # milvus: a database file (milvus-lite) or http(s)://host:port

    def describe(self) -> str:
        return "本地 FAISS 索引" if self.kind == "local" else f"Milvus（{self.uri}）"


def parse_store(value: str | None) -> StoreSetting:
    """The setting from its text; raises ValueError (in Chinese) on anything else."""
    text = (value or "").strip()
    if text in ("", "local", "faiss"):
        return StoreSetting()
    if text == "milvus":
        return StoreSetting(kind="milvus", uri=str(home() / "milvus.db"))
    if text.startswith("milvus://"):
        return StoreSetting(kind="milvus", uri="http://" + text[len("milvus://"):])
    if text.startswith(("http://", "https://")):
        return StoreSetting(kind="milvus", uri=text)
    if text.startswith("milvus:"):
        return StoreSetting(kind="milvus", uri=str(Path(text[len("milvus:"):]).expanduser()))
    if text.endswith(".db"):
        return StoreSetting(kind="milvus", uri=str(Path(text).expanduser()))
    raise ValueError(f"无法识别的存储设置「{text}」：可用 local、milvus、milvus:<文件.db> 或 milvus://主机:19530")


def store_setting(flag: str | None = None) -> StoreSetting:
    return parse_store(flag or os.environ.get("JIXIAO_STORE") or config().get("store"))


def open_store(corpus: Corpus, embedder: Embedder, store: StoreSetting | None = None, rebuild: bool = False,
               backend: str = "auto", fusion: str | None = None, progress: Progress | None = None,
               maintain: bool = False) -> Index:
    """The current index of this corpus in the chosen store (loaded, extended or rebuilt, as the status says).
    `maintain`: this command maintains the index (`index build`, adding documents) — only then is an index
    shared on a Milvus server rebuilt because this machine's corpus differs from it."""
    store = store or store_setting()
    if store.kind == "milvus":
        from .milvus_store import open_milvus  # pymilvus only when chosen

        return open_milvus(corpus, embedder, store.uri, rebuild=rebuild, fusion=fusion, progress=progress,
                           maintain=maintain)
    from .store import open_indexes

    return open_indexes(corpus, embedder, rebuild=rebuild, backend=backend, fusion=fusion, progress=progress)


def stored_milvus(corpus: Corpus, embedder: Embedder, store: StoreSetting) -> Index | None:
    """The index stored in Milvus when it is current (opened, never built or extended); None when
    there is none or it is out of date. Raises ValueError when it cannot be used."""
    from .milvus_store import MilvusIndexes
    from .settings import fusion_mode
    from .store import corpus_digests

    try:
        idx = MilvusIndexes.load(embedder, store.uri)
    except ValueError as exc:
        if str(exc) == "尚未建立索引":
            return None
        raise
    if idx.manifest.documents != corpus_digests(corpus):
        return None
    idx.fusion = idx.rows.fusion = idx.projects.fusion = fusion_mode()
    return idx


def build_index(corpus: Corpus, embedder: Embedder, store: StoreSetting | None = None) -> Index:
    """A fresh index of this corpus that is not the user's (the evaluation's held-out folds): in
    memory for the local store, under its own collection prefix in Milvus."""
    store = store or store_setting()
    if store.kind == "milvus":
        from .milvus_store import MilvusIndexes

        return MilvusIndexes.build(corpus, embedder, store.uri, prefix="jixiao_eval")
    from .store import Indexes

    return Indexes.build(corpus, embedder)
