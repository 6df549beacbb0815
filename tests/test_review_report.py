"""The reviewer's report (assistant.review_report): one numbering, the verdict rule, the .xlsx/.docx
exports, and `jixiao check` on a reviewer's pile of files."""

import re
import time

import pytest

from assistant.check_cli import corpus_report, main, print_report
from assistant.findings import Finding
from assistant.review import check_document
from assistant.review_report import (
    FEW_ERRORS,
    MANY_REVIEWER_WARNINGS,
    build_report,
    report_bytes,
    report_file_name,
    report_text,
    review_file,
    safe_file_name,
    verdict_of,
    write_report_docx,
    write_report_xlsx,
)
from corpus.export import write_docx, write_xlsx
from corpus.models import Category, Corpus, IndicatorRow, Money, Project, Provenance
from corpus.parse import parse_path
from corpus.values import parse_target_value

# ---- a table with planted faults, in the official layout -------------------------------------

PLANTED = [  # 一级, 二级, 三级, 描述, 指标值, 依据
    ("产出指标", "数量指标", "服务社区数量", "为之提供居家养老服务的社区个数", "=13个", "计划标准"),
    ("产出指标", "数量指标", "服务老人人数", "接受居家养老服务的老年人人数", "≥350人", "计划标准"),
    # planted: a vague target on a measurable row
    ("产出指标", "质量指标", "服务质量", "上门服务按服务规范完成的情况", "较好", "行业标准"),
    # sound: a deadline the parser reads; must get no finding
    ("产出指标", "时效指标", "服务完成时间", "全年服务完成的时间", "2024年12月底前", "计划标准"),
    ("产出指标", "成本指标", "项目总成本", "项目全年总成本不超过预算", "≤40万元", "预算支出标准"),
    # planted: money in the wrong unit (1142元 per person written as 万元)
    ("产出指标", "成本指标", "人均服务成本", "每名老人全年的服务费用", "≤1142万元/人", "预算支出标准"),
    ("效益指标", "社会效益指标", "老人居家养老服务覆盖率", "接受服务的老人占辖区需服务老人的比例", "≥90%", "历史标准"),
    # planted: satisfaction of a party the project does not serve
    ("满意度指标", "服务对象满意度指标", "学生家长满意度", "抽样调查中满意和较满意的比例", "≥90%", "其他"),
]

# planted besides: a second table whose two cost rows each fit the budget but together exceed it
COST_SUM_ROWS = [
    ("产出指标", "数量指标", "整治小区数量", "整治的老旧小区个数", "=6个", "计划标准"),
    ("产出指标", "质量指标", "整治验收合格率", "验收合格的小区占整治小区的比例", "≥95%", "行业标准"),
    ("产出指标", "时效指标", "整治完成时间", "整治工程完成的月份", "≤10月份", "计划标准"),
    ("产出指标", "成本指标", "整治工程成本", "整治工程的全部支出", "≤8万元", "预算支出标准"),
    ("产出指标", "成本指标", "垃圾清运成本", "清运建筑垃圾的全部支出", "≤6万元", "预算支出标准"),
    ("效益指标", "社会效益指标", "小区环境改善率", "整治后环境达标的小区占整治小区的比例", "≥90%", "历史标准"),
    ("满意度指标", "服务对象满意度指标", "小区居民满意度", "抽样调查中满意和较满意的比例", "≥90%", "其他"),
]


def _project(name, rows, budget, goal):
    prov = Provenance(source="待审.xlsx")
    return Project(source="待审.xlsx", unit="某某街道办事处", name=name, year=2024, budget=Money(raw=str(budget), wan=budget),
                   goals=[goal], provenance=prov,
                   rows=[IndicatorRow(level1=Category(name=a, raw=a), level2=Category(name=b, raw=b), name=c,
                                      description=d, value=parse_target_value(v), basis=e, provenance=prov)
                         for a, b, c, d, v, e in rows])


@pytest.fixture(scope="module")
def planted_file(tmp_path_factory):
    folder = tmp_path_factory.mktemp("planted")
    return write_xlsx([_project("社区居家养老服务站运营", PLANTED, 40.0, "1.为13个社区的350名老人提供居家养老服务"),
                       _project("老旧小区环境整治", COST_SUM_ROWS, 10.0, "1.整治6个老旧小区的环境")],
                      folder / "待审.xlsx")


def _reports(path):
    return [build_report(p, fs) for p, fs in check_document(parse_path(path), None)]


def test_planted_faults_get_exactly_the_expected_findings_with_one_numbering(planted_file):
    care, _ = _reports(planted_file)
    # the table's own row (1-based) with the sheet row beside it: header row 8, rows from sheet row 8+N
    got = [(it.severity, it.rule, it.label, it.indicator) for it in care.items]
    assert got == [
        ("error", "fit.cost_exceeds_budget", "第6行（工作表「绩效目标表」第13行）", "人均服务成本"),
        ("warning", "reviewer.vague_measurable", "第3行（工作表「绩效目标表」第10行）", "服务质量"),
        ("warning", "reviewer.satisfaction_party", "第8行（工作表「绩效目标表」第15行）", "学生家长满意度"),
    ]
    assert not [it for it in care.items if it.row == 4]  # "2024年12月底前" is a sound deadline
    assert care.verdict == "revise" and care.verdict_label == "修改后提交"
    assert care.reasons == ["1处错误（成本金额超过项目预算（常见为元与万元混用），第6行），均有修改建议",
                            ("2处警告（可以量化的指标用了含糊的定性目标（较好、明显、有效……）；"
                             "满意度指标的调查对象不是本项目的服务对象，第3、8行）")]
    money = care.groups["error"][0]
    assert money.fix == ("成本不能超过项目预算40万元。若这笔钱是1142元而不是1142万元，请把指标值写成「≤1142元/人」"
                         "（合0.1142万元）；若确是1142万元，请核对金额或预算")
    assert care.groups["warning"][1].fix == "改为「老年人满意度」"
    # no message names a row by the file's numbering alone, nor the file
    for it in care.items:
        assert "待审.xlsx" not in it.text and "工作表" not in it.text and not re.search(r"第\d+个指标", it.text)
    text = report_text(care)
    assert "第3行（工作表「绩效目标表」第10行）「服务质量」指标值「较好」：「较好」无法考核" in text
    assert "结论：修改后提交" in text


def test_planted_cost_rows_together_above_the_budget_send_the_table_back(planted_file):
    _, works = _reports(planted_file)
    assert [(it.rule, it.label) for it in works.items] == [("reviewer.cost_sum", "全表")]
    assert works.verdict_label == "需退回重报"
    assert works.reasons == ["审核规则指出1处错误（各项成本合计超过项目预算）"]
    assert "2个成本指标合计14万元，超过预算10万元" in works.items[0].text


def test_check_command_on_the_planted_file(planted_file, capsys):
    assert main([str(planted_file), "--no-precedents"]) == 1
    out = capsys.readouterr().out
    summary = out.split("\n\n")[0].splitlines()
    assert re.match(r"文件\s+项目\s+错误\s+警告\s+结论", summary[0])
    assert re.match(r"待审\.xlsx\s+社区居家养老服务站运营\s+1\s+2\s+修改后提交", summary[1])
    assert re.match(r"待审\.xlsx\s+老旧小区环境整治\s+1\s+0\s+需退回重报", summary[2])
    assert "[错误] 第6行（工作表「绩效目标表」第13行）「人均服务成本」指标值「≤1142万元/人」" in out
    assert "第2个指标" not in out and "个指标「" not in out  # one numbering


# ---- the verdict rule ---------------------------------------------------------------------------

def _f(rule, severity, fix="改一下", row=0):
    return Finding(rule=rule, severity=severity, message="m", fix=fix, row_index=row)


@pytest.mark.parametrize("findings, verdict", [
    ([], "submit"),
    ([_f("quality.vague", "hint")], "submit"),
    ([_f("reviewer.off_topic", "warning"), _f("quality.boilerplate", "warning")], "revise"),
    ([_f("fit.rate_needs_percent", "error")] * FEW_ERRORS, "revise"),
    ([_f("fit.rate_needs_percent", "error")] * (FEW_ERRORS + 1), "return"),
    ([_f("fit.rate_needs_percent", "error", fix="")], "return"),
    ([_f("value.unparsed", "error")], "return"),
    ([_f("structure.missing_level1", "error", row=None)], "return"),
    ([_f("reviewer.cost_sum", "error", row=None)], "return"),
    ([_f("reviewer.off_topic", "warning", row=n) for n in range(MANY_REVIEWER_WARNINGS - 1)], "revise"),
    ([_f("reviewer.off_topic", "warning", row=n) for n in range(MANY_REVIEWER_WARNINGS)], "return"),
])
def test_verdict_rule(findings, verdict):
    got, reasons = verdict_of(findings)
    assert got == verdict and reasons


def test_verdict_reasons_name_every_condition():
    findings = [_f("value.unparsed", "error", row=2), _f("reviewer.cost_sum", "error", row=None),
                *[_f("reviewer.filler", "warning", row=n) for n in range(3)]]
    verdict, reasons = verdict_of(findings)
    assert verdict == "return" and len(reasons) == 3
    assert reasons[0].startswith("结构或指标值写法有1处错误（指标值无法可靠读取") and "第3行" in reasons[0]
    assert reasons[1].startswith("审核规则指出1处错误（各项成本合计超过项目预算")
    assert reasons[2].startswith("审核规则警告3处（套话指标")


# ---- exports --------------------------------------------------------------------------------------

def test_xlsx_export_reads_back_as_text(planted_file, tmp_path):
    from openpyxl import load_workbook

    reports = _reports(planted_file)
    path = write_report_xlsx(reports, tmp_path / "意见.xlsx")
    wb = load_workbook(path)
    assert wb.sheetnames == ["审核结论", "问题清单"]
    summary = [[c.value for c in row] for row in wb["审核结论"].iter_rows()]
    assert summary[0][:2] == ["文件", "项目"] and summary[0][5] == "结论"
    assert [r[1] for r in summary[1:]] == ["社区居家养老服务站运营", "老旧小区环境整治"]
    assert [r[5] for r in summary[1:]] == ["修改后提交", "需退回重报"]
    assert summary[1][6:9] == ["1", "2", "0"]  # counts written as text
    issues = [[c.value for c in row] for row in wb["问题清单"].iter_rows()]
    assert issues[1][2:8] == ["错误", "第6行（工作表「绩效目标表」第13行）", "工作表「绩效目标表」第13行", "人均服务成本",
                              "≤1142万元/人", "单位成本「≤1142万元/人」折合1142万元，超过项目预算40万元"]
    assert "「≤1142元/人」" in issues[1][8] and issues[1][9] == "fit.cost_exceeds_budget"
    assert len(issues) == 1 + 3 + 1
    cells = [c for ws in wb for row in ws.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type == "s" and isinstance(c.value, str) for c in cells)


def test_xlsx_export_keeps_formula_like_values_as_text(tmp_path):
    from openpyxl import load_workbook

    prov = Provenance(source="t.xlsx", sheet="表", cell="第5行")
    row = IndicatorRow(level1=Category(name="满意度指标"), level2=Category(name="服务对象满意度指标"), name="居民满意度",
                       value=parse_target_value("=100%"), provenance=prov)
    project = Project(source="t.xlsx", name="=SUM(A1)", rows=[row], provenance=prov)
    report = build_report(project, [Finding(rule="value.satisfaction_full", severity="warning",
                                            message="第1行（工作表「表」第5行）「居民满意度」：满意度100%", row_index=0,
                                            row_name="居民满意度")])
    ws = load_workbook(write_report_xlsx([report], tmp_path / "f.xlsx"))["问题清单"]
    values = [c for row in ws.iter_rows() for c in row if c.value in ("=100%", "=SUM(A1)")]
    assert len(values) == 2 and all(c.data_type == "s" for c in values)


def test_docx_export_reads_back(planted_file, tmp_path):
    from docx import Document

    reports = _reports(planted_file)
    doc = Document(str(write_report_docx(reports, tmp_path / "意见.docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "绩效目标表审核意见" in text and "结论：修改后提交" in text and "结论：需退回重报" in text
    assert "审核规则指出1处错误（各项成本合计超过项目预算）" in text
    cells = [[c.text for c in row.cells] for t in doc.tables for row in t.rows]
    assert ["第6行（工作表「绩效目标表」第13行）", "人均服务成本", "≤1142万元/人"] == cells[1][:3]
    assert any(r[0] == "第8行（工作表「绩效目标表」第15行）" and r[4] == "改为「老年人满意度」" for r in cells)
    assert report_bytes(reports, "docx")[:2] == b"PK" and report_bytes(reports, "xlsx")[:2] == b"PK"


def test_report_file_names_are_safe():
    assert safe_file_name('审核意见_a/b\\c:d*e?"f<g>h|', ".xlsx") == "审核意见_a_b_c_d_e_f_g_h.xlsx"
    assert safe_file_name("../..", ".docx") == "审核意见.docx"
    assert len(safe_file_name("长" * 200, ".xlsx")) == 65


def test_report_file_name_of_one_and_of_several(planted_file):
    reports = _reports(planted_file)
    assert report_file_name(reports[:1], ".xlsx") == "审核意见_社区居家养老服务站运营.xlsx"
    assert report_file_name(reports, ".docx") == "审核意见_2个表.docx"


# ---- a reviewer's pile ------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def pile(tmp_path_factory, seed_results):
    """20 files from the seed projects (.xlsx and .docx, one or two tables each), one of them broken."""
    folder = tmp_path_factory.mktemp("pile")
    projects = [p for doc in ("000", "001", "003", "004") for p in seed_results[doc].projects]
    for n in range(19):
        chosen = projects[2 * n: 2 * n + (1 if n % 3 else 2)]
        writer, suffix = (write_xlsx, ".xlsx") if n % 2 == 0 else (write_docx, ".docx")
        writer(chosen, folder / f"{n + 1:02d}_{chosen[0].name[:10]}{suffix}")
    (folder / "20_坏文件.docx").write_bytes(b"PK\x03\x04 not really a docx")
    (folder / "说明.pdf").write_bytes(b"%PDF")  # not a table format: left out of a folder
    return folder


def test_batch_check_of_a_folder(pile, capsys):
    start = time.perf_counter()
    code = main([str(pile), "--summary", "--no-precedents"])
    elapsed = time.perf_counter() - start
    out, err = capsys.readouterr()
    assert code == 2  # a file could not be read; the others were checked
    assert "20_坏文件.docx" in err and "无法读取" in err
    lines = out.splitlines()
    assert re.match(r"文件\s+项目\s+错误\s+警告\s+结论", lines[0])
    files = {line.split()[0] for line in lines[1:] if re.match(r"\d\d_", line)}
    assert len(files) == 20
    assert re.search(r"20_坏文件\.docx\s+（无法读取：.*\s+—\s+—\s+无法读取", out)
    assert re.search(r"共20个文件、2[0-9]个表", out)
    assert "■" not in out  # --summary: the table only
    assert elapsed < 60


def test_batch_check_prints_each_report_and_exit_1_without_broken_files(pile, tmp_path, capsys):
    files = sorted(p for p in pile.iterdir() if p.suffix == ".xlsx")[:3]
    code = main([*map(str, files), "--no-precedents", "--report-xlsx", str(tmp_path), "--report-docx",
                 str(tmp_path / "意见.docx")])
    out, _ = capsys.readouterr()
    assert code == 1
    assert out.count("━━ 文件：") == 3 and "结论：" in out and "合计：" in out
    assert (tmp_path / "意见.docx").exists() and len(list(tmp_path.glob("审核意见_*.xlsx"))) == 1


def test_review_file_names_an_unreadable_file(tmp_path):
    fr = review_file(tmp_path / "没有.xlsx", None)
    assert fr.problem and not fr.reports and fr.file.endswith("没有.xlsx")


# ---- the corpus report: reviewer rules per document ---------------------------------------------------

def test_corpus_report_counts_reviewer_rules_per_document(seed_results, capsys):
    report = corpus_report(Corpus(documents=list(seed_results.values())))
    table = report["reviewer_by_document"]
    assert [d["source"] for d in table] == [d.source for d in seed_results.values()]
    by_rule = {r["rule"]: r["findings"] for r in report["rules"]}
    reviewer_ids = [k for k in by_rule if k.startswith("reviewer.")]
    assert len(reviewer_ids) == 9
    for rid in reviewer_ids:
        assert sum(d[rid] for d in table) == by_rule[rid]
    assert sum(d["reviewer.off_topic"] for d in table) > 0
    print_report(report)
    out = capsys.readouterr().out
    assert "审核规则（退回重报）每份文档的发现数" in out and "off_topic" in out and "satisfaction_party" in out
