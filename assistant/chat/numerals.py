"""Chinese numerals in requests: 第三行, 第十二行, 预算四十万.

A lenient reader on purpose: the regexes pass any run of numeral characters, and each must give a
number (百 → 100, 一二 → 2). cn2an rejects such runs or reads them otherwise (一二 → 12), so it is
not used here."""

from __future__ import annotations

import re

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
NUMERAL = r"([0-9]+|[零〇一二两三四五六七八九十百]+)"
CN_MONEY = re.compile(r"([零〇一二两三四五六七八九十百千]+)(万元|万|元)")


def cn_number(s: str) -> int:
    """'3' → 3, '三' → 3, '十二' → 12, '二十' → 20, '一百零五' → 105."""
    if s.isdigit():
        return int(s)
    total = num = 0
    for ch in s:
        if ch in _CN_DIGITS:
            num = _CN_DIGITS[ch]
        elif ch == "十":
            total += (num or 1) * 10
            num = 0
        elif ch == "百":
            total += (num or 1) * 100
            num = 0
        elif ch == "千":
            total += (num or 1) * 1000
            num = 0
    return total + num
