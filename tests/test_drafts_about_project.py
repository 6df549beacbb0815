"""Drafts whose every row is about the project: the issue's four examples, the library, and our
own descriptions checked by the reviewer rules."""

import pytest

from assistant.drafting.convert import draft_to_project
from assistant.drafting.engine import draft
from assistant.drafting.library import KINDS, OTHER
from assistant.drafting.profile import make_profile
from assistant.drafting.standard_rows import standard_rows
from assistant.evaluation.descriptions import run
from assistant.relevance import about_project
from assistant.rules.reviewer import RULE_IDS
from assistant.validator import validate

EXAMPLES = [
    ("社区老年人助餐服务", "为12个社区600名老人提供助餐", "45万元", "老年人", {"=12个", "≥600名"}),
    # greening is tended, not swept (no garbage rows); 5万平方米 is the quantity; the public is served
    ("城市道路绿化养护", "养护绿地面积5万平方米", "120万元", "居民", {"=50000平方米"}),
    # the 网格员 it provides do the work; residents are served (the disputes it handles: left for the user)
    ("社区网格化管理服务", "配备网格员50名", "60万元", "居民", {"≥50名", ""}),
    ("街道综合执法队执法车辆租赁", "租赁3辆车", "18万元", "执法人员", {"=3辆"}),
    ("辖区河道保洁及垃圾清运", "保洁河道长度12公里", "86.5万元", "居民", {"=12公里"}),
    ("农村人居环境整治", "覆盖15个行政村", "200万元", "村民", {"=15个"}),
]


@pytest.mark.parametrize("name, goal, budget, party, counts", EXAMPLES)
def test_the_issue_examples_draft_rows_about_the_project(indexes, name, goal, budget, party, counts):
    profile = make_profile(name, goal, budget)
    d = draft(profile, indexes)
    flags = [f.message for f in validate(draft_to_project(d)) if f.rule in RULE_IDS]
    assert flags == []
    assert all(about_project(r.name, profile.understanding) or r.standard for r in d.rows)
    assert {r.value.raw for r in d.rows if r.level2 == "数量指标"} == counts  # the user's numbers, nothing borrowed
    assert [r.name for r in d.rows if r.level2 == "服务对象满意度指标"] == [f"{party}满意度"]
    totals = [r for r in d.rows if r.level2 == "成本指标" and "/" not in r.value.unit]
    assert [r.value.raw for r in totals] == [f"≤{budget}"]  # one total, within the budget
    for r in d.rows:  # every row has a description of its own, not its name repeated
        assert r.description and r.description != r.name


def test_slogans_and_other_projects_counts_never_enter():
    # the faults the issue found in earlier drafts, by name
    u = make_profile("农村人居环境整治", "覆盖15个行政村").understanding
    assert not about_project("全县惠民实事工程之一", u) and not about_project("门面统一化", u)


def test_an_aim_written_as_an_indicator_is_not_drafted(indexes):
    """A comparable unit table states 「社区文化环境、公共设施得到改善 ≥90%」: a sentence, not a measure."""
    d = draft(make_profile("社区文化活动中心运营", "全年开展文化活动40场", "30万元"), indexes)
    assert "文化活动场次" in [r.name for r in d.rows]
    assert not any("得到" in r.name for r in d.rows)
    assert [f.message for f in validate(draft_to_project(d)) if f.rule in RULE_IDS] == []


def test_sharing_only_the_field_word_is_not_about_the_project(indexes):
    """A culture festival shares only 文化 with another project's 「打造完善辖区内文化站点及时性」: not its row."""
    d = draft(make_profile("社区文化节演出活动", "举办文艺演出12场，观众5000人次", "10万元"), indexes)
    assert {"文艺演出场次", "参与人次"} <= {r.name for r in d.rows}
    assert not any("文化站点" in r.name for r in d.rows)


def test_a_draft_states_one_completion_time(indexes):
    """Comparable works state 「工程竣工时间 ≤9月份」; the user said 年底前: one completion time, the user's."""
    d = draft(make_profile("村级道路硬化工程", "硬化道路3.2公里，年底前完工", "80万元"), indexes)
    times = [(r.name, r.value.raw) for r in d.rows if r.level2 == "时效指标" and r.name.endswith("时间")]
    assert times == [("完成时间", "≤12月份")]


def test_the_library_covers_the_common_kinds_with_measurable_rows():
    assert len(KINDS) >= 15
    for kind in [*KINDS, OTHER]:
        rows = standard_rows(make_profile("某项目", "计划完成10个", "10万元"), kind)
        slots = {r.level2 for r in rows}
        assert {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"} <= slots, kind.key
        assert any(s.endswith("效益指标") or s == "可持续影响指标" for s in slots), kind.key
        assert all(r.standard.startswith("标准指标：") and "{" not in r.name for r in rows), kind.key


@pytest.mark.slow
def test_own_descriptions_keep_their_quantities_and_pass_the_reviewer_rules(indexes):
    summary = run(indexes)
    assert summary["descriptions"] >= 30 and summary["kinds"] >= 15
    for r in summary["results"]:
        assert r["quantities_missing"] == [], r["name"]
        assert r["flags"] == [], (r["name"], r["flags"])


def _rows(name, goal, budget):
    p = make_profile(name, goal, budget)
    from assistant.drafting.standard_rows import kind_of
    from assistant.drafting.taxonomy import classify

    return {r.name: r for r in standard_rows(p, kind_of(classify(name, goal)[0].key))}


def test_a_reviewers_reading_of_three_new_drafts():
    """Objections from reading three drafts row by row, turned into checks."""
    # a supplies reserve buys things: its own objects counted, one completion time (the user's), no
    # budget-over-one-object "unit cost" when two kinds of things are bought, no hazard rows
    rows = _rows("地震应急避难场所物资储备", "购置应急帐篷50顶、折叠床200张，年底前完成", "12万元")
    assert rows["应急帐篷数量"].value == "=50顶" and rows["折叠床数量"].value == "=200张"
    assert [n for n in rows if "完成时间" in n] == ["完成时间"] and rows["完成时间"].value == "≤12月份"
    assert not [n for n in rows if "平均成本" in n or "隐患" in n]
    # a course for the elderly is teaching, not meals: no food-safety row
    rows = _rows("社区老年大学课程开设", "全年开设书法、太极等课程30期，服务老年学员600人次", "8万元")
    assert "食品安全事故发生次数" not in rows and rows["培训期数"].value == "≥30期"
    assert "学员" in rows["学员满意度"].description  # the description names whom the name names
    assert "食品安全事故发生次数" in _rows("社区老年人助餐服务", "为600名老人提供助餐", "45万元")
    # a monthly allowance keeps its period
    rows = _rows("村级公益岗位人员补贴", "为80名公益岗位人员发放补贴，每人每月600元", "57.6万元")
    assert rows["每人每月补贴标准"].value == "=600元/人·月"
