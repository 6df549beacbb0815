"""Conversation state and what every action shares: the state, the reply, the services, the
error that is an answer, the wrapper that makes actions never raise, and positions ↔ row ids.

Rows have stable ids (`SuggestedRow.id`, used by the functions and by `ChatState.focus_row`);
users speak of positions ("第3行" = the 3rd row shown). Display order is list order, and
`row_id_at` / `position_of` are the one place positions and ids meet.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field

from index.protocol import Index

from ..drafting.models import Draft, SuggestedRow
from ..drafting.profile import ProjectProfile
from ..findings import Finding

log = logging.getLogger(__package__)

# the values of Reply.action
ACTIONS = ("describe", "draft", "replace_row", "replace_slot", "set_value", "add_row", "remove_row",
           "explain", "precedents", "validate", "export", "help", "accept", "edit", "pick_alternative",
           "unknown")
EXPORT_FORMATS = ("xlsx", "docx", "json")
EDIT_FIELDS = ("name", "description", "value", "basis")
FIELD_LABEL = {"name": "名称", "description": "描述", "value": "指标值", "basis": "依据"}
STATUS_LABEL = {"suggested": "建议", "accepted": "已接受", "edited": "已修改", "added": "新增"}
EXAMPLE = "社区居家养老服务站运营，预算40万元，服务350名老人"
CAPABILITIES = (
    "我可以：\n"
    f"- 描述项目并起草：「{EXAMPLE}」，「项目：…，预算…」；「重新起草」\n"
    "- 换指标：「换一个质量指标」「第3行换一个」「第3行用备选2」\n"
    "- 改值：「满意度改为≥95%」「第2行改成≥90%」；改名称/描述/依据：「第2行名称改为…」\n"
    "- 增删：「增加一个生态效益指标」「删除第5行」\n"
    "- 解释：「为什么建议这个值?」「解释第4行」；先例：「有哪些先例」\n"
    "- 校验：「检查一下」；接受：「接受第2行」「全部接受」\n"
    "- 导出：「导出excel」「导出word」「导出json」"
)


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


class Message(BaseModel):
    role: Literal["user", "assistant"]
    text: str
    time: str = Field(default_factory=_now)  # ISO 8601


class Blank(BaseModel):
    row_id: int
    name: str
    unit: str  # the unit the answer is counted in (人次, 辆 …)


class Question(BaseModel):
    """The question last asked, so that a short answer ("元", "600", "学生家长") can be placed."""

    kind: Literal["budget_unit", "missing"]
    number: float | None = None  # budget_unit: the bare number the user wrote
    text: str = ""  # budget_unit: the description to read again with the unit
    budget: bool = False  # missing: the budget
    blanks: list[Blank] = Field(default_factory=list)  # missing: 数量 rows left for the user
    party: str = ""  # missing: the party assumed for 满意度 ("" when the user named one)


class ChatState(BaseModel):
    """One conversation; stored by the UI as `model_dump_json()`."""

    profile: ProjectProfile | None = None
    draft: Draft | None = None
    messages: list[Message] = Field(default_factory=list)
    focus_row: int | None = None  # id (not position) of the row last talked about
    next_row_id: int = 1  # id for the next added row
    question: Question | None = None  # what the assistant last asked and awaits an answer to


class Reply(BaseModel):
    text: str  # Chinese, markdown
    action: str  # one of ACTIONS
    changed: bool = False  # the draft changed
    findings: list[Finding] = Field(default_factory=list)
    file: str | None = None  # path of an exported file


@dataclass
class Services:
    """What the actions need besides the state; built by the caller (UI, CLI, tests)."""

    indexes: Index  # index.store.Indexes, seen through index.protocol.Index
    corpus: Any = None  # corpus.models.Corpus: precedents for the validator
    export_folder: str | Path | None = None  # where `respond` exports ("导出"); default <home>/exports


class ChatError(Exception):
    """A request that cannot be done as asked; its message is the Chinese answer."""


def chat_action(name: str):
    """Wrap an action: a ChatError becomes its answer; anything unexpected restores the draft,
    is logged, and becomes a short answer. Actions never raise."""

    def wrap(fn):
        @functools.wraps(fn)
        def run(state: ChatState, *args, **kwargs) -> Reply:
            saved = (state.profile.model_copy(deep=True) if state.profile else None,
                     state.draft.model_copy(deep=True) if state.draft else None,
                     state.focus_row, state.next_row_id)
            try:
                return fn(state, *args, **kwargs)
            except ChatError as exc:
                return Reply(text=str(exc), action=name)
            except Exception as exc:  # noqa: BLE001 - the chat must answer, whatever broke
                log.exception("chat action %s failed", name)
                state.profile, state.draft, state.focus_row, state.next_row_id = saved
                return Reply(text=f"抱歉，处理时出错（{type(exc).__name__}：{exc}），草稿没有改动。\n\n{CAPABILITIES}",
                             action=name)
        return run
    return wrap


def add_messages(state: ChatState, user_text: str | None, reply: Reply) -> None:
    """Record an exchange, for UI buttons that call an action directly but want it in the chat."""
    if user_text is not None:
        state.messages.append(Message(role="user", text=user_text))
    state.messages.append(Message(role="assistant", text=reply.text))


def need_draft(state: ChatState) -> Draft:
    if state.draft is None:
        raise ChatError(f"还没有草稿。请先描述项目，例如「{EXAMPLE}」。")
    if not state.draft.rows:
        raise ChatError("草稿里还没有指标行。可以说「增加一个数量指标」，或补充项目描述后「重新起草」。")
    return state.draft


def row_id_at(state: ChatState, position: int) -> int:
    """The id of the row shown at `position` (1-based)."""
    d = need_draft(state)
    if not 1 <= position <= len(d.rows):
        raise ChatError(f"草稿只有 {len(d.rows)} 行，没有第{position}行。请说第1到第{len(d.rows)}行中的一行。")
    return d.rows[position - 1].id


def position_of(state: ChatState, row_id: int) -> int:
    """The 1-based position at which the row with this id is shown."""
    d = need_draft(state)
    for i, r in enumerate(d.rows, 1):
        if r.id == row_id:
            return i
    raise ChatError(f"草稿中没有这一行（编号 {row_id}），可能已被删除。")


def row_of(state: ChatState, row_id: int) -> tuple[int, SuggestedRow]:
    pos = position_of(state, row_id)
    return pos, state.draft.rows[pos - 1]
