"""Hostile files are refused before parsing, by name and limit; the batch goes on."""

import zipfile

import pytest

from corpus import limits
from corpus.build import build
from corpus.export import write_docx, write_xlsx
from corpus.parse import parse_path

from assistant.evaluation.limits_bench import many_rows_xlsx, zip_bomb_docx




def _refusal(result):
    errors = [i for i in result.issues if i.severity == "error"]
    assert errors and not result.projects
    return errors[0].message


@pytest.fixture
def good_files(tmp_path, seed_results):
    p = seed_results["000"].projects[0]
    return write_docx([p], tmp_path / "good.docx"), write_xlsx([p], tmp_path / "good.xlsx")


def test_zip_bomb_docx_refused_by_name_and_limit(tmp_path, good_files):
    bomb = zip_bomb_docx(good_files[0], tmp_path / "炸弹.docx")
    assert bomb.stat().st_size < 10 * 1024 * 1024
    msg = _refusal(parse_path(bomb))
    assert "炸弹.docx" in msg and "上限" in msg and "未读取" in msg


def test_million_row_xlsx_refused(tmp_path, good_files):
    big = many_rows_xlsx(good_files[1], tmp_path / "百万行.xlsx")
    msg = _refusal(parse_path(big))
    assert "百万行.xlsx" in msg and "上限" in msg


def test_row_cap_applies_while_streaming(tmp_path, good_files, monkeypatch):
    monkeypatch.setattr(limits, "MAX_SHEET_ROWS", 5)
    msg = _refusal(parse_path(good_files[1]))
    assert "good.xlsx" in msg and "5行" in msg


def test_too_many_zip_parts_refused(tmp_path, good_files):
    out = tmp_path / "部件.docx"
    with zipfile.ZipFile(good_files[0]) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            dst.writestr(info, src.read(info))
        for n in range(limits.MAX_ZIP_MEMBERS + 1):
            dst.writestr(f"junk/{n}.bin", b"")
    msg = _refusal(parse_path(out))
    assert "部件.docx" in msg and str(limits.MAX_ZIP_MEMBERS) in msg


def test_oversized_text_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_TEXT_BYTES", 1000)
    (tmp_path / "大.txt").write_text("项目名称\t某项目\n" * 200, encoding="utf-8")
    msg = _refusal(parse_path(tmp_path / "大.txt"))
    assert "大.txt" in msg and "上限" in msg


def test_batch_goes_on_past_a_bomb(tmp_path, good_files):
    folder = tmp_path / "in"
    folder.mkdir()
    zip_bomb_docx(good_files[0], folder / "bomb.docx", expand_to=200 * 1024 * 1024)
    (folder / "ok.xlsx").write_bytes(good_files[1].read_bytes())
    corpus = build([folder], include_bundled=False)
    docs = {d.source: d for d in corpus.documents}
    assert docs["ok.xlsx"].projects
    assert any("bomb.docx" in i.message for i in docs["bomb.docx"].issues)


def test_document_validation_uses_one_sibling_index_and_finds_the_same(seed_results):
    """Siblings are looked up in an index built once per document: same findings as the
    pairwise comparison, without comparing every project with every other."""
    from assistant.review import check_document, check_project
    from assistant.rules.base import SiblingIndex
    from corpus.models import DocumentResult

    projects = [p for r in seed_results.values() for p in r.projects]
    doc = DocumentResult(source="all", projects=projects)
    indexed = check_document(doc, None)
    pairwise = [check_project(p, None, projects) for p in projects]
    assert [[(f.rule, f.row_index, f.message) for f in fs] for _, fs in indexed] == \
           [[(f.rule, f.row_index, f.message) for f in fs] for fs in pairwise]
    assert any(f.rule == "quality.boilerplate" for _, fs in indexed for f in fs)
    index = SiblingIndex(projects)
    assert sum(len(v) for v in index.by_owner.values()) == len(projects)
