"""Who is using the app and what he or she may do: sign-in settings (`auth.toml` in the data folder),
the identity read from the identity provider's claims, roles, and the pages and actions each role
opens. The UI asks these functions; it decides nothing itself."""

from __future__ import annotations

import ipaddress
import tomllib
from collections.abc import Iterable, Mapping
from enum import Enum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from corpus.store import home

from .draft_store import LOCAL_OWNER

AUTH_FILE = "auth.toml"
# what Streamlit's st.login needs in [auth] (one unnamed provider)
REQUIRED_AUTH_KEYS = ("redirect_uri", "cookie_secret", "client_id", "client_secret", "server_metadata_url")


class Role(str, Enum):
    drafter = "起草"   # drafts of one's own, shared for review
    reviewer = "审核"  # review reports; drafts shared with him or her, read-only
    trainer = "培训"   # the 范例 page
    admin = "管理"     # may add documents to the shared corpus

    @classmethod
    def parse(cls, value: str) -> Role | None:
        """A role named in Chinese (起草) or English (drafter), any case; None for anything else."""
        text = str(value).strip()
        for role in cls:
            if text == role.value or text.lower() == role.name:
                return role
        return None


ALL_ROLES = frozenset(Role)


class Action(str, Enum):
    draft = "draft"            # the 起草 page: own drafts, sharing them
    review = "review"          # the 审核 page: review reports, drafts shared with one
    examples = "examples"      # the 范例 page
    view_corpus = "view_corpus"  # the 语料 page: listing and preview
    add_corpus = "add_corpus"  # adding documents to the shared corpus


_NEEDS: dict[Action, frozenset[Role] | None] = {  # None: every signed-in user
    Action.draft: frozenset({Role.drafter}),
    Action.review: frozenset({Role.reviewer}),
    Action.examples: frozenset({Role.trainer}),
    Action.view_corpus: None,
    Action.add_corpus: frozenset({Role.admin}),
}

# page name (as shown) → the action that opens it, in the order of the sidebar
PAGES: dict[str, Action] = {"起草": Action.draft, "审核": Action.review, "范例": Action.examples,
                            "语料": Action.view_corpus}


class Identity(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str               # the owner of drafts, the name a draft is shared with
    name: str             # shown in the sidebar
    roles: frozenset[Role]
    local: bool = False   # the single user of an instance without sign-in


LOCAL_IDENTITY = Identity(id=LOCAL_OWNER, name="本机用户", roles=ALL_ROLES, local=True)


class AccessDenied(PermissionError):
    pass


def may(identity: Identity, action: Action) -> bool:
    needs = _NEEDS[action]
    return needs is None or bool(needs & identity.roles)


def require(identity: Identity, action: Action) -> None:
    """Refuse an action the identity's roles do not open (a page reached by an old link, a forged rerun)."""
    if not may(identity, action):
        needs = "、".join(r.value for r in sorted(_NEEDS[action] or (), key=lambda r: r.name))
        raise AccessDenied(f"您没有这项权限（需要角色：{needs}）。")


def pages_for(identity: Identity) -> list[str]:
    return [name for name, action in PAGES.items() if may(identity, action)]


# -- settings ---------------------------------------------------------------------------------

class AuthError(ValueError):
    """Sign-in is configured wrongly, or the provider's answer lacks what is needed."""


class AccessSettings(BaseModel):
    """The [jixiao] section of auth.toml: how the identity and the roles are read."""
    model_config = ConfigDict(extra="forbid")

    identity_claim: str = "email"       # a stable claim: email, preferred_username or sub
    name_claim: str = "name"
    roles_claim: str = "roles"          # a list, or a string separated by commas or spaces; "" = not used
    default_roles: list[str] = Field(default_factory=lambda: [Role.drafter.value])
    # the IdP's own group names → a role (e.g. "jixiao-admins" = "管理"), for providers whose groups
    # are not named 起草/审核/培训/管理 (or drafter/reviewer/trainer/admin)
    role_names: dict[str, str] = Field(default_factory=dict)
    users: dict[str, list[str]] = Field(default_factory=dict)  # identity → roles; wins over the claim


class AuthSettings(BaseModel):
    path: Path
    provider: dict[str, object]  # the [auth] section, handed to Streamlit as it is
    access: AccessSettings


def auth_path(folder: Path | None = None) -> Path:
    return Path(folder or home()) / AUTH_FILE


def load_settings(folder: Path | None = None) -> AuthSettings | None:
    """The sign-in settings in the data folder, or None: no auth.toml means the local single-user mode."""
    path = auth_path(folder)
    if not path.exists():
        return None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise AuthError(f"登录设置文件 {path} 读不了：{exc}") from exc
    provider = data.get("auth")
    if not isinstance(provider, dict):
        raise AuthError(f"登录设置文件 {path} 缺少 [auth] 一节。")
    missing = [k for k in REQUIRED_AUTH_KEYS if not str(provider.get(k) or "").strip()]
    if missing:
        raise AuthError(f"登录设置文件 {path} 的 [auth] 缺少：{'、'.join(missing)}。")
    if not str(provider["redirect_uri"]).endswith("/oauth2callback"):
        raise AuthError(f"登录设置文件 {path}：redirect_uri 必须以 /oauth2callback 结尾。")
    try:
        access = AccessSettings.model_validate(data.get("jixiao") or {})
    except ValidationError as exc:
        raise AuthError(f"登录设置文件 {path} 的 [jixiao] 一节有误：{exc.errors()[0]['msg']}") from exc
    for who, names in access.users.items():
        _roles(names, f"[jixiao.users] 中的 {who}", strict=True)
    _roles(access.default_roles, "default_roles", strict=True)
    _roles(access.role_names.values(), "[jixiao.role_names]", strict=True)
    return AuthSettings(path=path, provider=provider, access=access)


def _roles(values: Iterable[str], where: str, strict: bool = False) -> frozenset[Role]:
    roles = set()
    for v in values:
        role = Role.parse(v)
        if role is None and strict:
            raise AuthError(f"{where}：没有「{v}」这个角色（可用：起草、审核、培训、管理）。")
        if role is not None:
            roles.add(role)
    return frozenset(roles)


def _claim_values(value: object) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return value.replace(",", " ").split()
    if isinstance(value, (list, tuple, set)):
        return [str(v) for v in value]
    return [str(value)]


def identity_from_claims(claims: Mapping[str, object], settings: AuthSettings) -> Identity:
    """The signed-in user from the identity provider's claims. Roles: the user's line in
    [jixiao.users] if there is one (the unit's own decision wins), else the roles claim, else
    default_roles. Unknown role names in the claim are ignored (an IdP sends groups of other apps too)."""
    a = settings.access
    who = str(claims.get(a.identity_claim) or "").strip()
    if not who:
        raise AuthError(f"身份提供方没有给出「{a.identity_claim}」，无法确定您是谁。请联系管理员。")
    if a.identity_claim == "email" and claims.get("email_verified") is False:
        # an address the user typed but never proved would let him or her take someone else's drafts
        raise AuthError("身份提供方说明您的邮箱尚未验证，不能用它登录。请联系管理员。")
    if who in a.users:
        roles = _roles(a.users[who], who)
    elif a.roles_claim and claims.get(a.roles_claim) is not None:
        roles = _roles([a.role_names.get(v, v) for v in _claim_values(claims.get(a.roles_claim))], who)
    else:
        roles = _roles(a.default_roles, "default_roles")
    name = str(claims.get(a.name_claim) or who)
    return Identity(id=who, name=name, roles=roles)


# -- where the app may listen -----------------------------------------------------------------

def is_loopback(address: str | None) -> bool:
    """127.0.0.1, ::1 or localhost: reachable from this machine only. None (Streamlit's default:
    every interface) is not."""
    if not address:
        return False
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip("[]")).is_loopback
    except ValueError:
        return False


LOCAL_ONLY_MESSAGE = ("未配置统一身份认证（{path} 不存在）时，本程序只供本机一人使用，只能在 127.0.0.1 上运行。"
                      "要在网络上供多人使用，请先按 README 配置单点登录。")
