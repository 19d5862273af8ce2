"""Screenshots in Discord: their text is read (OCR) by help channels and the context menu (the leak guard:
tests/exts/credentials/test_leak_guard_screenshots.py)."""

from __future__ import annotations

import pytest

from bot.inputs.ocr import ocr_available
from tests.inputs.screenshots import encode, fonts_available, postman_401

pytestmark = pytest.mark.skipif(
    not (ocr_available() and fonts_available()), reason="tesseract or the DejaVu fonts are missing (.ci/run installs both)"
)


def answers_in(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


async def test_a_screenshot_of_a_401_body_in_a_help_channel_gets_the_invalid_access_token_answer(world):
    png = encode(postman_401().image)
    await world.alice.send(world.help, "calling the agent api from postman, see screenshot", attachments=[("shot.png", png)])

    answers = answers_in(world, world.help)
    assert len(answers) == 1
    entry = world.bot.engine.kb.entries["invalid-access-token"]
    assert answers[0].embeds[0].title == entry.title


async def test_the_context_menu_reads_a_screenshot(world):
    message = await world.alice.send(world.general, "what's wrong here?", attachments=[("err.png", encode(postman_401().image))])
    result = await world.bob.context_menu(world.general, "Diagnose message", message)
    entry = world.bot.engine.kb.entries["invalid-access-token"]
    assert result.response.embeds[0].title == entry.title
