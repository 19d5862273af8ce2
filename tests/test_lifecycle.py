"""Draining in-flight replies before a shutdown. The bot side is in tests/exts/test_shutdown.py,
the real SIGTERM in tests/frontends/test_discord_run.py."""

from __future__ import annotations

import asyncio
import time

from bot.lifecycle import drain, in_flight


async def test_drain_waits_for_replies_in_flight_but_not_for_other_tasks():
    reply = asyncio.create_task(asyncio.sleep(0.2), name="CommandTree-invoker")
    background = asyncio.create_task(asyncio.sleep(60), name="authbot: gateway")
    started = time.monotonic()

    assert await drain(5.0) == 0

    assert reply.done() and not background.done()
    assert time.monotonic() - started < 2
    background.cancel()


async def test_drain_gives_up_after_the_grace_period():
    stuck = asyncio.create_task(asyncio.sleep(60), name="discord.py: on_message")
    assert in_flight() == {stuck}
    assert await drain(0.1) == 1
    stuck.cancel()


async def test_drain_also_waits_for_handlers_that_start_while_draining():
    async def first() -> None:
        await asyncio.sleep(0.05)
        asyncio.create_task(asyncio.sleep(0.1), name="discord-ui-view-dispatch-1")

    asyncio.create_task(first(), name="discord.py: on_message")
    assert await drain(5.0) == 0
    assert not in_flight()
