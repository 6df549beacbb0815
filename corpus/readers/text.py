"""Plain-text exports of Word documents: decoding and the two table layouts seen in the wild.

1. one cell per line: each cell starts with a tab, a cell's further lines follow without one,
   rows are separated by blank lines (sometimes a blank line falls inside a row);
2. one row per line: cells separated by tabs, merged cells left as empty cells.
"""

from __future__ import annotations

import re

from ..models import Provenance
from .blocks import Block, ReadError, Row, Text

_BOOKMARK = re.compile(r"\[bookmark:[^\]]*\]")


def decode(data: bytes, source: str) -> str:
    """UTF-8 (with or without BOM) or UTF-16 with BOM, else GB18030 (a superset of GBK/GB2312)."""
    if not data.strip():
        raise ReadError(f"{source}: 文件为空")
    encodings = ["utf-16"] if data.startswith((b"\xff\xfe", b"\xfe\xff")) else ["utf-8-sig", "gb18030"]
    text = None
    for enc in encodings:
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError as exc:
            failed_line = data[: exc.start].count(b"\n") + 1
    if text is None:
        raise ReadError(f"{source}: 第{failed_line}行编码无法识别（既不是UTF-8也不是GBK/GB18030）")
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\n\r\f")
    if controls > max(3, len(text[:20000]) // 200):
        raise ReadError(f"{source}: 不是文本文件（含二进制内容），无法读取")
    return text


def _clean(line: str) -> str:
    return _BOOKMARK.sub("", line.replace("\r", ""))


def is_row_layout(lines: list[str]) -> bool:
    """Tab-per-row exports put several filled cells on one line; cell-per-line exports never do."""
    multi = sum(1 for ln in lines if len([c for c in ln.split("\t") if c.strip()]) >= 2)
    return multi >= 3


def text_blocks(text: str, source: str) -> list[Block]:
    lines = [_clean(ln) for ln in text.split("\n")]
    if is_row_layout(lines):
        return _row_layout(lines, source)
    return _cell_layout(lines, source)


def _row_layout(lines: list[str], source: str) -> list[Block]:
    blocks: list[Block] = []
    for no, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = Provenance(source=source, line_start=no, line_end=no)
        if "\t" in line:
            blocks.append(Row(cells=[c.strip() for c in line.split("\t")], where=where, layout="tabs"))
        else:
            blocks.append(Text(text=line.strip(), where=where))
    return blocks


def _cell_layout(lines: list[str], source: str) -> list[Block]:
    blocks: list[Block] = []
    cells: list[str] = []
    start = end = 0
    prev = "blank"  # what the previous line was: blank | cell | text

    def flush() -> None:
        nonlocal cells
        if cells:
            blocks.append(Row(cells=[c.strip() for c in cells],
                              where=Provenance(source=source, line_start=start, line_end=end)))
        cells = []

    for no, line in enumerate(lines, 1):
        if line.startswith("\t"):
            if not cells:
                start = no
            # tabs inside a cell line are part of the cell's text, not separators
            cells.append(line[1:].replace("\t", " "))
            end = no
            prev = "cell"
        elif not line.strip():
            flush()
            prev = "blank"
        elif prev == "cell":
            cells[-1] += "\n" + line.replace("\t", " ")  # a cell's further line
            end = no
        else:
            flush()
            blocks.append(Text(text=line.strip(), where=Provenance(source=source, line_start=no, line_end=no)))
            prev = "text"
    flush()
    return blocks
