"""Reading 指标值 and money amounts as published, keeping the raw text beside the parse."""

from __future__ import annotations

import re

from .models import Money, TargetValue

# Full-width and look-alike characters seen in published tables.
_TRANSLATE = str.maketrans({
    "％": "%", "＝": "=", "＞": ">", "＜": "<", "．": ".", "，": ",", "／": "/",
    "０": "0", "１": "1", "２": "2", "３": "3", "４": "4",
    "５": "5", "６": "6", "７": "7", "８": "8", "９": "9",
    "﹪": "%", "‰": "‰", "︰": ":", "：": ":",
})
_OPERATOR_WORDS = [
    (">=", "≥"), ("<=", "≤"), ("≧", "≥"), ("≦", "≤"), ("=>", "≥"), ("=<", "≤"),
    ("不低于", "≥"), ("不少于", "≥"), ("大于等于", "≥"), ("至少", "≥"), ("不小于", "≥"),
    ("不高于", "≤"), ("不超过", "≤"), ("不多于", "≤"), ("小于等于", "≤"), ("不大于", "≤"),
    ("大于", ">"), ("高于", ">"), ("小于", "<"), ("低于", "<"), ("等于", "="),
]
_UNIT_WORDS = {"百分比": "%", "百分之": "%", "平米": "平方米", "㎡": "平方米", "m²": "平方米"}

# Units a count, money, time, area or rate may carry; compound units join them with "/".
COUNT_UNITS = {
    "个", "人", "次", "份", "场", "场次", "人次", "名", "台", "辆", "件", "项", "户", "本", "期",
    "类", "所", "家", "座", "处", "条", "张", "套", "册", "篇", "部", "批", "块", "棵", "株",
    "间", "支", "队", "组", "只", "宗", "起", "例", "门", "辆次", "户次", "册次", "个次", "栋",
    "幅", "面", "把", "箱", "盏", "根", "桶", "册数", "吨", "千克", "公斤", "万人", "万人次",
}
MONEY_UNITS = {"元", "万元", "亿元", "千元", "万"}
TIME_UNITS = {"天", "日", "月", "月份", "个月", "年", "小时", "周", "季度", "工作日", "个工作日", "分钟"}
SIZE_UNITS = {"平方米", "米", "公里", "千米", "亩", "公顷", "立方米", "平方公里", "延米", "km"}
PERCENT_UNITS = {"%", "‰"}
_ALL_BASE = COUNT_UNITS | MONEY_UNITS | TIME_UNITS | SIZE_UNITS | PERCENT_UNITS

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_VALUE_RE = re.compile(rf"^(?P<op>[≥≤=><]?)(?P<num>{_NUM})(?P<unit>[^\d]*)$")
_OP_ONLY_RE = re.compile(r"^(?P<op>[≥≤=><])(?P<rest>[^\d]+)$")


def normalise_text(raw: str) -> str:
    text = (raw or "").translate(_TRANSLATE)
    text = re.sub(r"\s+", "", text)
    return text


def _normalise_operators(text: str) -> str:
    for word, op in _OPERATOR_WORDS:
        if text.startswith(word):
            return op + text[len(word):]
    return text


def _normalise_unit(unit: str) -> str:
    for word, rep in _UNIT_WORDS.items():
        unit = unit.replace(word, rep)
    return unit


def unit_is_known(unit: str) -> bool:
    """True for a base unit, a counted noun (个社区, 个党支部) or a compound (元/人/月)."""
    if not unit:
        return True
    parts = unit.split("/")
    first = parts[0]
    ok_first = first in _ALL_BASE or (first[:1] == "个" and len(first) <= 5 and first[1:].isalpha())
    # per-unit denominators are nouns (人, 社区, 月, 次 …): any short word
    ok_rest = all(p and len(p) <= 4 and not any(ch.isdigit() for ch in p) for p in parts[1:])
    return ok_first and ok_rest


def unit_family(unit: str) -> str:
    """percent | money | count | time | size | none | other: what kind of quantity a unit measures."""
    if not unit:
        return "none"
    head = unit.split("/")[0]
    if head in PERCENT_UNITS:
        return "percent"
    if head in MONEY_UNITS:
        return "money"
    if head in TIME_UNITS:
        return "time"
    if head in SIZE_UNITS:
        return "size"
    if head in COUNT_UNITS or head.startswith("个"):
        return "count"
    return "other"


def percent_splits(digits: str) -> list[tuple[str, str]]:
    """'95100' → [('95', '100')]: the ways two 1–100 numbers can have run together."""
    out = []
    for cut in range(1, len(digits)):
        a, b = digits[:cut], digits[cut:]
        if a[0] != "0" and b[0] != "0" and 0 < int(a) <= 100 and 0 < int(b) <= 100:
            out.append((a, b))
    return out


def _garbled_percent(digits: str) -> bool:
    """'95100' or '100100': two percentages whose cells ran together in conversion."""
    return "." not in digits and len(digits) >= 4 and bool(percent_splits(digits))


# Deadlines as tables write them: 2024年12月底前, 12月31日前, 12月底, 年底前 (the month is the target).
_DATE_RE = re.compile(r"^(?P<op>[≤<]?)(?:20\d{2}年)?(?P<month>1[0-2]|0?[1-9])月(?:(?P<day>[0-3]?\d)日|底|末|份)?"
                      r"(?P<before>前|之前|以前|内|止)?$")


def _deadline(text: str, raw: str) -> TargetValue | None:
    m = _DATE_RE.match(text)
    if not m or (m.group("day") and not 1 <= int(m.group("day")) <= 31):
        return None
    by_then = m.group("op") or m.group("before") or any(w in text for w in ("底", "末"))
    return TargetValue(raw=raw, op="≤" if by_then else "", number=float(m.group("month")), unit="月份", clean=True)


def parse_target_value(raw: str) -> TargetValue:
    """Parse a published 指标值. Never repairs: a doubtful value keeps clean=False and says why."""
    text = _normalise_operators(normalise_text(raw))
    if not text:
        return TargetValue(raw=raw, clean=False, problem="指标值为空")
    deadline = _deadline(text, raw)
    if deadline is not None:
        return deadline
    m = _VALUE_RE.match(text)
    if m:
        op, digits, unit = m.group("op"), m.group("num").replace(",", ""), _normalise_unit(m.group("unit"))
        if unit in PERCENT_UNITS and _garbled_percent(digits):
            return TargetValue(raw=raw, op=op, unit=unit, clean=False,
                               problem=f"数字粘连：{digits}{unit}（疑为两个百分数合并）")
        number = float(digits)
        if not unit_is_known(unit):
            return TargetValue(raw=raw, op=op, number=number, unit=unit, clean=False,
                               problem=f"无法识别的单位：{unit}")
        return TargetValue(raw=raw, op=op, number=number, unit=unit, clean=True)
    if not any(ch.isdigit() for ch in text):
        m2 = _OP_ONLY_RE.match(text)
        if m2:  # "=全年"
            return TargetValue(raw=raw, op=m2.group("op"), qualitative=m2.group("rest"), clean=True)
        return TargetValue(raw=raw, qualitative=text, clean=True)
    return TargetValue(raw=raw, clean=False, problem=f"无法识别的写法：{text}")


# ---- money -----------------------------------------------------------------

_MONEY_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>万元|亿元|元|万)?")


def to_wan(number: float, unit: str) -> float:
    factor = {"元": 1e-4, "千元": 1e-1, "万元": 1.0, "万": 1.0, "亿元": 1e4}[unit]
    return round(number * factor, 6)


def parse_money(raw: str, default_unit: str = "") -> Money:
    """Read an amount such as '50万元', '3300.00' (unit from the document header) or
    '年度资金总额(含本级) 50万元'. The last amount in the text wins: labels come first."""
    text = normalise_text(raw)
    # drop year-like numbers and bracketed labels so that "2024年" is not read as money
    text = re.sub(r"\d{4}年", "", text)
    text = re.sub(r"[（(][^）)]*[）)]", "", text)
    matches = list(_MONEY_RE.finditer(text))
    if not matches:
        return Money(raw=raw.strip())
    m = matches[-1]
    number = float(m.group("num").replace(",", ""))
    unit = m.group("unit") or default_unit
    if unit == "万":
        unit = "万元"
    if unit not in ("元", "万元", "亿元"):
        return Money(raw=raw.strip())
    wan = to_wan(number, unit)
    return Money(wan=wan, raw=raw.strip(), unit=unit)


def money_unit_from_header(text: str) -> str:
    """'单位：元' / '单位：万元' / '金额单位：万元' / '项目资金 (万元)' → the unit ('' if none)."""
    t = normalise_text(text)
    m = re.search(r"单位:?(万元|元)", t) or re.search(r"[（(](万元|元)[）)]", t)
    return m.group(1) if m else ""
