"""Bad files are reported by name and place; the batch goes on."""

import shutil

from corpus.build import build
from corpus.export import write_docx
from corpus.parse import parse_path

from conftest import SEEDS


def _error(result):
    errors = [i for i in result.issues if i.severity == "error"]
    assert errors and not result.projects
    return errors[0].message


def test_empty_file(tmp_path):
    (tmp_path / "空.txt").write_bytes(b"")
    assert "空.txt" in _error(parse_path(tmp_path / "空.txt")) and "为空" in _error(parse_path(tmp_path / "空.txt"))


def test_binary_file_named_txt(tmp_path):
    (tmp_path / "b.txt").write_bytes(bytes(range(256)) * 40)
    msg = _error(parse_path(tmp_path / "b.txt"))
    assert "b.txt" in msg


def test_truncated_docx(tmp_path, seed_results):
    good = write_docx([seed_results["000"].projects[0]], tmp_path / "good.docx")
    data = good.read_bytes()
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    msg = _error(parse_path(tmp_path / "cut.docx"))
    assert "cut.docx" in msg and "损坏" in msg


def test_unrecognised_and_old_formats(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "b.doc").write_bytes(b"\xd0\xcf\x11\xe0")
    assert "无法识别" in _error(parse_path(tmp_path / "a.pdf"))
    assert ".docx" in _error(parse_path(tmp_path / "b.doc"))


def test_gbk_text_is_read(tmp_path):
    text = (SEEDS / "001_ef21f049d5e649fa.txt").read_text(encoding="utf-8")
    (tmp_path / "gbk.txt").write_bytes(text.encode("gb18030"))
    result = parse_path(tmp_path / "gbk.txt")
    assert len(result.projects) == 21 and sum(len(p.rows) for p in result.projects) == 165


def test_text_without_any_table(tmp_path):
    (tmp_path / "note.txt").write_text("这是一份说明，没有表格。\n", encoding="utf-8")
    assert "未找到绩效目标表" in _error(parse_path(tmp_path / "note.txt"))


def test_table_that_breaks_off(tmp_path):
    lines = (SEEDS / "000_6175d87ea5216f0b.txt").read_text(encoding="utf-8").split("\n")
    # keep the first project's title, metadata and header, then cut before any indicator row
    (tmp_path / "cut.txt").write_text("\n".join(lines[:149]), encoding="utf-8")
    result = parse_path(tmp_path / "cut.txt")
    msg = _error(result)
    assert "表格中断" in msg and "车辆保险费" in msg
    assert "第143-148行" in result.issues[0].where


def test_batch_goes_on_and_reports_what_it_skipped(tmp_path):
    folder = tmp_path / "docs"
    folder.mkdir()
    shutil.copy(SEEDS / "002_35695dbc93fe7ae5.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    corpus = build([folder, tmp_path / "missing.docx"], include_bundled=False)
    by_source = {d.source: d for d in corpus.documents}
    assert len(by_source["good.txt"].projects) == 4
    assert by_source["empty.txt"].skipped and by_source["old.xls"].skipped
    assert any("不存在" in i.message for d in corpus.documents for i in d.issues)
