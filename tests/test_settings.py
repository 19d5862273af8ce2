"""Settings: shard layout validation and secret redaction."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import SECRET_MASK, Settings, redact_url, settings_problems


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def test_shard_ids_from_the_environment(monkeypatch):
    monkeypatch.setenv("SHARD_COUNT", "4")
    monkeypatch.setenv("SHARD_IDS", "2,3")
    loaded = Settings(_env_file=None)
    assert (loaded.shard_count, loaded.shard_ids) == (4, [2, 3])


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"shard_ids": [0]}, "SHARD_IDS needs SHARD_COUNT"),
        ({"shard_count": 2, "shard_ids": [2]}, r"\[2\] are outside 0..1"),
        ({"shard_count": 2, "shard_ids": [1, 1]}, "twice"),
        ({"shard_count": 0}, "greater than or equal to 1"),
    ],
)
def test_impossible_shard_layouts_are_refused(values, message):
    with pytest.raises(ValidationError, match=message):
        settings(**values)


def test_redacted_hides_the_token_and_the_database_password():
    shown = settings(
        discord_token="FAKE.discord.token-not-real", database_url="postgresql://bot:hunter2@db:5432/authbot"
    ).redacted()
    assert shown["discord_token"] == SECRET_MASK
    assert shown["database_url"] == f"postgresql://bot:{SECRET_MASK}@db:5432/authbot"
    assert "FAKE.discord" not in repr(shown) and "hunter2" not in repr(shown)


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("sqlite:////data/authbot.sqlite3", "sqlite:////data/authbot.sqlite3"),
        ("postgresql://db/authbot?password=hunter2", f"postgresql://db/authbot?{SECRET_MASK}"),
        ("redis://:hunter2@cache", f"redis://:{SECRET_MASK}@cache"),
        ("hunter2", SECRET_MASK),
    ],
)
def test_redact_url(url, shown):
    assert redact_url(url) == shown


# -- where tokens may go: LiveChat's accounts hosts and loopback, anything else only with an opt-in --------


@pytest.mark.parametrize(
    "values",
    [
        {},
        {"livechat_accounts_url": "https://accounts.livechatinc.com", "livechat_allowed_hosts": "accounts.livechatinc.com"},
        {"livechat_accounts_url": "http://127.0.0.1:8080", "livechat_allowed_hosts": "127.0.0.1"},
        {"livechat_accounts_url": "http://localhost:8080", "livechat_allowed_hosts": "localhost,::1,127.0.0.2"},
        {"livechat_allowed_hosts": "Accounts.LiveChat.com"},  # host names are case-insensitive
    ],
    ids=["default", "livechatinc", "loopback-ip", "loopback-names", "upper-case"],
)
def test_livechat_and_loopback_hosts_need_no_opt_in(values):
    loaded = settings(**values)
    assert loaded.custom_livechat_hosts() == []


@pytest.mark.parametrize(
    ("values", "host"),
    [
        ({"livechat_allowed_hosts": "accounts.livechat.com,evil.example"}, "evil.example"),
        ({"livechat_accounts_url": "https://evil.example"}, "evil.example"),
        ({"livechat_allowed_hosts": "accounts.livechat.com.evil.example"}, "accounts.livechat.com.evil.example"),
        ({"livechat_allowed_hosts": "evil-livechat.com"}, "evil-livechat.com"),
        ({"livechat_allowed_hosts": "api.livechatinc.com"}, "api.livechatinc.com"),  # LiveChat's, but no accounts API
        ({"livechat_allowed_hosts": "127.0.0.1.nip.io"}, "127.0.0.1.nip.io"),
    ],
)
def test_any_other_host_is_refused_without_the_opt_in(values, host):
    with pytest.raises(ValidationError) as caught:
        settings(**values)
    (problem,) = settings_problems(caught.value)
    assert problem == (
        f"LIVECHAT_ACCOUNTS_URL / LIVECHAT_ALLOWED_HOSTS name `{host}`, which is not a LiveChat accounts host. "
        "Tokens go only to accounts.livechat.com, accounts.livechatinc.com and loopback; set "
        "LIVECHAT_ALLOW_CUSTOM_HOSTS=true to allow other hosts."
    )


def test_the_refusal_never_repeats_a_password_in_the_url():
    with pytest.raises(ValidationError) as caught:
        settings(livechat_accounts_url="https://user:hunter2@evil.example/?key=sekrit")
    assert "hunter2" not in str(caught.value) and "sekrit" not in str(caught.value)
    assert "`evil.example`" in settings_problems(caught.value)[0]


def test_the_environment_is_checked_too(monkeypatch):
    monkeypatch.setenv("LIVECHAT_ALLOWED_HOSTS", "evil.example")
    with pytest.raises(ValidationError, match="LIVECHAT_ALLOW_CUSTOM_HOSTS"):
        Settings(_env_file=None)


def test_the_opt_in_allows_other_hosts_and_names_them(monkeypatch):
    monkeypatch.setenv("LIVECHAT_ALLOW_CUSTOM_HOSTS", "true")
    monkeypatch.setenv("LIVECHAT_ACCOUNTS_URL", "https://accounts-proxy.example")
    monkeypatch.setenv("LIVECHAT_ALLOWED_HOSTS", "accounts-proxy.example,accounts.livechat.com,127.0.0.1")
    loaded = Settings(_env_file=None)
    assert loaded.livechat_allow_custom_hosts is True
    assert loaded.custom_livechat_hosts() == ["accounts-proxy.example"]


def test_a_validation_error_never_carries_the_discord_token():
    """pydantic puts a model-level error's whole input in its text; a traceback would print the token."""
    with pytest.raises(ValidationError) as caught:
        settings(discord_token="FAKE.discord.token-not-real", shard_ids=[0])
    assert "FAKE.discord" not in str(caught.value)  # what a traceback prints; errors() is never printed
