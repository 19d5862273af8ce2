"""The heartbeat file is written once connected and refreshed every interval."""

from __future__ import annotations

from bot.exts.backend.heartbeat import INTERVAL


async def test_heartbeat_file_is_touched_while_connected(world, tmp_path):
    path = tmp_path / "heartbeat"
    await world.restart(heartbeat_file=path)
    first = path.read_text()
    assert "latency=" in first

    path.unlink()
    await world.env.advance_time(INTERVAL + 1)

    assert path.exists()


async def test_no_heartbeat_file_configured_means_no_loop(world):
    assert not world.bot.get_cog("Heartbeat").beat.is_running()
