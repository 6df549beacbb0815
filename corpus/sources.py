"""Where a row comes from, as a person recognises it: 单位 · 年度 · 文件标题 · 项目 · 第N行, with the
raw place (file name and lines or cells) kept behind it."""

from __future__ import annotations

import functools
import json
from pathlib import Path

_TITLES = Path(__file__).resolve().with_name("titles.json")  # beside seeds/, which holds documents only


@functools.lru_cache(maxsize=1)
def _bundled_titles() -> dict[str, str]:
    return {k: v for k, v in json.loads(_TITLES.read_text(encoding="utf-8")).items() if not k.startswith("_")}


def document_title(source: str) -> str:
    """A bundled document's own heading; for a user's file, its name without the extension."""
    return _bundled_titles().get(source) or Path(source).stem or source


def place_in(source: str, where: str) -> str:
    """'004_….txt 第711-716行' → '第711-716行' (the part of the raw place inside the file)."""
    return where[len(source):].strip() if source and where.startswith(source) else where


def source_label(unit: str, year: int | None, source: str, project: str, where: str) -> str:
    parts = [unit, f"{year}年" if year else "", f"《{document_title(source)}》" if source else "",
             f"「{project}」" if project else "", place_in(source, where)]
    return " · ".join(p for p in parts if p)
