"""User and document text is data: control characters do not break an export, mojibake is a
finding, Markdown in a name is shown as text, visiting the page creates no draft."""

from corpus.export import write_docx, write_xlsx
from corpus.parse import parse_path


def test_export_removes_control_characters_with_a_note(tmp_path, seed_results):
    p = seed_results["000"].projects[0].model_copy(deep=True)
    p.rows[0].name = "服务\x0b次数\x01"
    p.goals = ["目标\x00一\x7f"]
    for writer, ext in ((write_xlsx, "xlsx"), (write_docx, "docx")):
        out = writer([p], tmp_path / f"c.{ext}")
        (back,) = parse_path(out).projects
        assert back.rows[0].name == "服务次数"
        assert "\x0b" not in back.goals[0] and "\x00" not in "".join(back.goals)


def test_chat_export_of_a_cell_with_control_characters(tmp_path, indexes, corpus):
    from assistant.chat import ChatState, Services, export_draft, respond

    state = ChatState()
    respond(state, "社区居家养老服务站运营，预算40万元，为13个社区的350名老人提供居家养老服务",
            Services(indexes=indexes, corpus=corpus))
    state.draft.rows[0].name = "服务\x0b次数\x01"
    state.draft.rows[1].basis = "依据\x1f"
    for fmt in ("xlsx", "docx"):
        reply = export_draft(state, fmt, tmp_path)
        assert "控制字符" in reply.text and "3" in reply.text
        (back,) = parse_path(reply.file).projects
        assert back.rows[0].name == "服务次数"


def _mangles(text):
    if not text.isascii():  # an ASCII value reads the same in every encoding
        yield text.encode("utf-8").decode("latin-1")
        yield "##" + text.encode("utf-8").decode("cp1252", errors="replace")
    yield text[:1] + "\ufffd\ufffd" + text[1:]
    yield text + "Ã©"
    yield "锟斤拷" + text
    yield "????" + text[2:]


def test_garbled_rule_flags_mangled_seed_rows_and_is_silent_on_the_seeds(seed_results):
    from assistant.validator import validate

    projects = [p for r in seed_results.values() for p in r.projects]
    rows = sum(len(p.rows) for p in projects)
    assert rows == 601
    assert not [f for p in projects for f in validate(p) if f.rule == "value.garbled"]
    flagged = total = 0
    for p in projects[::7]:
        for field in ("name", "value"):
            for k, bad in enumerate(_mangles(p.rows[0].name if field == "name" else p.rows[0].value.raw)):
                q = p.model_copy(deep=True)
                if field == "name":
                    q.rows[0].name = bad
                else:
                    from corpus.values import parse_target_value
                    q.rows[0].value = parse_target_value(bad)
                total += 1
                found = [f for f in validate(q) if f.rule == "value.garbled"]
                flagged += bool(found and found[0].row_index == 0)
    assert total > 100 and flagged == total


def test_garbled_project_name_is_a_table_finding(seed_results):
    from assistant.validator import validate

    q = seed_results["000"].projects[0].model_copy(deep=True)
    q.name = "社区服务".encode("utf-8").decode("latin-1")
    found = [f for f in validate(q) if f.rule == "value.garbled"]
    assert found and found[0].row_index is None and "乱码" in found[0].message


def test_plain_and_defang_leave_no_markup():
    from ui.common import defang, plain

    payload = "![x](http://127.0.0.1:9/a.png)"
    assert "\\!\\[x\\]\\(" in plain(payload) and "http\u200b" in plain(payload)
    d = defang(f"**错误**：「{payload}」 <img src=a> www.a.cn")
    assert d.startswith("**错误**") and "\\[x\\]" in d and "\\<img" in d and "www\u200b." in d
    assert "](http://" not in d
