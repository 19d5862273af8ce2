"""/token-check: a modal, an ephemeral defer first, a private answer nobody else sees."""

from __future__ import annotations

import pytest
from discord import app_commands
from simcord import assert_error

from tests.credentials import fake_accounts as fa

DEFER_EPHEMERAL = {"type": 5, "data": {"flags": 64}}


def callbacks(env):
    return [r.json for r in env.http_requests if r.path.endswith("/callback")]


def controls(modal):
    found = []
    for component in modal["components"]:
        child = component.get("component")
        found.append(child["custom_id"] if child else component["components"][0]["custom_id"])
    return found


async def test_live_check_is_private(world, accounts):
    shown = await world.alice.slash(world.general, "token-check")
    assert shown.modal["title"] == "Check a LiveChat token" and shown.response is None
    assert controls(shown.modal) == ["token", "live", "api", "account_id"]
    submitted = await world.alice.submit_modal(shown, {"token": f"Bearer {fa.AGENT}", "api": ["agent-chat"]})
    assert callbacks(world.env)[-1] == DEFER_EPHEMERAL  # deferred, ephemerally, before anything else
    response = submitted.response
    assert response.ephemeral
    description = response.embeds[0].description
    assert "**Live check:** Valid: LiveChat accepts this as an agent access token." in description
    assert "You pasted `Bearer ` in front of the token." in description
    assert "[access-token dal:…0001]" in description
    assert world.general.history(viewer=world.bob) == []  # nobody else sees anything
    world.assert_never_shown(fa.AGENT)
    assert [r.path for r in accounts.requests] == ["/v2/info"]


async def test_opting_out_sends_nothing(world, accounts):
    shown = await world.alice.slash(world.general, "token-check")
    submitted = await world.alice.submit_modal(shown, {"token": fa.EXPIRED, "live": False})
    assert callbacks(world.env)[-1] == DEFER_EPHEMERAL
    assert "**Live check:** Live check skipped, as you asked." in submitted.response.embeds[0].description
    assert accounts.requests == []


async def test_expired_token_answer(world, accounts):
    shown = await world.alice.slash(world.general, "token-check")
    submitted = await world.alice.submit_modal(shown, {"token": fa.EXPIRED})
    description = submitted.response.embeds[0].description
    assert "**Live check:** LiveChat says this token has expired." in description
    assert submitted.response.ephemeral
    world.assert_never_shown(fa.EXPIRED)


@pytest.mark.parametrize("settings_overrides", [{"live_token_checks": False}], indirect=True)
async def test_live_checks_off_in_settings(world, accounts):
    shown = await world.alice.slash(world.general, "token-check")
    assert controls(shown.modal) == ["token", "api", "account_id"]  # no live-check box to tick
    submitted = await world.alice.submit_modal(shown, {"token": fa.AGENT})
    assert "**Live check:** Live checks are turned off on this bot." in submitted.response.embeds[0].description
    assert accounts.requests == []


async def test_cooldown_five_per_ten_minutes(world):
    for _ in range(5):
        assert (await world.alice.slash(world.general, "token-check")).modal is not None
    refused = await world.alice.slash(world.general, "token-check")
    assert refused.modal is None and refused.response.ephemeral
    assert refused.response.content.startswith("You're going a bit fast: try again in")
    assert_error(world.env, app_commands.CommandOnCooldown)
    assert (await world.bob.slash(world.general, "token-check")).modal is not None  # per user


async def test_unexpected_error_is_private_and_redacted(world, monkeypatch, caplog):
    from bot.exts.credentials import token_check

    async def broken(pasted, **_):
        raise RuntimeError(f"bug while handling {pasted}")

    monkeypatch.setattr(token_check, "check_token", broken)
    shown = await world.alice.slash(world.general, "token-check")
    submitted = await world.alice.submit_modal(shown, {"token": fa.AGENT})
    assert submitted.response.content == token_check.SORRY and submitted.response.ephemeral
    assert "RuntimeError: bug while handling [agent-access-token dal:…0001]" in caplog.text
    assert fa.AGENT not in caplog.text
    world.assert_never_shown(fa.AGENT)
    # simcord keeps the raw exception object (in memory, never sent or logged): acknowledge it.
    assert [type(e.original if hasattr(e, "original") else e) for e in world.env.errors] == [RuntimeError]
    world.env.errors.clear()
