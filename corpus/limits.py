"""Limits on what one file may hold, checked before it is parsed; the UI and the CLI both read
files through corpus.parse.parse_path, so these are the limits of both.

A .docx/.xlsx is a zip archive: its members' declared sizes and count are read from the zip
directory (no decompression) and a file over a limit is refused with a message that names the
file and the limit. Spreadsheets are then read in read-only (streaming) mode with a row and
cell cap, so a sheet that lies about its size still stops at the cap."""

from __future__ import annotations

MB = 1024 * 1024

MAX_FILE_BYTES = 10 * MB            # the file on disk or uploaded (any type): the UI's upload limit too
MAX_TEXT_BYTES = 10 * MB            # a text export, read whole
MAX_UNCOMPRESSED_BYTES = 100 * MB   # sum of a .docx/.xlsx archive's members, uncompressed
MAX_XML_PART_BYTES = 30 * MB        # one XML part (document.xml, a sheet): parsed in memory
MAX_ZIP_MEMBERS = 2000              # parts in a .docx/.xlsx archive
MAX_COMPRESSION_RATIO = 200         # a member that expands more than this is a zip bomb
MAX_SHEET_ROWS = 30_000             # rows over all sheets of one workbook (a whole department: a few thousand)
MAX_CELLS = 1_000_000               # cells over all sheets of one workbook


def size_text(n: int) -> str:
    return f"{n / MB:.1f} MB" if n >= MB else f"{n} 字节"


def check_zip(path, source: str) -> None:
    """Raise ReadError when the archive's directory declares more than the limits allow."""
    import zipfile

    from .readers.blocks import ReadError

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ReadError(f"{source}: 不是有效的Office文件（.docx/.xlsx 应为zip压缩包），文件可能已损坏或被截断（{type(exc).__name__}）") from exc
    if len(infos) > MAX_ZIP_MEMBERS:
        raise ReadError(f"{source}: 文件包含{len(infos)}个部件，超过上限{MAX_ZIP_MEMBERS}个，未读取")
    total = sum(i.file_size for i in infos)
    if total > MAX_UNCOMPRESSED_BYTES:
        raise ReadError(f"{source}: 解压后大小{size_text(total)}，超过上限{size_text(MAX_UNCOMPRESSED_BYTES)}，未读取")
    for i in infos:
        if i.filename.endswith(".xml") and i.file_size > MAX_XML_PART_BYTES:
            raise ReadError(f"{source}: 部件「{i.filename}」解压后{size_text(i.file_size)}，超过上限{size_text(MAX_XML_PART_BYTES)}，未读取")
        if i.file_size > 10 * MB and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1):
            raise ReadError(f"{source}: 部件「{i.filename}」压缩比超过{MAX_COMPRESSION_RATIO}倍（疑为压缩炸弹），未读取")
