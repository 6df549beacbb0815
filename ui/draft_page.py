"""起草: chat beside the current draft; every change is saved at once."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from corpus.sources import source_label

from assistant import chat, drafts
from assistant.access import Identity
from assistant.drafting.convert import check_draft
from assistant.findings import SEVERITY_LABEL, SEVERITY_ORDER, detail

from .common import defang, plain

EDITABLE = {"三级指标": "name", "绩效指标描述": "description", "指标值": "value", "确定依据": "basis"}
STATUS = chat.STATUS_LABEL
LEVEL2_CHOICES = chat.SLOT_ORDER  # the 二级 slots the chat can add a row to


@st.cache_data(max_entries=64, show_spinner=False)
def _findings(_services, corpus_key: str, draft_key: str, _draft) -> list:
    """The validator's findings for one version of a draft (draft_key: a hash of its JSON), against one
    corpus: a rerun that changed nothing in the draft (a click elsewhere) does not validate again."""
    return check_draft(_draft, _services.corpus, _services.indexes)


def findings_of(services, d) -> list:
    key = hashlib.sha256(d.model_dump_json().encode("utf-8")).hexdigest()
    return _findings(services, services.indexes.manifest.corpus_hash, key, d)


# -- the current draft, kept in the store and in the address (?d=…) -----------------------

def _current(store, owner) -> tuple[str | None, chat.ChatState]:
    """The draft in the address; none yet (None) on a plain visit: it is created at the first change."""
    draft_id = st.query_params.get("d")
    if draft_id:
        state = drafts.open_draft(store, owner, draft_id)
        if state is not None:
            return draft_id, state
        if not store.reachable():  # said in the notice; the address keeps the draft for later
            return None, chat.ChatState()
        st.warning("地址中的草稿不存在或不属于您，将在您开始起草时新建一份草稿。")
        del st.query_params["d"]
    return None, chat.ChatState()


def _save(store, owner, draft_id: str | None, state: chat.ChatState, note: str) -> str:
    draft_id = drafts.save_draft(store, owner, draft_id, state, note)
    st.query_params["d"] = draft_id
    return draft_id


def _sidebar(store, owner, draft_id: str) -> None:
    with st.sidebar:
        st.subheader("我的草稿")
        if st.button("＋ 新建草稿", width="stretch"):
            st.query_params.pop("d", None)  # the new draft is stored at its first change
            st.session_state.pop("chat_export", None)
            st.rerun()
        for d in store.list(owner)[:20]:
            label = f"{'▶ ' if d.id == draft_id else ''}{plain(d.title)}（{d.updated[5:16]}，{d.versions}版）"
            if st.button(label, key=f"open-{d.id}", width="stretch"):
                st.query_params["d"] = d.id
                st.rerun()
        with st.expander("修改记录"):
            for h in reversed(store.history(draft_id, owner)[-30:] if draft_id else []):
                st.caption(f"{h.time[5:]}　{plain(h.note)}")


def _share(store, owner, draft_id: str) -> None:
    with st.sidebar.expander("送审：共享给审核人", expanded="shared-note" in st.session_state):
        if "shared-note" in st.session_state:
            st.success(plain(st.session_state.pop("shared-note")))
        for reviewer in store.reviewers(draft_id, owner):
            c1, c2 = st.columns([3, 1])
            c1.caption(plain(reviewer))
            if c2.button("取消", key=f"unshare-{reviewer}"):
                store.unshare(draft_id, owner, reviewer)
                st.rerun()
        who = st.text_input("审核人的账号", key="share-to", placeholder="如 li@example.gov.cn")
        if st.button("共享这份草稿", key="share"):
            try:
                st.session_state["shared-note"] = drafts.share_draft(store, owner, draft_id, who)
            except ValueError as exc:
                st.error(str(exc))
            else:
                st.rerun()  # the list above shows the new reviewer


# -- page ------------------------------------------------------------------------------

def render(services, store, user: Identity) -> None:
    owner = user.id  # the signed-in identity, never anything in the address
    draft_id, state = _current(store, owner)
    _sidebar(store, owner, draft_id)
    if draft_id and not user.local:  # the one local user has nobody to share with
        _share(store, owner, draft_id)
    st.header("起草绩效目标表")
    left, right = st.columns([2, 3], gap="large")
    with left:
        _chat(services, store, owner, draft_id, state)
    with right:
        if state.draft is None or not state.draft.rows:
            st.info("在左侧描述项目，例如：社区居家养老服务站运营，预算40万元，服务13个社区的350名老人。")
        else:
            _table(services, store, owner, draft_id, state)


def _chat(services, store, owner, draft_id, state) -> None:
    box = st.container(height=560)
    with box:
        if not state.messages:
            st.chat_message("assistant").markdown(chat.help_text().text)
        for m in state.messages[-40:]:
            st.chat_message(m.role).markdown(defang(_compact(m.text)) if m.role == "assistant" else plain(m.text))
        exported = st.session_state.get("chat_export")
        if exported and state.messages:  # the file the last 导出 wrote, offered as a download beside the reply
            st.download_button(f"下载 {plain(exported['name'])}", data=exported["data"], file_name=exported["name"],
                               mime=MIME[Path(exported["name"]).suffix.lstrip(".")], key="chat-download")
    prompt = st.chat_input("描述项目，或说「换一个质量指标」「第3行改为≥95%」「检查一下」……")
    if prompt:
        reply = chat.respond(state, prompt, services)
        _save(store, owner, draft_id, state, f"对话：{prompt[:40]}")
        st.session_state["chat_export"] = (
            {"name": Path(reply.file).name, "data": Path(reply.file).read_bytes()} if reply.file else None)
        st.rerun()


def _compact(text: str) -> str:
    """The chat column is narrow: a markdown table in a reply is shown once, on the right."""
    lines, in_table = [], False
    for line in text.split("\n"):
        if line.lstrip().startswith("|"):
            if not in_table:
                lines.append("（表格见右侧）")
            in_table = True
        else:
            in_table = False
            lines.append(line)
    return "\n".join(lines)


ICON = {"error": "✗", "warning": "⚠", "hint": "ℹ"}  # plain symbols: drawn by ordinary fonts, no emoji font needed


def check_cell(findings) -> str:
    """The 校验 cell of one row: the worst severity's icon first (seen even when the cell is cut),
    then each finding without the row prefix (the 行 column names the row)."""
    if not findings:
        return "✓ 通过"
    return "；".join(f"{ICON[f.severity]}{SEVERITY_LABEL[f.severity]}：{detail(f)}"
                    for f in sorted(findings, key=lambda f: SEVERITY_ORDER[f.severity]))


def _frame(state, findings) -> pd.DataFrame:
    by_row: dict[int, list] = {}
    for f in findings:
        if f.row_index is not None:
            by_row.setdefault(f.row_index, []).append(f)
    rows = []
    for i, r in enumerate(state.draft.rows):
        # the row's findings come right after its number, where the eye starts; then the columns
        # one works on; the export keeps the official order
        rows.append({
            "行": i + 1, "校验": check_cell(by_row.get(i, [])), "二级指标": r.level2, "三级指标": r.name,
            "指标值": r.value.raw, "确定依据": r.basis,
            "接受": r.status == "accepted", "状态": STATUS.get(r.status, r.status), "绩效指标描述": r.description,
            "一级指标": r.level1, "置信度": f"{r.confidence:.0%}",
        })
    return pd.DataFrame(rows)


def _table(services, store, owner, draft_id, state) -> None:
    d = state.draft
    p = state.profile
    budget = f"{p.budget.wan:g}万元" if p and p.budget.wan is not None else "未给出"
    st.subheader(plain(p.name if p else ""))
    st.caption(plain(f"类型：{d.project_type_label}　预算：{budget}　可比项目：" +
                     "；".join(c.name for c in d.comparables[:3])))
    findings = findings_of(services, d)
    frame = _frame(state, findings)
    version = len(store.history(draft_id, owner))
    edited = st.data_editor(
        frame, key=f"editor-{draft_id}-{version}", hide_index=True, width="stretch",
        disabled=[c for c in frame.columns if c not in (*EDITABLE, "接受")],
        column_config={"行": st.column_config.NumberColumn("行", width=40),
                       "接受": st.column_config.CheckboxColumn("接受"),
                       "校验": st.column_config.TextColumn("校验", width="medium",
                                                         help="本行的校验结果；点击单元格可看全文")})
    edits: dict[int, dict[str, str]] = {}
    accepted = []
    for i, (old, new) in enumerate(zip(frame.to_dict("records"), edited.to_dict("records"))):
        changed = {field: str(new[column] or "") for column, field in EDITABLE.items()
                   if (new[column] or "") != (old[column] or "")}
        if changed:
            edits[d.rows[i].id] = changed
        if new["接受"] and not old["接受"]:
            accepted.append(d.rows[i].id)
    if edits or accepted:
        _apply_edits(store, owner, draft_id, state, edits, accepted)
    for message in st.session_state.pop("refused", []):
        st.warning(defang(message))

    errors = [f for f in findings if f.severity == "error"]
    table_level = [f for f in findings if f.row_index is None]
    if errors:
        st.error(f"校验发现 {len(errors)} 个错误，请在表中「校验」列查看。")
    for f in table_level:
        st.warning(f"{SEVERITY_LABEL[f.severity]}：{defang(f.message)}")

    _row_tools(services, store, owner, draft_id, state, version)
    _evidence(services, store, owner, draft_id, state, version, findings)
    _export(state)


FIELD_LABEL = {"name": "三级指标", "description": "绩效指标描述", "value": "指标值", "basis": "确定依据"}


def _apply_edits(store, owner, draft_id, state, edits: dict[int, dict[str, str]], accepted=()) -> None:
    """Cell edits and acceptances through the chat's functions; refused values are said, not lost."""
    done, refused = [], []
    for row_id, fields in edits.items():
        pos = chat.position_of(state, row_id)
        for field, value in fields.items():
            reply = chat.edit_row(state, row_id, field, value)
            if reply.changed:
                done.append(f"第{pos}行{FIELD_LABEL[field]}改为「{value}」")
            else:
                refused.append(reply.text)
    for row_id in accepted:
        chat.accept_row(state, row_id)
        done.append(f"接受第{chat.position_of(state, row_id)}行")
    if refused:
        st.session_state["refused"] = refused
    if done:
        _save(store, owner, draft_id, state, "；".join(done)[:200])
    st.rerun()


def _row_tools(services, store, owner, draft_id, state, version: int) -> None:
    c1, c2, c3, c4 = st.columns([3, 2, 2, 2])
    level2 = c1.selectbox("二级指标", LEVEL2_CHOICES, key="add-level2", label_visibility="collapsed")
    if c2.button("＋ 增加一行", width="stretch"):
        reply = chat.add_row(state, level2, services)
        _save(store, owner, draft_id, state, f"增加{level2}")
        st.toast(defang(reply.text[:80]))
        st.rerun()
    positions = list(range(1, len(state.draft.rows) + 1))
    pos = c3.selectbox("行", positions, key=f"remove-pos-{version}", format_func=lambda n: f"第{n}行",
                       label_visibility="collapsed")
    if c4.button("删除该行", width="stretch"):
        chat.remove_row(state, state.draft.rows[pos - 1].id)
        _save(store, owner, draft_id, state, f"删除第{pos}行")
        st.rerun()


def _evidence(services, store, owner, draft_id, state, version: int, findings=()) -> None:
    st.markdown("**每一行的依据**")
    for i, r in enumerate(state.draft.rows, 1):
        own = sorted((f for f in findings if f.row_index == i - 1), key=lambda f: SEVERITY_ORDER[f.severity])
        with st.expander(f"第{i}行　{plain(r.name)}　{plain(r.value.raw)}　（{r.agree}个项目采用，置信度{r.confidence:.0%}）"):
            for f in own:
                st.markdown(f"{ICON[f.severity]} **{SEVERITY_LABEL[f.severity]}**：{defang(detail(f))}"
                            + (f"　建议：{defang(f.fix)}" if f.fix else ""))
            st.markdown(plain(f"取值方法：{r.how or '—'}　确定依据：{r.basis}　状态：{STATUS.get(r.status, r.status)}"))
            if r.status != "accepted" and st.button("接受本行", key=f"accept-{r.id}"):
                chat.accept_row(state, r.id)
                _save(store, owner, draft_id, state, f"接受第{i}行")
                st.rerun()
            if r.note:
                st.warning(defang(r.note))
            with st.form(key=f"edit-{r.id}-{version}", border=False):
                c1, c2, c3 = st.columns([2, 1, 1])
                name = c1.text_input("三级指标", r.name, key=f"name-{r.id}-{version}")
                value = c2.text_input("指标值", r.value.raw, key=f"value-{r.id}-{version}")
                basis = c3.text_input("确定依据", r.basis, key=f"basis-{r.id}-{version}")
                if st.form_submit_button("保存本行修改"):
                    edits = {"name": name, "value": value, "basis": basis}
                    shown = {"name": r.name, "value": r.value.raw, "basis": r.basis}
                    _apply_edits(store, owner, draft_id, state, {r.id: {f: v for f, v in edits.items()
                                                                        if v != shown[f]}})
            if r.evidence:
                st.dataframe(pd.DataFrame([{"三级指标": e.name, "指标值": e.value,
                                            "出处": source_label(e.unit, e.year, e.source, e.project, e.where),
                                            "原始位置": e.where} for e in r.evidence]),
                             hide_index=True, width="stretch")
            if r.alternatives:
                options = [f"{k + 1}. {a.name} {a.value.raw}（{a.agree}个项目）" for k, a in enumerate(r.alternatives)]
                label = st.selectbox("可替换为", options, key=f"alt-{r.id}-{version}")  # options change with edits
                pick = options.index(label)
                if st.button("换成这一项", key=f"alt-btn-{r.id}"):
                    chat.pick_alternative(state, r.id, pick, services)
                    _save(store, owner, draft_id, state, f"第{i}行换成「{r.alternatives[pick].name}」")
                    st.rerun()


def _export_bytes(state, fmt: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        reply = chat.export_draft(state, fmt, Path(tmp))
        return Path(reply.file).read_bytes() if reply.file else reply.text.encode("utf-8")


MIME = {"xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "json": "application/json"}


def export_files(state) -> dict[str, bytes]:
    """The three export files of this version of the draft, as bytes, made once per version and kept
    for the session: a download button is given the bytes (a callable would be run only on the click,
    and under load its deferred file was often gone by then: HTTP 404 on /media/)."""
    key = hashlib.sha256(state.model_dump_json().encode("utf-8")).hexdigest()
    cached = st.session_state.get("export_files")
    if not cached or cached[0] != key:
        cached = (key, {fmt: _export_bytes(state, fmt) for fmt in MIME})
        st.session_state["export_files"] = cached
    return cached[1]


def _export(state) -> None:
    st.markdown("**导出**")
    files = export_files(state)
    for col, (fmt, label) in zip(st.columns(3), [("xlsx", "Excel（.xlsx）"), ("docx", "Word（.docx）"),
                                                 ("json", "JSON")]):
        col.download_button(f"下载 {label}", data=files[fmt],
                            file_name=chat.export_name(state.draft, fmt), mime=MIME[fmt], width="stretch",
                            key=f"download-{fmt}")
