"""A conversation (the chat's ChatState) kept as a draft in the DraftStore: created empty, opened
only by its owner, saved after every change under the project's name."""

from __future__ import annotations

from .chat import ChatState
from .draft_store import DraftStore, DraftsUnavailable

UNTITLED = "未命名草稿"


def new_draft(store: DraftStore, owner: str) -> tuple[str, ChatState]:
    """A new, empty draft of `owner`: its id and state."""
    state = ChatState()
    return store.create(owner, UNTITLED, state.model_dump_json()), state


def open_draft(store: DraftStore, owner: str, draft_id: str) -> ChatState | None:
    """The saved state, or None when the draft does not exist, is someone else's, or cannot be read
    (also when the drafts database cannot be reached: said in a notice)."""
    try:
        return ChatState.model_validate_json(store.load(draft_id, owner))
    except (KeyError, PermissionError, ValueError, DraftsUnavailable):
        return None


def save_draft(store: DraftStore, owner: str, draft_id: str | None, state: ChatState, note: str) -> str:
    """Save a new version; the draft takes the project's name once the chat knows it. Without
    `draft_id` (a page that was only visited), the draft is created now, at its first change:
    its id is returned."""
    title = state.profile.name if state.profile and state.profile.name else None
    if draft_id is None:
        draft_id = store.create(owner, title or UNTITLED, ChatState().model_dump_json())
    store.save(draft_id, owner, state.model_dump_json(), note, title=title)
    return draft_id


def share_draft(store: DraftStore, owner: str, draft_id: str, reviewer: str) -> str:
    """Share the owner's draft with a reviewer (named by the identity he or she signs in with)."""
    reviewer = (reviewer or "").strip()
    if not reviewer:
        raise ValueError("请填写审核人的账号。")
    if reviewer == owner:
        raise ValueError("不能共享给自己。")
    store.share(draft_id, owner, reviewer)
    return f"已共享给 {reviewer}：对方在「审核」页可以查看这份草稿和它的审核意见（只读）。"


def open_shared(store: DraftStore, reviewer: str, draft_id: str) -> ChatState | None:
    """A draft shared with `reviewer`, or None when it was not shared with him or her (or cannot be read)."""
    try:
        return ChatState.model_validate_json(store.load_shared(draft_id, reviewer))
    except (PermissionError, ValueError):
        return None
