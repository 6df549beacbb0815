"""assistant.access: sign-in settings, identity and roles from the provider's claims, what each role may do."""

import pytest

from assistant import access
from assistant.access import Action, Role

AUTH = """
[auth]
redirect_uri = "https://jixiao.example.gov.cn/oauth2callback"
cookie_secret = "a-long-random-secret-for-the-cookie"
client_id = "jixiao"
client_secret = "s3cret"
server_metadata_url = "https://sso.example.gov.cn/.well-known/openid-configuration"
"""


def _settings(tmp_path, extra=""):
    (tmp_path / "auth.toml").write_text(AUTH + extra, encoding="utf-8")
    return access.load_settings(tmp_path)


def test_no_settings_file_is_the_local_mode(tmp_path):
    assert access.load_settings(tmp_path) is None
    local = access.LOCAL_IDENTITY
    assert local.local and local.roles == access.ALL_ROLES
    assert access.pages_for(local) == ["起草", "审核", "范例", "语料"]


def test_settings_are_read_and_checked(tmp_path):
    s = _settings(tmp_path)
    assert s.provider["client_id"] == "jixiao" and s.access.identity_claim == "email"
    (tmp_path / "auth.toml").write_text(AUTH.replace('client_secret = "s3cret"\n', ""), encoding="utf-8")
    with pytest.raises(access.AuthError, match="client_secret"):
        access.load_settings(tmp_path)
    (tmp_path / "auth.toml").write_text(AUTH.replace("/oauth2callback", "/callback"), encoding="utf-8")
    with pytest.raises(access.AuthError, match="oauth2callback"):
        access.load_settings(tmp_path)
    with pytest.raises(access.AuthError, match="没有「老板」这个角色"):
        _settings(tmp_path, '[jixiao.users]\n"a@x.cn" = ["老板"]\n')
    (tmp_path / "auth.toml").write_text("[auth\n", encoding="utf-8")
    with pytest.raises(access.AuthError, match="读不了"):
        access.load_settings(tmp_path)


def test_roles_from_the_claim_the_file_wins_default_otherwise(tmp_path):
    s = _settings(tmp_path, '[jixiao]\ndefault_roles = ["起草"]\n[jixiao.users]\n"boss@x.cn" = ["管理", "审核"]\n')
    by_claim = access.identity_from_claims({"email": "a@x.cn", "roles": ["reviewer", "培训", "other-app"]}, s)
    assert by_claim.id == "a@x.cn" and by_claim.roles == {Role.reviewer, Role.trainer}
    as_string = access.identity_from_claims({"email": "a@x.cn", "roles": "起草, admin"}, s)
    assert as_string.roles == {Role.drafter, Role.admin}
    listed = access.identity_from_claims({"email": "boss@x.cn", "roles": ["起草"], "name": "王科长"}, s)
    assert listed.roles == {Role.admin, Role.reviewer} and listed.name == "王科长"  # the file wins
    plain = access.identity_from_claims({"email": "c@x.cn"}, s)
    assert plain.roles == {Role.drafter} and not plain.local
    with pytest.raises(access.AuthError, match="email"):
        access.identity_from_claims({"sub": "123"}, s)
    with pytest.raises(access.AuthError, match="未验证"):
        access.identity_from_claims({"email": "boss@x.cn", "email_verified": False}, s)


def test_other_claims_can_be_chosen(tmp_path):
    s = _settings(tmp_path, '[jixiao]\nidentity_claim = "sub"\nroles_claim = "groups"\n')
    who = access.identity_from_claims({"sub": "u-17", "email": "x@x.cn", "groups": ["管理"]}, s)
    assert who.id == "u-17" and who.roles == {Role.admin}


def test_the_providers_group_names_can_be_mapped_to_roles(tmp_path):
    s = _settings(tmp_path, '[jixiao]\nroles_claim = "groups"\n[jixiao.role_names]\n"jixiao-admins" = "管理"\n'
                            '"cn=reviewers,ou=finance" = "审核"\n')
    who = access.identity_from_claims({"email": "a@x.cn", "groups": ["jixiao-admins", "cn=reviewers,ou=finance",
                                                                      "起草", "mail-users"]}, s)
    assert who.roles == {Role.admin, Role.reviewer, Role.drafter}
    with pytest.raises(access.AuthError, match="超级"):
        _settings(tmp_path, '[jixiao.role_names]\n"x" = "超级"\n')


def test_each_role_opens_its_pages_and_actions():
    def user(*roles):
        return access.Identity(id="u", name="u", roles=frozenset(roles))

    assert access.pages_for(user(Role.drafter)) == ["起草", "语料"]
    assert access.pages_for(user(Role.reviewer)) == ["审核", "语料"]
    assert access.pages_for(user(Role.trainer)) == ["范例", "语料"]
    assert access.pages_for(user()) == ["语料"]  # everyone may look at the corpus
    assert access.may(user(Role.admin), Action.add_corpus)
    for role in (Role.drafter, Role.reviewer, Role.trainer):
        assert not access.may(user(role), Action.add_corpus)
        with pytest.raises(access.AccessDenied, match="管理"):
            access.require(user(role), Action.add_corpus)


@pytest.mark.parametrize("address,loopback", [("127.0.0.1", True), ("localhost", True), ("::1", True),
                                              ("0.0.0.0", False), ("192.168.1.5", False), ("", False),
                                              (None, False), ("example.org", False)])
def test_loopback_addresses(address, loopback):
    assert access.is_loopback(address) is loopback


@pytest.mark.parametrize("address", ["0.0.0.0", "192.168.1.5", "::"])
def test_jixiao_ui_refuses_a_network_address_without_sign_in(address, tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    assert main(["ui", "--address", address]) == 2  # before any server is started
    err = capsys.readouterr().err
    assert "只供本机一人使用" in err and "127.0.0.1" in err and "auth.toml" in err


def test_jixiao_ui_says_what_is_wrong_in_auth_toml(tmp_path, monkeypatch, capsys):
    from assistant.cli import main

    monkeypatch.setenv("JIXIAO_HOME", str(tmp_path))
    (tmp_path / "auth.toml").write_text(AUTH.replace('cookie_secret = "a-long-random-secret-for-the-cookie"\n', ""),
                                        encoding="utf-8")
    assert main(["ui", "--address", "0.0.0.0"]) == 2
    assert "cookie_secret" in capsys.readouterr().err
