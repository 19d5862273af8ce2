"""shutdown(): the function the SIGTERM handler calls, run on a simcord bot."""

from __future__ import annotations

import pytest

from bot.lifecycle import shutdown


@pytest.mark.parametrize("settings_overrides", [{"live_token_checks": True}], indirect=True)
async def test_shutdown_closes_the_livechat_client_the_database_and_the_heartbeat(world, tmp_path):
    bot = await world.restart(heartbeat_file=tmp_path / "heartbeat")
    checker = bot.get_cog("TokenCheck").checker
    assert checker is not None and not checker.client.is_closed
    assert (tmp_path / "heartbeat").exists()

    await shutdown(bot, grace=1.0, reason="test")

    assert bot.is_closed() and checker.client.is_closed
    assert bot.store.closed and bot.recorder.queued == 0
    with pytest.raises(RuntimeError, match="closed"):
        await bot.store.is_answered(1)
    assert not (tmp_path / "heartbeat").exists()  # a stopped bot does not look alive
    await shutdown(bot, grace=1.0, reason="twice")  # idempotent: a second signal is harmless
