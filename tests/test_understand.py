"""Project understanding: what a description says, read before anything is drafted."""

import pytest

from assistant.relevance import about_project, party_of, same_indicator, strict_agree
from assistant.understand import (
    NotChinese, arabic_numerals, extract_deadline, extract_quantities, extract_standards, require_chinese,
    understand,
)


@pytest.mark.parametrize("text, expected", [
    ("预算四十五万元", "预算45万元"), ("租赁三辆车", "租赁3辆车"), ("两千三百人次", "2300人次"),
    ("第一季度", "第一季度"), ("一次性补贴", "一次性补贴"), ("门面统一化", "门面统一化"),
])
def test_chinese_numerals_before_units_only(text, expected):
    assert arabic_numerals(text) == expected


def test_quantities_with_their_objects():
    got = [(q.number, q.unit, q.object_name()) for q in
           extract_quantities("租赁3辆车，保洁河道长度12公里，覆盖15个行政村，建设高标准农田1500亩，服务六百名老人")]
    assert got == [(3, "辆", "车辆"), (12, "公里", "河道"), (15, "个", "行政村"), (1500, "亩", "高标准农田"),
                   (600, "名", "老人")]


def test_money_percent_and_dates_are_not_quantities():
    assert extract_quantities("预算40万元，满意度95%，2025年6月底前完成，第3季度") == []


def test_standards_and_deadlines():
    assert [(s.number, s.unit, s.per) for s in extract_standards("每村704元/村，每餐补贴15元")] == [
        (704, "元", "村"), (15, "元", "餐")]
    assert extract_deadline("2025年6月底前完成")[0] == 6
    assert extract_deadline("年底前完成")[0] == 12
    assert extract_deadline("全年开展")[0] is None


def test_object_activity_and_served_party():
    u = understand("街道综合执法队执法车辆租赁", "租赁3辆车")
    assert "执法车辆" in u.objects and u.activities == ["租赁"] and u.served == "执法人员"
    u = understand("辖区河道保洁及垃圾清运")
    assert {"河道", "垃圾"} <= set(u.objects) and u.activities == ["保洁", "清运"]
    assert understand("小学生课后托管服务", "提升学生家长满意度").served == "学生家长"
    assert understand("景区游客服务中心运营").served == "游客"
    # what a shelter or a public toilet serves is the public, though an office buys or runs it
    assert understand("地震应急避难场所物资储备", "购置应急帐篷50顶").served == "居民"
    assert understand("辖区公共厕所保洁", "保洁公厕20座").served == "居民"
    assert understand("街道办公设备购置", "购置电脑10台").served == ""  # the kind's party (干部职工) then
    # staff the project provides do the work; an allowance paid to them serves them
    assert understand("社区网格化管理服务", "配备网格员50名").served == ""
    assert understand("社区网格化管理服务", "配备50名网格员").served == ""
    assert understand("网格员补贴", "按月发放120名网格员补贴").served_word == "网格员"


def test_quantities_in_ten_thousands_keep_their_words():
    q = extract_quantities("养护绿地面积5万平方米")
    assert [(x.number, x.unit, x.raw) for x in q] == [(50000.0, "平方米", "5万平方米")]
    assert extract_quantities("预算45万元") == []


def test_traditional_characters_are_read_and_non_chinese_refused():
    assert understand("社區老年人助餐服務").served == "老年人"
    with pytest.raises(NotChinese):
        require_chinese("office supplies 2024")


def test_relevance_of_rows_to_a_project():
    u = understand("社区老年人助餐服务", "为12个社区600名老人提供助餐")
    assert about_project("资金支付及时率", u) and about_project("老年人满意度", u)
    assert not about_project("全县惠民实事工程之一", u) and not about_project("社区工作者培训合格率", u)
    assert party_of("游客满意度") == "游客" and party_of("服务对象满意度") == "服务对象"


def test_strict_rule_needs_the_same_subject_for_the_same_tail():
    assert not same_indicator("居民满意度", "游客满意度")
    assert same_indicator("居民满意度", "社区居民满意度") and strict_agree("服务对象满意度", "游客满意度")
    assert same_indicator("工程验收合格率", "验收合格率")  # a generic subject agrees with any
    assert not strict_agree("培训合格率", "绿化合格率")  # nothing in common


def test_satisfaction_keeps_the_users_word_and_place_words_name_no_party():
    u = understand("社区工作者报酬", "用于发放社区工作者报酬")
    assert (u.served, u.served_word) == ("干部职工", "社区工作者")
    assert understand("街道、社区综合事务经费", "保障街道工作顺利完成").served == ""  # 社区 is a place
    assert party_of("小区居民对社区工作者的满意度") == "居民"  # the subject is the first party named
    assert same_indicator("干部职工满意度", "单位工作人员满意度") and not same_indicator("居民满意度", "职工满意度")


def test_a_monthly_standard_keeps_its_period_and_a_purchase_verb_is_not_the_object():
    from assistant.understand import extract_standards, understand

    (s,) = extract_standards("为80名公益岗位人员发放补贴，每人每月600元")
    assert (s.per, s.period, s.number) == ("人", "月", 600)
    u = understand("地震应急避难场所物资储备", "购置应急帐篷50顶、折叠床200张")
    assert [q.noun for q in u.quantities] == ["应急帐篷", "折叠床"]
