"""Exporting the draft: .xlsx / .docx in the official layout, or the draft itself as .json."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ..drafting.convert import check_draft, draft_to_project
from ..drafting.models import Draft
from .state import ChatError, ChatState, Reply, chat_action, need_draft

_FORMAT_WORDS = {"xlsx": "xlsx", "excel": "xlsx", "xls": "xlsx", "表格": "xlsx", "电子表格": "xlsx",
                 "docx": "docx", "word": "docx", "doc": "docx", "文档": "docx", "json": "json"}


def export_format(word: str | None) -> str | None:
    """'excel' → xlsx, 'word' → docx, 'json' → json; None for a format we do not write."""
    return _FORMAT_WORDS.get((word or "xlsx").strip().lower().lstrip("."))


def export_name(d: Draft, kind: str) -> str:
    """File name of an exported draft: its project name, safe for any file system."""
    stem = re.sub(r"[\\/:*?\"<>|\s]+", "_", d.profile.name).strip("_")[:40] or "草稿"
    return f"{stem}_绩效目标表.{kind}"


@chat_action("export")
def export_draft(state: ChatState, fmt: str = "xlsx", folder: str | Path | None = None) -> Reply:
    """Write the draft as .xlsx / .docx (the official layout) or .json (the draft itself)."""
    kind = export_format(fmt)
    if kind is None:
        raise ChatError(f"不能导出为「{fmt}」。可以导出：Excel（xlsx）、Word（docx）、JSON。例如「导出excel」。")
    d = need_draft(state)
    from corpus.export import control_chars, write_docx, write_xlsx
    from corpus.store import home

    out = Path(folder) if folder else home() / "exports"
    out.mkdir(parents=True, exist_ok=True)
    path = out / export_name(d, kind)
    if kind == "xlsx":
        write_xlsx([draft_to_project(d)], path)
    elif kind == "docx":
        write_docx([draft_to_project(d)], path)
    else:
        path.write_text(json.dumps(d.model_dump(mode="json"), ensure_ascii=False, indent=2), encoding="utf-8")
    errors = [f for f in check_draft(d) if f.is_error]
    text = f"已导出 {len(d.rows)} 行：{path.name}。"  # the file, not a place on the server; the UI offers it
    removed = control_chars([draft_to_project(d)]) if kind in ("xlsx", "docx") else 0
    if removed:
        text += f"\n注意：已删除草稿文字中的{removed}个控制字符（无法写入Office文件的不可见字符）。"
    if errors:
        text += f"\n注意：草稿还有 {len(errors)} 个错误，报送前请处理（说「检查一下」查看）。"
    return Reply(text=text, action="export", file=str(path))
