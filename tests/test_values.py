import pytest

from corpus.values import parse_money, parse_target_value, unit_family


@pytest.mark.parametrize("raw, op, number, unit", [
    ("≥95%", "≥", 95, "%"),
    ("=100%", "=", 100, "%"),
    ("100%", "", 100, "%"),
    ("≥90百分比", "≥", 90, "%"),
    ("≥ 90 %", "≥", 90, "%"),
    ("95％", "", 95, "%"),
    ("=8.73亩", "=", 8.73, "亩"),
    ("13个", "", 13, "个"),
    ("≥800个", "≥", 800, "个"),
    ("355名", "", 355, "名"),
    ("≥30人次", "≥", 30, "人次"),
    ("≤5万元", "≤", 5, "万元"),
    ("≤0.08万元", "≤", 0.08, "万元"),
    ("≤10万元/社区", "≤", 10, "万元/社区"),
    ("300元/人", "", 300, "元/人"),
    ("≤6万元/人", "≤", 6, "万元/人"),
    ("200000 元", "", 200000, "元"),
    ("≤12月份", "≤", 12, "月份"),
    ("≤10个月", "≤", 10, "个月"),
    ("≤30日", "≤", 30, "日"),
    ("<1百分比", "<", 1, "%"),
    ("＝13个", "=", 13, "个"),
    ("=4个社区", "=", 4, "个社区"),
    ("不低于90%", "≥", 90, "%"),
    (">=85%", "≥", 85, "%"),
])
def test_quantitative_values(raw, op, number, unit):
    v = parse_target_value(raw)
    assert (v.op, v.number, v.unit, v.clean) == (op, number, unit, True)
    assert v.raw == raw  # the published text is kept as it was


@pytest.mark.parametrize("raw, qualitative, op", [
    ("全年", "全年", ""), ("及时", "及时", ""), ("是", "是", ""), ("提高", "提高", ""),
    ("明显", "明显", ""), ("有效\n保障", "有效保障", ""), ("无", "无", ""), ("=全年", "全年", "="),
])
def test_qualitative_values(raw, qualitative, op):
    v = parse_target_value(raw)
    assert v.number is None and v.qualitative == qualitative and v.op == op and v.clean


@pytest.mark.parametrize("raw", ["≥95100%", "100100%", ">95100%"])
def test_run_together_percentages_are_reported_not_repaired(raw):
    v = parse_target_value(raw)
    assert not v.clean and v.number is None and "粘连" in v.problem and v.raw == raw


@pytest.mark.parametrize("raw", ["2022年1-12月", "≥90%以上吧3", "12xx个"])
def test_unreadable_values_are_flagged(raw):
    v = parse_target_value(raw)
    assert not v.clean and v.problem


def test_empty_value_is_flagged():
    assert not parse_target_value("  ").clean


def test_unit_families():
    assert unit_family("%") == "percent"
    assert unit_family("万元/人") == "money"
    assert unit_family("个社区") == "count"
    assert unit_family("月份") == "time"
    assert unit_family("") == "none"


@pytest.mark.parametrize("raw, default, wan, unit", [
    ("50万元", "", 50, "万元"),
    ("年度资金总额(含本级) 50万元", "万元", 50, "万元"),
    ("3300.00", "元", 0.33, "元"),
    ("1207013.28", "元", 120.701328, "元"),
    ("0.40", "万元", 0.4, "万元"),
    ("≤165万", "", 165, "万元"),
    ("1.2亿元", "", 12000, "亿元"),
])
def test_money_normalised_to_wan(raw, default, wan, unit):
    m = parse_money(raw, default)
    assert m.wan == pytest.approx(wan) and m.unit == unit and m.raw == raw.strip()


def test_money_without_a_unit_is_not_guessed():
    m = parse_money("3300", "")
    assert m.wan is None and m.raw == "3300"


def test_sources_read_as_unit_year_title_project_place():
    from corpus.sources import document_title, place_in, source_label

    assert document_title("004_7fc741e87908fafd.txt") == "大厂回族自治县北辰街道办事处2022年部门预算信息公开情况说明"
    assert document_title("本街道2025年绩效目标.xlsx") == "本街道2025年绩效目标"
    assert place_in("a.xlsx", "a.xlsx 工作表「表1」B7") == "工作表「表1」B7"
    label = source_label("北辰街道办事处", 2022, "004_7fc741e87908fafd.txt", "社区工作经费", "004_7fc741e87908fafd.txt 第711-716行")
    assert label == ("北辰街道办事处 · 2022年 · 《大厂回族自治县北辰街道办事处2022年部门预算信息公开情况说明》 · "
                     "「社区工作经费」 · 第711-716行")
