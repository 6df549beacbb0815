"""Pairs for a training session: each flagged row beside a good row of its kind, what to widen
when a filter finds none, and the training sheet as a .docx."""

import io

from docx import Document

from assistant import examples
from assistant.relevance import split_name


def test_pairs_join_a_flagged_row_to_a_good_row_of_the_same_kind(corpus):
    rows = examples.example_rows(corpus)
    pairs = examples.pairs(rows)
    assert pairs
    for p in pairs:
        assert p.good.good and not p.good.problems and p.flagged.problems
        assert p.good.level2 == p.flagged.level2
        assert split_name(p.good.name)[1] == split_name(p.flagged.name)[1]
        assert (p.good.name, p.good.value) != (p.flagged.name, p.flagged.value)
        assert p.wrong and p.good.name in p.fix
    # the seed's wrong-party satisfaction (004 退役军人管理服务站经费, 居民满意度) is among them
    assert any(p.flagged.project == "退役军人管理服务站经费" and p.flagged.name == "居民满意度" for p in pairs)


def test_a_filter_with_no_pair_says_what_to_widen(corpus):
    rows = examples.example_rows(corpus)
    f = examples.ExampleFilter(level2="质量指标", project_type="养老服务")
    assert examples.pairs(examples.filter_rows(rows, f)) == []
    hints = examples.widen(rows, f)
    assert hints and "放宽「项目类型」" in hints[0]
    opened = f.model_copy(update={"project_type": examples.ALL})
    assert f"{len(examples.pairs(examples.filter_rows(rows, opened)))} 组" in hints[0]


def test_training_sheet_holds_the_chosen_pairs(corpus):
    pairs = examples.pairs(examples.example_rows(corpus))[:3]
    doc = Document(io.BytesIO(examples.training_sheet(pairs)))
    text = "\n".join(c.text for t in doc.tables for row in t.rows for c in row.cells)
    assert len(doc.tables) == 3
    for p in pairs:
        assert p.flagged.name in text and p.good.name in text and p.flagged.problems[0].message in text
