"""Settings: shard layout validation and secret redaction."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from bot.settings import SECRET_MASK, Settings, redact_url


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
