"""Form of a 指标值: it parses, its operator is from the closed set, percentages are credible."""

from __future__ import annotations

import re
from collections.abc import Iterator

from corpus.models import IndicatorRow
from corpus.values import normalise_text, percent_splits, unit_family

from ..findings import Finding
from .base import Context, define, with_precedents
from .lexicon import clean_name, is_rate_name, is_satisfaction

EMPTY = define("value.empty", "error", "指标值为空")
UNPARSED = define("value.unparsed", "error", "指标值无法可靠读取（数字粘连、多余单位、写法不明）")
OPERATOR = define("value.operator", "error", "符号不在 ≥ ≤ = > < 之内（以上、以下、左右、约……）")
MISSING_UNIT = define("value.missing_unit", "error", "指标值只有数字，没有单位")
PERCENT_RANGE = define("value.percent_range", "error", "百分比超出0–100%")
GE_100 = define("value.ge_100", "error", "比率目标写成“≥100%”，不可信")
SAT_FULL = define("value.satisfaction_full", "warning", "满意度目标为100%，不可信")

# Operator words outside the closed set, with what they should be written as.
_LOOSE_OPERATORS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\d.*(及以上|以上)$"), "≥"),
    (re.compile(r"\d.*(及以下|以下|以内)$"), "≤"),
    (re.compile(r"\d.*左右$"), "="),
    (re.compile(r"^(约|大约|大概|≈|~|～)"), "="),
    (re.compile(r"^(超过|多于)\d"), ">"),
    (re.compile(r"^(达到)\d"), "≥"),
]
_GROWTH_WORDS = ("增长", "增幅", "增速", "同比", "环比", "倍")


def check(ctx: Context) -> Iterator[Finding]:
    for i, r in enumerate(ctx.project.rows):
        yield from _check_row(ctx, i, r)


def _check_row(ctx: Context, i: int, r: IndicatorRow) -> Iterator[Finding]:
    v = r.value
    raw = v.raw.strip()
    if not normalise_text(v.raw):
        yield ctx.row(EMPTY, i, "指标值为空", with_precedents(ctx, i, "填写可衡量的目标值（符号+数值+单位）"))
        return
    loose = _loose_operator(v.raw)
    if loose:
        word, op = loose
        yield ctx.row(OPERATOR, i, f"指标值「{raw}」用了「{word}」，不是规定的符号（≥ ≤ = > <）",
                      f"改写为「{op}数值单位」，如「{op}{_digits(v.raw) or '95'}{v.unit or '%'}」")
        return  # the parse problem is the same loose operator; say it once
    if not v.clean:
        yield ctx.row(UNPARSED, i, f"指标值「{raw}」无法可靠读取：{v.problem}",
                      _garbled_fix(ctx, i, v.raw, v.op))
        return
    if v.number is None:
        return  # qualitative values are judged by the quality rules
    if not v.unit:
        yield ctx.row(MISSING_UNIT, i, f"指标值「{raw}」只有数字，没有单位",
                      with_precedents(ctx, i, "补上单位：比率写%，数量写个/人/次，时限写月份/日"))
        return
    if unit_family(v.unit) != "percent":
        return
    if v.number > 100 and not any(w in clean_name(r.name) for w in _GROWTH_WORDS):
        yield ctx.row(PERCENT_RANGE, i, f"百分比「{raw}」超过100%", with_precedents(ctx, i, "比率目标应在0–100%之间", ("percent",)))
    elif v.number < 0:
        yield ctx.row(PERCENT_RANGE, i, f"百分比「{raw}」为负数", "比率目标应在0–100%之间")
    elif v.number == 100 and v.op in ("≥", ">"):
        yield ctx.row(GE_100, i, f"「{raw}」要求不低于100%，比率不可能超过100%",
                      with_precedents(ctx, i, "确需全部完成时写「=100%」，否则写可达到的目标，如「≥95%」", ("percent",)))
    elif v.number == 100 and is_satisfaction(r) and is_rate_name(r.name):
        yield ctx.row(SAT_FULL, i, f"满意度目标「{raw}」为100%，调查中难以达到，不可信",
                      with_precedents(ctx, i, "满意度通常为≥80%至≥95%", ("percent",)))


def _loose_operator(raw: str) -> tuple[str, str] | None:
    text = normalise_text(raw)
    if not any(ch.isdigit() for ch in text):
        return None
    for pattern, op in _LOOSE_OPERATORS:
        m = pattern.search(text)
        if m:
            word = m.group(1) if m.groups() else m.group(0)
            return word, op
    return None


def _digits(raw: str) -> str:
    m = re.search(r"\d+(?:\.\d+)?", normalise_text(raw))
    return m.group(0) if m else ""


def _garbled_fix(ctx: Context, i: int, raw: str, op: str) -> str:
    text = normalise_text(raw)
    m = re.search(r"(\d{4,})(%|百分比)", text)
    parts = []
    if m and "." not in m.group(1):
        for a, b in percent_splits(m.group(1)):
            parts.append(f"疑为「{op}{a}%」与「{b}%」两格合并")
    lead = "；".join(parts) + "，请核对原表只保留本指标的目标值" if parts else "按「符号+数值+单位」重写，如「≥95%」"
    return with_precedents(ctx, i, lead, ("percent",) if parts else ())

