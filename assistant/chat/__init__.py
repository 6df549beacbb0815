"""The chat assistant: Chinese requests → one drafting action, deterministically (regex + rapidfuzz).

`respond(state, text, services)` is what the chat box calls; every action is also a plain function
the UI's buttons call directly. Each action returns a `Reply` and mutates `state`; none raises:
a request that cannot be done (no draft yet, no such row, a value that does not parse) gets a
Chinese answer that says why and what to do instead.

Modules, one job each:
- state: ChatState, Message, Reply, Services, ChatError, the action wrapper, positions ↔ row ids
- description: reading a project description (parse_description)
- numerals: Chinese numerals (第三行, 预算四十万)
- slots: the 二级 slots by name (canonical_slot)
- intents: text → Intent (parse_intent)
- targets: the row an intent means
- rows: rows and alternatives from the engine's clusters; swapping a row, placing a new one
- replies: profile line, markdown table, findings summary, help
- drafts / edits / views / exports: the actions
- dispatch: respond, and ROUTES, the one table from intent to action
"""

from .description import Description, parse_description
from .dispatch import ROUTES, respond
from .drafts import describe, make_draft
from .edits import (
    accept_all, accept_row, add_row, edit_row, pick_alternative, remove_row, replace_row, replace_slot, set_value,
)
from .exports import export_draft, export_format, export_name
from .intents import Intent, parse_intent, raw_tail
from .numerals import cn_number
from .replies import help_text
from .slots import SLOT_ORDER, canonical_slot
from .state import (
    ACTIONS, CAPABILITIES, EDIT_FIELDS, EXAMPLE, EXPORT_FORMATS, FIELD_LABEL, STATUS_LABEL, ChatError, ChatState,
    Message, Reply, Services, add_messages, position_of, row_id_at,
)
from .views import explain_row, list_precedents, validate_draft

__all__ = [
    "ACTIONS", "CAPABILITIES", "EDIT_FIELDS", "EXAMPLE", "EXPORT_FORMATS", "FIELD_LABEL", "ROUTES", "SLOT_ORDER",
    "STATUS_LABEL", "ChatError", "ChatState", "Description", "Intent", "Message", "Reply", "Services",
    "accept_all", "accept_row", "add_messages", "add_row", "canonical_slot", "cn_number", "describe", "edit_row",
    "explain_row", "export_draft", "export_format", "export_name", "help_text", "list_precedents", "make_draft",
    "parse_description", "parse_intent", "pick_alternative", "position_of", "raw_tail", "remove_row",
    "replace_row", "replace_slot", "respond", "row_id_at", "set_value", "validate_draft",
]
