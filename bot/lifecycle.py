"""Running the bot until a signal, and stopping it gracefully.

`serve()` is what `authbot run` does: start the bot, and on SIGTERM (docker stop, systemctl stop,
Kubernetes) or SIGINT call `shutdown()`, the one stopping path:

1. drain: wait up to `grace` seconds for event handlers, slash commands, buttons and modals that
   are already running, so a user who just asked gets the reply instead of "interaction failed";
2. `bot.close()`: unloads the extensions (the token-check cog closes its LiveChat httpx client),
   closes the gateway and Discord's HTTP session, then `AuthBot.close()` closes the database.

Tests call `shutdown()` directly on a simcord bot and send SIGTERM to a real `authbot run`.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import AuthBot

log = logging.getLogger(__name__)

#: Names discord.py 2.x gives the tasks that run user-facing work (client.py, app_commands/tree.py,
#: ui/view.py, ui/modal.py). Anything else (gateway, keep-alive, our loops) is not a reply.
IN_FLIGHT_PREFIXES = (
    "discord.py: ",  # every dispatched event handler (on_message, on_interaction, listeners)
    "CommandTree-invoker",  # slash commands, context menus, autocomplete
    "discord-ui-view-dispatch-",  # buttons and selects
    "discord-ui-modal-dispatch-",  # modal submissions (/token-check)
)
#: After close(), how long the connecting/connected task may take to notice before it is cancelled.
GATEWAY_EXIT_TIMEOUT = 2.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def in_flight() -> set[asyncio.Task[object]]:
    current = asyncio.current_task()
    return {
        task
        for task in asyncio.all_tasks()
        if task is not current and not task.done() and task.get_name().startswith(IN_FLIGHT_PREFIXES)
    }


async def drain(grace: float) -> int:
    """Wait until no reply is in flight or `grace` seconds pass; return how many are still running.

    Handlers that start during the wait (a message arriving now) are waited for too, within the
    same deadline: the gateway stays open until the end, so they can still finish their replies.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + grace
    while True:
        pending = in_flight()
        remaining = deadline - loop.time()
        if not pending or remaining <= 0:
            return len(pending)
        await asyncio.wait(pending, timeout=remaining)


async def shutdown(bot: AuthBot, *, grace: float, reason: str = "shutdown") -> None:
    """Let in-flight replies finish, then close everything. Safe to call twice."""
    if bot.is_closed():
        return
    running = len(in_flight())
    log.info("Stopping (%s): waiting up to %.0f s for %d in-flight handler(s)", reason, grace, running)
    left = await drain(grace)
    if left:
        log.warning("%d handler(s) still running after %.0f s; closing anyway", left, grace)
    await bot.close()
    log.info("Stopped cleanly")


async def serve(bot: AuthBot, token: str, *, grace: float) -> None:
    """Run until the bot stops by itself (raising what stopped it) or a stop signal arrives."""
    loop = asyncio.get_running_loop()
    stop = asyncio.Event()
    received: list[str] = []

    def on_signal(sig: signal.Signals) -> None:
        if received:
            log.info("%s received while already stopping (%s); still finishing", sig.name, received[0])
            return
        received.append(sig.name)
        stop.set()

    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, on_signal, sig)
    try:
        async with bot:  # leaving it closes the bot on every path (error, cancel, signal)
            gateway = asyncio.create_task(bot.start(token), name="authbot: gateway")
            stopping = asyncio.create_task(stop.wait(), name="authbot: stop signal")
            await asyncio.wait({gateway, stopping}, return_when=asyncio.FIRST_COMPLETED)
            if gateway.done():
                stopping.cancel()
                gateway.result()  # re-raise LoginFailure, PrivilegedIntentsRequired, …
                return
            await shutdown(bot, grace=grace, reason=received[0])
            await _finish(gateway)
    finally:
        for sig in STOP_SIGNALS:
            loop.remove_signal_handler(sig)


async def _finish(gateway: asyncio.Task[None]) -> None:
    """The connect loop ends once the bot is closed; a stalled login or handshake is cancelled."""
    done, _ = await asyncio.wait({gateway}, timeout=GATEWAY_EXIT_TIMEOUT)
    if not done:
        gateway.cancel()
        await asyncio.wait({gateway})
    if not gateway.cancelled() and gateway.exception() is not None:
        # Closing under a half-open connection makes discord.py raise; we asked for the stop.
        log.debug("Gateway task ended with %r during shutdown", gateway.exception())
