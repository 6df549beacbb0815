import json
import re
from pathlib import Path

from assistant.cli import main
from corpus.export import write_xlsx

REQUIRED = {"source", "unit", "year", "project", "kind", "budget_wan", "level1", "level2", "name",
            "description", "value_raw", "op", "number", "value_unit", "qualitative", "basis"}


def test_build_with_extra_files_then_export_and_stats(tmp_path, capsys, seed_results):
    extra = write_xlsx([seed_results["004"].projects[3]], tmp_path / "extra.xlsx")
    (tmp_path / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    assert main(["corpus", "build", str(extra), str(tmp_path / "broken.docx")]) == 0
    out, err = capsys.readouterr()
    assert "extra.xlsx" in out and "broken.docx" in err and "跳过" in err
    assert "6 份文件读入，1 份跳过" in out

    assert main(["corpus", "export", "--jsonl"]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert len(records) == 601 + len(seed_results["004"].projects[3].rows)
    assert all(REQUIRED <= r.keys() for r in records)
    wan = [r for r in records if r["project"] == "楼院长补贴"][0]
    assert wan["budget_wan"] == 36.768 and wan["unit"] == "保定市徐水区城区办事处"

    assert main(["corpus", "stats"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"003_19b141d18f0b593e\.txt\s+18\s+90\s+64", out)
    assert "extra.xlsx" in out and "解析干净率" in out


def test_stats_works_before_any_build(capsys):
    assert main(["corpus", "stats"]) == 0
    assert re.search(r"合计\s+82\s+601\s+64", capsys.readouterr().out)


def test_ci_runs_the_readme_test_command():
    root = Path(__file__).resolve().parent.parent
    readme = (root / "README.md").read_text(encoding="utf-8")
    command = re.search(r"### 2\. 运行测试\n+```bash\n(.+?)\n```", readme, re.S).group(1).strip()
    assert command in (root / ".ci" / "run").read_text(encoding="utf-8")


def test_build_that_reads_nothing_keeps_the_corpus_and_fails(tmp_path, capsys):
    from corpus import store

    assert main(["corpus", "build"]) == 0
    before = store.load()
    capsys.readouterr()
    (tmp_path / "bad.docx").write_bytes(b"PK\x03\x04 not really a docx")
    assert main(["corpus", "build", "--no-bundled", str(tmp_path / "bad.docx")]) != 0
    err = capsys.readouterr().err
    assert "bad.docx" in err and "原有语料保持不变" in err
    assert len(store.load().projects()) == len(before.projects()) == 82
