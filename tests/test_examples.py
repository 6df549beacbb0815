"""assistant.examples on the bundled seed documents: example rows, filters, good vs flagged."""

import re

import pytest

from assistant import examples
from assistant.examples import ExampleFilter
from corpus import categories as cat

# what the five seed documents say about themselves (their headings and 单位)
SEED_REGIONS = {"山海关区", "永宁县", "衡阳市南岳区", "保定市徐水区", "大厂回族自治县"}
SEED_YEARS = {2020, 2021, 2022, 2024}  # 000 and 004 are both 2022 budgets


@pytest.fixture(scope="module")
def rows(corpus):
    return examples.example_rows(corpus)


def test_one_example_per_row_of_the_corpus(corpus, rows):
    assert len(rows) == len(corpus.rows())
    assert [(r.name, r.where) for r in rows] == [(row.name, row.provenance.where()) for _, row in corpus.rows()]


def test_choices_are_what_the_seed_documents_hold(rows):
    choices = examples.choices(rows)
    assert set(choices.regions) == SEED_REGIONS and choices.regions == sorted(choices.regions)
    assert choices.years == sorted(SEED_YEARS)
    assert choices.budget_max == max(r.budget_wan for r in rows if r.budget_wan is not None)
    assert choices.level2 == cat.LEVEL2
    assert "其他" in choices.project_types and len(set(choices.project_types)) == len(choices.project_types)


def test_a_rate_written_as_a_head_count_is_flagged_not_good(rows):
    # seed 000: 工资及保险发放准确率 = 17人 (and 18人, 4人 …) in several tables
    wrong = [r for r in rows if r.name == "工资及保险发放准确率" and r.value.endswith("人")]
    assert wrong
    for r in wrong:
        assert r.flagged and not r.good
        assert any(f.severity == "error" for f in r.problems)


def test_good_examples_are_quantified_described_and_unflagged(rows):
    good, flagged = examples.split(rows)
    assert good and flagged
    assert not {id(r) for r in good} & {id(r) for r in flagged}
    for r in good:
        assert r.description and not r.problems and re.search(r"\d", r.value)
    for r in rows:
        if not r.description or not re.search(r"\d", r.value):
            assert not r.good
        assert all(f.severity in ("error", "warning") for f in r.problems)  # hints never flag


def test_no_filter_keeps_every_row(rows):
    assert examples.filter_rows(rows, ExampleFilter()) == rows
    top = examples.choices(rows).budget_max
    assert examples.filter_rows(rows, ExampleFilter(budget=(0.0, top))) == rows  # whole range: unbudgeted too


def test_each_filter_restricts_to_its_value(rows):
    for level2 in [cat.QUANTITY, cat.SERVED_SATISFACTION]:
        got = examples.filter_rows(rows, ExampleFilter(level2=level2))
        assert got and all(r.level2 == level2 for r in got)
        assert len(got) == sum(r.level2 == level2 for r in rows)
    yongning = examples.filter_rows(rows, ExampleFilter(region="永宁县"))
    assert yongning and all(r.unit == "永宁县团结西路街道办事处" for r in yongning)
    # only the 永宁县 document (seed 001) is a 2024 budget
    assert examples.filter_rows(rows, ExampleFilter(year=2024)) == yongning
    assert examples.filter_rows(rows, ExampleFilter(region="永宁县", year=2020)) == []


def test_filters_combine_with_and(rows):
    both = examples.filter_rows(rows, ExampleFilter(level2=cat.QUALITY, year=2022))
    by_level2 = examples.filter_rows(rows, ExampleFilter(level2=cat.QUALITY))
    by_year = examples.filter_rows(rows, ExampleFilter(year=2022))
    assert both == [r for r in by_level2 if r in by_year] and both


def test_a_narrowed_budget_drops_unbudgeted_rows(rows):
    got = examples.filter_rows(rows, ExampleFilter(budget=(0.0, 10.0)))
    assert got and all(r.budget_wan is not None and 0.0 <= r.budget_wan <= 10.0 for r in got)
    assert len(got) == sum(r.budget_wan is not None and r.budget_wan <= 10.0 for r in rows)
    assert len(got) < len(rows)
