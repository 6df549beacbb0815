"""Settings: which embedding model to use (recorded in every index manifest), how to fuse the two
searches, where drafts are kept.

Order: command-line flag, then the environment ($JIXIAO_MODEL, $JIXIAO_FUSION, $JIXIAO_DATABASE_URL),
then `model` / `fusion` / `database_url` in ~/.jixiao/config.json, then the default (the model chosen
by measurement, index/evaluation/data/results.md; drafts in the data folder's SQLite file)."""

from __future__ import annotations

import json
import os

from corpus.store import home

from .embedders import DEFAULT_SPEC


def config() -> dict:
    path = home() / "config.json"
    if not path.exists():
        return {}
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def model_spec(flag: str | None = None) -> str:
    return flag or os.environ.get("JIXIAO_MODEL") or config().get("model") or DEFAULT_SPEC


def fusion_mode(flag: str | None = None) -> str:
    return flag or os.environ.get("JIXIAO_FUSION") or config().get("fusion") or "blend"


def database_url(flag: str | None = None) -> str | None:
    """A PostgreSQL URL for the drafts (postgresql://user:password@host:port/database), or None: SQLite."""
    return flag or os.environ.get("JIXIAO_DATABASE_URL") or config().get("database_url") or None
