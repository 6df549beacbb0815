"""Mojibake: text that went through the wrong encoding (UTF-8 read as Latin-1/CP1252 gives
「é«˜」「Ã©」, a lost character becomes U+FFFD「�」or「锟斤拷」, GBK lost to「???」)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..findings import Finding
from .base import Context, define

GARBLED = define("value.garbled", "error", "文字乱码（编码错误：é«、Ã©、�、锟斤拷、???）")

_CP1252 = "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ"
# a UTF-8 lead byte read as Latin-1/CP1252 (À–ÿ) followed by a continuation byte read the same way
_LATIN = re.compile(rf"[\u00c0-\u00ff][\u0080-\u00bf{_CP1252}]")
_PATTERNS = [
    re.compile("\ufffd"),                 # the replacement character
    re.compile("锟斤拷|烫烫烫|屯屯屯"),      # U+FFFD / uninitialised memory through GBK
    _LATIN,
    re.compile(r"[?？]{3,}"),              # characters the encoder could not write
    re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]"),  # control characters (binary read as text)
]


def garbled(text: str) -> str | None:
    """The first garbled piece of `text`, or None."""
    for pattern in _PATTERNS:
        m = pattern.search(text or "")
        if m:
            return m.group(0)
    return None


def _shown(piece: str) -> str:
    return piece.encode("unicode_escape").decode("ascii") if piece.isprintable() is False else piece


def check(ctx: Context) -> Iterator[Finding]:
    p = ctx.project
    piece = garbled(p.name)
    if piece:
        yield ctx.table(GARBLED, f"项目名称含乱码「{_shown(piece)}」，文件可能以错误的编码保存或转换",
                        "从原始文件重新复制，或以UTF-8/GBK正确编码重新导出")
    for i, r in enumerate(p.rows):
        for label, text in (("指标名称", r.name), ("指标值", r.value.raw), ("指标描述", r.description)):
            piece = garbled(text)
            if piece:
                yield ctx.row(GARBLED, i, f"{label}含乱码「{_shown(piece)}」，文件可能以错误的编码保存或转换",
                              "从原始文件重新复制本行，或以UTF-8/GBK正确编码重新导出")
                break
