"""The leak guard reads public screenshots (OCR): a token in one is removed like a token in text."""

from __future__ import annotations

import pytest

from bot.inputs.ocr import ocr_available
from tests.exts.credentials.exposure import assert_no_piece_shown
from tests.inputs.screenshots import editor_env_with_token, encode, fake_token, fonts_available

pytestmark = pytest.mark.skipif(
    not (ocr_available() and fonts_available()), reason="tesseract or the DejaVu fonts are missing (.ci/run installs both)"
)


async def test_a_token_in_a_public_screenshot_is_removed_by_the_leak_guard(world, caplog):
    token = fake_token(seed=31)
    png = encode(editor_env_with_token(token).image)
    message = await world.alice.send(world.general, "my .env, why does it fail?", attachments=[("env.png", png)])

    assert all(m.id != message.id for m in world.general.history(viewer=world.bob)), "the screenshot stayed up"
    assert_no_piece_shown(world, caplog, token)
