"""/help lists every command the tree holds."""

from __future__ import annotations

from simcord import assert_responded


async def test_help_lists_commands_and_context_menus(world):
    result = await world.alice.slash(world.general, "help")

    assert_responded(result, ephemeral=True, embed_title="authbot help")
    text = result.response.embeds[0].description
    for name in ("/diagnose", "/faq", "/help", "/answer", "/kb stats", "/kb reload", "/kb unanswered"):
        assert f"**{name}**" in text
    assert "**Diagnose message**" in text and "**Answer with FAQ**" in text
    assert "**/answer**: Moderators: post a FAQ entry publicly, landing on the asker. *(moderators)*" in text
