"""respond: one turn of the conversation. The text becomes an Intent (intents.py); ROUTES, the one
table from intent to action, picks the handler that answers it."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from rapidfuzz import fuzz

from .drafts import describe, make_draft
from .edits import (
    accept_all, accept_row, add_row, edit_row, pick_alternative, remove_row, replace_row, replace_slot, set_value,
)
from .exports import export_draft
from .intents import Intent, parse_intent
from .questions import missing_question, number_answer, party_answer, unit_answer
from .replies import help_text
from .slots import SLOT_ORDER, canonical_slot
from .state import CAPABILITIES, ChatError, ChatState, Message, Reply, Services, row_of
from .targets import target_row
from .views import explain_row, list_precedents, validate_draft

log = logging.getLogger(__package__)

Handler = Callable[[ChatState, Intent, Services], Reply]


@dataclass(frozen=True)
class Route:
    action: str  # Reply.action when the request fails before an action answers (e.g. no such row)
    handle: Handler


def _unknown(text: str) -> Reply:
    said = text.strip()
    head = f"没听懂「{said[:40]}」。" if said else "请输入要做的事。"
    return Reply(text=head + "\n\n" + CAPABILITIES, action="unknown")


def _accept(state: ChatState, it: Intent, services: Services) -> Reply:
    return accept_all(state) if it.all_rows else accept_row(state, target_row(state, it))


def _add(state: ChatState, it: Intent, services: Services) -> Reply:
    if it.level2 is None:
        raise ChatError(f"要增加哪一类指标？例如「增加一个生态效益指标」。可选：{'、'.join(SLOT_ORDER)}。")
    return add_row(state, it.level2, services)


def _replace(state: ChatState, it: Intent, services: Services) -> Reply:
    """'换一个质量指标' replaces in a slot; '第3行换一个' / '满意度换一个' (a row's name) a row."""
    if it.position is None and it.target:
        slot = canonical_slot(re.sub(r"(类)?指标$", "", it.target))
        if slot is not None:
            return replace_slot(state, slot, services)
    return replace_row(state, target_row(state, it), services)


def _set_value(state: ChatState, it: Intent, services: Services) -> Reply:
    row_id = target_row(state, it)
    if not it.value:
        raise ChatError("要改成什么值？例如「第2行改为≥90%」。")
    return set_value(state, row_id, it.value, services)


def _pick(state: ChatState, it: Intent, services: Services) -> Reply:
    if it.field == "name":
        return _pick_by_name(state, it, services)
    return pick_alternative(state, target_row(state, it), it.index, services)


def _pick_by_name(state: ChatState, it: Intent, services: Services) -> Reply:
    """'第3行换成工程验收合格率': an alternative of that name, else the row is renamed."""
    row_id = target_row(state, it)
    _, row = row_of(state, row_id)
    scores = [(fuzz.ratio(it.value, a.name), i) for i, a in enumerate(row.alternatives)]
    best = max(scores, default=(0, -1))
    if best[0] >= 80:
        return pick_alternative(state, row_id, best[1], services)
    if not it.value:
        raise ChatError("要换成什么？例如「第3行换成工程验收合格率」或「第3行换一个」。")
    reply = edit_row(state, row_id, "name", it.value, services)
    reply.text += "（不是这一行的备选，已作为新名称；指标值未变，请核对。）"
    return reply


def _export(state: ChatState, it: Intent, services: Services) -> Reply:
    return export_draft(state, it.fmt or "xlsx", services.export_folder)


def _remove(state: ChatState, it: Intent, services: Services) -> Reply:
    return remove_row(state, target_row(state, it))


def _explain(state: ChatState, it: Intent, services: Services) -> Reply:
    return explain_row(state, target_row(state, it))


def _edit(state: ChatState, it: Intent, services: Services) -> Reply:
    return edit_row(state, target_row(state, it), it.field, it.value, services)


UNKNOWN = Route("unknown", lambda state, it, services: _unknown(it.text))

# intent → (Reply.action, handler): every action parse_intent can return is a key
ROUTES: dict[str, Route] = {
    "help": Route("help", lambda state, it, services: help_text()),
    "unknown": UNKNOWN,
    "describe": Route("describe", lambda state, it, services: describe(state, it.text, services)),
    "draft": Route("draft", lambda state, it, services: make_draft(state, services)),
    "precedents": Route("precedents", lambda state, it, services: list_precedents(state, services)),
    "validate": Route("validate", lambda state, it, services: validate_draft(state, services)),
    "export": Route("export", _export),
    "accept": Route("accept", _accept),
    "add_row": Route("add_row", _add),
    "replace": Route("replace_row", _replace),
    "remove_row": Route("remove_row", _remove),
    "explain": Route("explain", _explain),
    "set_value": Route("set_value", _set_value),
    "edit": Route("edit", _edit),
    "pick_alternative": Route("pick_alternative", _pick),
}


def _answer(state: ChatState, text: str, services: Services) -> Reply | None:
    """A short answer to the question last asked, placed where it belongs; None when the text is
    something else (then it is read as any other request)."""
    q = state.question
    unit = unit_answer(q, text)
    if unit is not None:
        return describe(state, q.text, services, bare_budget_unit=unit)
    filled = number_answer(q, text)
    if filled is not None:
        blank, value = filled
        reply = set_value(state, blank.row_id, value, services)
        if reply.changed:
            state.question, ask = missing_question(state)
            reply.text += ("\n\n" + ask) if ask else ""
        return reply
    party = party_answer(q, text)
    if party is not None:
        goal = "，".join(g for g in (state.profile.goal, f"服务对象为{party}") if g)
        return describe(state, f"目标：{goal}", services)
    return None


def respond(state: ChatState, text: str, services: Services) -> Reply:
    """One turn of the conversation: records both messages, never raises."""
    text = text if isinstance(text, str) else ("" if text is None else str(text))
    try:
        state.messages.append(Message(role="user", text=text))
    except Exception:  # noqa: BLE001 - a state the UI broke still gets an answer
        log.exception("chat state has no message list")
    action = "unknown"
    try:
        answered = _answer(state, text, services) if state.question else None
        if answered is not None:
            reply = answered
            state.messages.append(Message(role="assistant", text=reply.text))
            return reply
        it = parse_intent(text, state)
        route = ROUTES.get(it.action, UNKNOWN)
        action = route.action
        reply = route.handle(state, it, services)
    except ChatError as exc:
        reply = Reply(text=str(exc), action=action)
    except Exception as exc:  # noqa: BLE001 - the chat must answer, whatever broke
        log.exception("chat respond failed on %r", text)
        reply = Reply(text=f"抱歉，处理「{text[:40]}」时出错（{type(exc).__name__}：{exc}）。\n\n{CAPABILITIES}",
                      action=action)
    try:
        state.messages.append(Message(role="assistant", text=reply.text))
    except Exception:  # noqa: BLE001
        log.exception("could not record the reply")
    return reply
