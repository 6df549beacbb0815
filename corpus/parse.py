"""Parse one file of any supported type into a DocumentResult; problems become issues, not crashes."""

from __future__ import annotations

from pathlib import Path

from . import limits
from .interpret import interpret
from .models import DocumentResult, ParseIssue
from .readers.blocks import Block, ReadError
from .readers.office import docx_blocks, xlsx_blocks
from .readers.text import decode, text_blocks

TEXT_SUFFIXES = {".txt", ".text", ".tsv"}
SUPPORTED_SUFFIXES = TEXT_SUFFIXES | {".docx", ".xlsx", ".xlsm"}
_OLD_FORMATS = {".doc", ".xls", ".wps", ".et"}


def read_blocks(path: Path, source: str) -> list[Block]:
    suffix = path.suffix.lower()
    size = path.stat().st_size
    if size > limits.MAX_FILE_BYTES:
        raise ReadError(f"{source}: 文件大小{limits.size_text(size)}，超过上限{limits.size_text(limits.MAX_FILE_BYTES)}，未读取")
    if suffix in TEXT_SUFFIXES:
        if size > limits.MAX_TEXT_BYTES:
            raise ReadError(f"{source}: 文本文件大小{limits.size_text(size)}，超过上限{limits.size_text(limits.MAX_TEXT_BYTES)}，未读取")
        return text_blocks(decode(path.read_bytes(), source), source)
    if suffix in (".docx", ".xlsx", ".xlsm"):
        limits.check_zip(path, source)
    if suffix == ".docx":
        return docx_blocks(path, source)
    if suffix in (".xlsx", ".xlsm"):
        return xlsx_blocks(path, source)
    if suffix in _OLD_FORMATS:
        raise ReadError(f"{source}: 旧版格式 {suffix} 无法直接读取，请在Word/Excel中另存为 .docx / .xlsx")
    raise ReadError(f"{source}: 无法识别的文件类型「{suffix or '无扩展名'}」（支持 .txt、.docx、.xlsx）")


def parse_path(path: Path | str, source: str | None = None) -> DocumentResult:
    path = Path(path)
    source = source or path.name
    try:
        if path.stat().st_size == 0:
            raise ReadError(f"{source}: 文件为空")
        blocks = read_blocks(path, source)
    except ReadError as exc:
        return DocumentResult(source=source, path=str(path), issues=[ParseIssue(source=source, where=source, message=str(exc))])
    except OSError as exc:
        return DocumentResult(source=source, path=str(path),
                              issues=[ParseIssue(source=source, where=source, message=f"{source}: 无法打开文件（{exc.strerror or exc}）")])
    projects, issues = interpret(source, blocks)
    if not projects and not any(i.severity == "error" for i in issues):
        issues.append(ParseIssue(source=source, where=source,
                                 message=f"{source}: 未找到绩效目标表（没有「一级指标…指标值」表头的表格）"))
    return DocumentResult(source=source, path=str(path), projects=projects, issues=issues)
