"""Which embedding model to use: a setting, recorded in every index manifest.

Order: command-line flag, then $JIXIAO_MODEL, then `model` in ~/.jixiao/config.json, then the
default chosen by measurement (index/evaluation/data/results.md)."""

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
