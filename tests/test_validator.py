"""The validator's API, precedent matching, the corpus report and the `check` command."""

import argparse
import ast
import json
import re
from pathlib import Path

import pytest

from assistant.check_cli import corpus_report, main, register
from assistant.findings import Finding
from assistant.rules import REGISTRY
from assistant.rules.matching import NAME_THRESHOLD, name_similarity
from assistant.validator import precedents_from_corpus, siblings_from, validate
from corpus.export import write_xlsx
from corpus.models import Corpus

from conftest import SEEDS, project_named, with_value


@pytest.fixture(scope="module")
def corpus(seed_results):
    # the seed objects themselves: rules compare projects by identity
    return Corpus(documents=list(seed_results.values()))





def test_findings_name_the_row_and_where_it_is(seed_results):
    p = project_named(seed_results, "000", "2021年市级社区干部生活补贴")
    f = next(f for f in validate(p) if f.rule == "fit.rate_needs_percent")
    assert isinstance(f, Finding) and f.severity == "error"
    assert f.row_index == 1 and f.row_name == "工资及保险发放准确率" == p.rows[1].name
    assert f.where == p.rows[1].provenance.where() == "000_6175d87ea5216f0b.txt 第268-273行"
    # one numbering: the table's own row number, the place in the file beside it
    assert f.message.startswith("第2行（原文第268-273行）「工资及保险发放准确率」：")
    assert f.project == p.name and f.source == p.source and f.fix


def test_findings_are_ordered_table_first_then_by_row(seed_results):
    findings = validate(project_named(seed_results, "003", "地震群测群防岗位津贴"))
    keys = [-1 if f.row_index is None else f.row_index for f in findings]
    assert keys == sorted(keys) and findings[0].row_index is None


def test_validate_does_not_change_theproject_named(seed_results, corpus):
    p = project_named(seed_results, "003", "团委综合事务管理经费")
    before = p.model_dump()
    validate(p, precedents_from_corpus(p, corpus), siblings_from(p, corpus.projects()))
    assert p.model_dump() == before


def _rule_ids_asserted(path: Path) -> set[str]:
    """Rule ids a test file checks: string constants inside an `assert` statement or passed to
    findings_of(…, "rule.id"). A rule id in a comment, a docstring or an unused string does not count."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Assert):
            checked = [node.test]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "findings_of":
            checked = node.args[1:]
        else:
            continue
        found |= {c.value for root in checked for c in ast.walk(root)
                  if isinstance(c, ast.Constant) and isinstance(c.value, str)}
    return found


def test_asserted_rule_ids_are_read_from_code_not_text(tmp_path):
    sample = tmp_path / "test_sample.py"
    sample.write_text(
        "# value.empty is only mentioned here\n"
        "def test_a(findings):\n"
        "    \"\"\"fit.quality_form in a docstring\"\"\"\n"
        "    unused = 'value.operator'\n"
        "    assert not findings_of(findings, 'value.missing_unit')\n"
        "    [f] = findings_of(findings, 'fit.reverse_operator')\n"
        "    assert f.rule in ('structure.no_rows', 'quality.vague') and 'x' in f.message\n",
        encoding="utf-8")
    got = _rule_ids_asserted(sample) & set(REGISTRY)
    assert got == {"value.missing_unit", "fit.reverse_operator", "structure.no_rows", "quality.vague"}


def test_every_rule_has_an_id_severity_and_a_test():
    asserted = set().union(*(_rule_ids_asserted(f) for f in sorted(Path(__file__).parent.glob("test_*.py"))))
    assert len(REGISTRY) >= 30
    for rule_id, rule in REGISTRY.items():
        assert re.fullmatch(r"[a-z]+\.[a-z0-9_]+", rule_id) and rule.severity in ("error", "warning", "hint")
    missing = sorted(set(REGISTRY) - asserted)
    assert not missing, f"no test asserts a finding of these rules: {missing}"


# ---- precedents ----------------------------------------------------------------------

@pytest.mark.parametrize("a, b, similar", [
    ("群众满意度", "居民满意度", True),
    ("单位工作人员满意度", "机关单位工作人员满意度", True),
    ("资金支付及时率", "支付及时率", True),
    ("完成及时性", "项目完成及时率", True),  # 及时性 and 及时率 name the same measure
    ("工资及保险发放准确率", "计放准确率", True),
    ("宣传材料数量", "宣传资料数量", True),
    ("惠民项目完成合格率", "惠民项目完成及时率", False),  # different rate words
    ("实发人数比率", "支付经费人数", False),  # a rate never matches a count
    ("保障社会发展", "社会影响力", False),
    ("业务工作稳定性", "保证工作正常进行", False),
])
def test_name_similarity(a, b, similar):
    assert (name_similarity(a, b) >= NAME_THRESHOLD) is similar


def test_precedents_come_from_other_units_with_the_same_level2(seed_results, corpus):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    precedents = precedents_from_corpus(p, corpus)
    assert precedents and all(q.unit != p.unit for q, _ in precedents)
    level2 = {r.level2.name for r in p.rows}
    assert all(r.level2.name in level2 for _, r in precedents)
    assert any(r.name == "群众满意度" for _, r in precedents)


def test_siblings_are_the_units_other_projects(seed_results, corpus):
    p = project_named(seed_results, "003", "楼院长补贴")
    siblings = siblings_from(p, corpus.projects())
    assert len(siblings) == 17 and all(s.unit == p.unit and s is not p for s in siblings)


def test_a_clean_table_has_no_errors_or_warnings(seed_results, corpus):
    p = project_named(seed_results, "004", "楼门栋长补贴经费")
    findings = validate(p, precedents_from_corpus(p, corpus), siblings_from(p, corpus.projects()))
    assert not [f for f in findings if f.severity != "hint"]


# ---- corpus report ---------------------------------------------------------------------

def _seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def _tables_003() -> dict[str, str]:
    """003's project tables by name, split at their headings (「1.地震群测群防岗位津贴绩效目标表」)."""
    parts = re.split(r"(?m)^(?:\[bookmark: [^\]]*\])*\d+\.(.*)绩效目标表$", _seed_text("003"))
    return dict(zip(parts[1::2], parts[2::2]))


FUSED = r"(?m)^\s*[≥>]?(?:95|100)100%\s*$"  # two percentages run together in one cell: 「≥95100%」「100100%」


def test_corpus_report_counts(corpus):
    report = corpus_report(corpus)
    docs = {d["source"][:3]: d for d in report["documents"]}

    # counted from the seed text, not from the parser: 001 has one 项目名称 and one 「指标N：」 line per
    # row; 003 has 18 numbered 「…绩效目标表」 headings
    text_001 = _seed_text("001")
    assert (docs["001"]["projects"], docs["001"]["rows"]) == \
        (text_001.count("项目名称"), len(re.findall(r"指标\d+[:：]", text_001))) == (21, 165)
    tables = _tables_003()
    assert docs["003"]["projects"] == len(tables) == 18

    # the report adds up to the corpus it was given
    projects = corpus.projects()
    assert (report["projects"], report["rows"]) == (len(projects), sum(len(p.rows) for p in projects))
    for d in corpus.documents:
        entry = next(e for e in report["documents"] if e["source"] == d.source)
        assert (entry["projects"], entry["rows"]) == (len(d.projects), sum(len(p.rows) for p in d.projects))
        for severity in ("error", "warning", "hint"):
            assert entry[severity] == sum(1 for f in report["findings"]
                                          if f["source"] == d.source and f["severity"] == severity)
    rules = {r["rule"]: r for r in report["rules"]}
    assert set(rules) == set(REGISTRY)
    assert sum(r["findings"] for r in report["rules"]) == len(report["findings"]) == sum(report["totals"].values())
    for rule_id, entry in rules.items():
        mine = [f for f in report["findings"] if f["rule"] == rule_id]
        assert entry["findings"] == len(mine) and entry["severity"] == REGISTRY[rule_id].severity
        assert entry["rows"] <= entry["findings"] and entry["projects"] <= min(entry["findings"], len(projects))

    # the only unreadable values in the seeds are 003's fused percentages: one finding per cell,
    # on exactly the tables that have one
    fused = {name: len(re.findall(FUSED, text)) for name, text in tables.items() if re.search(FUSED, text)}
    assert sum(len(re.findall(FUSED, _seed_text(p))) for p in ("000", "001", "002", "004")) == 0
    unparsed = [f for f in report["findings"] if f["rule"] == "value.unparsed"]
    assert rules["value.unparsed"]["findings"] == rules["value.unparsed"]["rows"] == sum(fused.values()) == 64
    assert {f["project"] for f in unparsed} == set(fused) and rules["value.unparsed"]["projects"] == len(fused) == 15
    assert all(f["source"].startswith("003") and f["severity"] == "error" for f in unparsed)
    assert docs["003"]["error"] >= 64 and docs["003"]["projects_with_errors"] >= len(fused)

    # 003 tables that serve 居民/社区/群众 but have no 满意度指标 at all
    no_satisfaction = {name for name, text in tables.items()
                       if "满意度指标" not in text and re.search("居民|社区|群众", text)}
    flagged = {f["project"] for f in report["findings"] if f["rule"] == "structure.missing_level1"}
    assert flagged == no_satisfaction and rules["structure.missing_level1"]["projects"] == 15


# ---- the check command -----------------------------------------------------------------

def _clean_and_faulty(seed_results):
    clean = project_named(seed_results, "004", "楼门栋长补贴经费")
    return clean, with_value(clean, "居民纠纷发生率", "≥10%")


def _jixiao(argv):
    """`jixiao check …` as assistant/cli.py will run it: a subparsers object with `register` applied."""
    parser = argparse.ArgumentParser(prog="jixiao")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    return args.func(args)


def test_check_xlsx_with_an_error_exits_1(tmp_path, seed_results, capsys):
    _, faulty = _clean_and_faulty(seed_results)
    path = write_xlsx([faulty], tmp_path / "表.xlsx")
    assert _jixiao(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert "楼门栋长补贴经费" in out and "居民纠纷发生率" in out and "≥10%" in out
    assert "[错误]" in out and "fit.reverse_operator" in out and "建议：" in out
    assert "工作表「绩效目标表」" in out  # rows are located in the user's file


def test_check_clean_xlsx_exits_0(tmp_path, seed_results, capsys):
    clean, _ = _clean_and_faulty(seed_results)
    path = write_xlsx([clean], tmp_path / "表.xlsx")
    assert _jixiao(["check", str(path), "--severity", "warning"]) == 0
    assert "错误0，警告0" in capsys.readouterr().out


def test_check_unreadable_file_exits_2(tmp_path, capsys):
    (tmp_path / "坏.docx").write_bytes(b"PK\x03\x04 not a docx")
    assert _jixiao(["check", str(tmp_path / "坏.docx")]) == 2
    assert "坏.docx" in capsys.readouterr().err
    assert main([str(tmp_path / "没有.xlsx")]) == 2


def test_check_json_output(tmp_path, seed_results, capsys):
    _, faulty = _clean_and_faulty(seed_results)
    path = write_xlsx([faulty], tmp_path / "表.xlsx")
    assert main([str(path), "--json", "--no-precedents"]) == 1
    [entry] = json.loads(capsys.readouterr().out)
    assert any(f["rule"] == "fit.reverse_operator" and f["indicator"] == "居民纠纷发生率" for f in entry["findings"])
    assert entry["verdict_label"] == "修改后提交" and entry["counts"]["error"] == 1


def test_check_corpus_prints_counts_per_rule_and_document(capsys):
    assert main(["--corpus"]) == 0
    out = capsys.readouterr().out
    assert re.search(r"value\.unparsed\s+错误\s+64\s+64\s+15", out)
    assert re.search(r"003_19b141d18f0b593e\.txt\s+18\s+90", out)


def test_check_arguments_name_the_severities_in_order():
    from assistant.check_args import SEVERITIES
    from assistant.findings import SEVERITY_ORDER

    assert list(SEVERITIES) == list(SEVERITY_ORDER)  # `--severity` offers exactly the validator's levels
