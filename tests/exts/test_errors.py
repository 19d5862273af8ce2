"""The one error policy: polite private notices, redacted logs, no crash."""

from __future__ import annotations

import logging

import discord
from simcord import assert_error, assert_responded

from bot.utils.errors import SORRY

CLEAR = "unauthorized_client error when authorizing my app"


async def test_unexpected_error_is_logged_redacted_and_answered_politely(world, fake_token, monkeypatch, caplog):
    def explode(text: str):
        raise RuntimeError(f"engine exploded on {text}")

    monkeypatch.setattr(world.bot.engine, "diagnose", explode)
    with caplog.at_level(logging.ERROR, logger="bot"):
        result = await world.alice.slash(world.general, "diagnose", text=f"my token {fake_token}")

    assert_responded(result, ephemeral=True, content=SORRY)
    assert_error(world.env, RuntimeError, contains="engine exploded")
    assert "engine exploded" in caplog.text and "/diagnose" in caplog.text
    assert fake_token not in caplog.text
    world.assert_never_shown(fake_token)


async def test_forbidden_channel_gets_an_explanation(world):
    locked = world.guild.create_text_channel(
        "locked", overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(send_messages=False)}
    )
    question = await world.alice.send(locked, "how do I make a PAT?")

    result = await world.mod.slash(locked, "answer", topic="pat-create", message=str(question.id))

    # Checked before posting (issue 10 point 2), so Discord never has to refuse it.
    assert world.env.errors == []
    assert "I can't post in that channel" in result.response.content
    assert [m for m in locked.history() if m.author.id == world.bot.user.id] == []


async def test_button_errors_follow_the_same_policy(world):
    question = await world.alice.send(world.general, CLEAR)
    result = await world.mod.context_menu(world.general, "Diagnose message", question)
    world.env.inject_error("POST", "/channels/*/messages", status=500)

    clicked = await world.mod.click(result.response, label="Post publicly")

    assert_error(world.env, discord.HTTPException)
    # The click was acknowledged before the post (issue 10 point 3): the notice is a private follow-up.
    assert clicked.acknowledged
    assert any("try again" in f.content and f.ephemeral for f in clicked.followups)
