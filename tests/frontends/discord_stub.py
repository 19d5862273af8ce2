"""A stand-in for Discord on 127.0.0.1, just enough for a real `authbot run` process to log in, sync its
commands, connect to the gateway, become READY and answer one slash command.

The process under test is pointed here by `sitecustomize()` (discord.py's REST base URL is a class
attribute, patched at interpreter start through PYTHONPATH), so the code path is the shipped one.

Modes:
- "ready": HELLO → IDENTIFY → READY (no guilds); interactions can then be pushed with `interact()`.
- "stall-gateway": the websocket is accepted and then nothing is ever sent (connecting forever).
- "stall-login": GET /users/@me never answers (logging in forever).
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

APP_ID = "900000000000000001"
BOT_USER = {"id": APP_ID, "username": "authbot", "discriminator": "0", "avatar": None, "bot": True}
OWNER = {"id": "900000000000000002", "username": "owner", "discriminator": "0", "avatar": None}
GUILD_ID = "900000000000000005"
CHANNEL_ID = "900000000000000006"
USER = {"id": "900000000000000007", "username": "alice", "discriminator": "0", "avatar": None}

SITECUSTOMIZE = '''
import os
import socket

if os.environ.get("AUTHBOT_TEST_DISCORD_API"):  # only in processes a test started
    # Nothing but loopback: a code path that still knows discord.com fails here instead of going out.
    _getaddrinfo = socket.getaddrinfo

    def _loopback_only(host, *args, **kwargs):
        if host not in ("127.0.0.1", "localhost", "::1", None):
            raise OSError(f"test process: refusing to resolve {host!r}")
        return _getaddrinfo(host, *args, **kwargs)

    socket.getaddrinfo = _loopback_only

    import yarl
    import discord.gateway
    import discord.http

    discord.http.Route.BASE = os.environ["AUTHBOT_TEST_DISCORD_API"]
    # An unsharded Client connects to this default without asking GET /gateway/bot.
    discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(os.environ["AUTHBOT_TEST_DISCORD_GATEWAY"])
'''


@dataclass
class FakeDiscord:
    mode: str = "ready"
    callback_delay: float = 0.0  # seconds the interaction callback is held before it is answered
    requests: list[str] = field(default_factory=list)
    identifies: list[dict[str, Any]] = field(default_factory=list)
    events: list[tuple[float, str]] = field(default_factory=list)  # (monotonic time, what happened)
    commands: dict[str, str] = field(default_factory=dict)  # name -> id, from the sync
    ready: threading.Event = field(default_factory=threading.Event)
    gateway_open: threading.Event = field(default_factory=threading.Event)
    callback_started: threading.Event = field(default_factory=threading.Event)
    callback_answered: threading.Event = field(default_factory=threading.Event)
    port: int = 0

    def __post_init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._sockets: list[web.WebSocketResponse] = []
        self._sequence = 0

    # -- life cycle (from the test thread) --------------------------------------------------------

    def __enter__(self) -> FakeDiscord:
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(timeout=10)
        return self

    def __exit__(self, *_: object) -> None:
        asyncio.run_coroutine_threadsafe(self._stop(), self._loop).result(timeout=10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    async def _stop(self) -> None:
        """Close the server and end every handler still running (a stalled gateway waits forever): a task
        left pending on a loop that is never closed is destroyed at interpreter exit, long after the test,
        as "Task was destroyed but it is pending!"."""
        await self._runner.cleanup()
        handlers = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in handlers:
            task.cancel()
        await asyncio.gather(*handlers, return_exceptions=True)

    @property
    def api(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v10"

    @property
    def gateway(self) -> str:
        return f"ws://127.0.0.1:{self.port}/gateway"

    def happened(self, what: str) -> float | None:
        return next((at for at, event in self.events if event == what), None)

    def interact(self, command: str, **options: str) -> None:
        """Push an INTERACTION_CREATE for a slash command, as a guild member would trigger it."""
        asyncio.run_coroutine_threadsafe(self._dispatch("INTERACTION_CREATE", slash(self, command, options)), self._loop)

    # -- server --------------------------------------------------------------------------------------

    async def _start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self._gateway)
        app.router.add_route("*", "/api/v10/{path:.*}", self._rest)
        self._runner = web.AppRunner(app, handle_signals=False, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    def _note(self, what: str) -> None:
        self.events.append((time.monotonic(), what))

    async def _rest(self, request: web.Request) -> web.StreamResponse:
        path = "/" + request.match_info["path"]
        self.requests.append(f"{request.method} {path}")
        if path == "/users/@me":
            if self.mode == "stall-login":
                await asyncio.sleep(3600)
            return as_json(BOT_USER)
        if path == "/oauth2/applications/@me":
            return as_json(application())
        if path == "/gateway/bot":
            return as_json(
                {
                    "url": self.gateway,
                    "shards": 1,
                    "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1},
                }
            )
        if request.method == "PUT" and path.endswith("/commands"):
            body = await request.json()
            synced = [
                {"description": "", **command, "id": str(800000000000000000 + n), "application_id": APP_ID, "version": "1"}
                for n, command in enumerate(body)
            ]
            self.commands = {command["name"]: command["id"] for command in synced}
            return as_json(synced)
        if path.endswith("/callback"):
            self._note("callback received")
            self.callback_started.set()
            await asyncio.sleep(self.callback_delay)
            interaction_id = path.split("/")[2]
            response = as_json({"interaction": {"id": interaction_id, "type": 2}})
            await response.prepare(request)
            await response.write_eof()
            self._note("callback answered")
            self.callback_answered.set()
            return response
        return as_json({"message": f"stub has no {request.method} {path}", "code": 0}, status=404)

    async def _gateway(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        self._note("gateway open")
        self.gateway_open.set()
        if self.mode == "stall-gateway":
            async for _ in ws:  # never say HELLO; just wait for the client to go away
                pass
            self._note("gateway closed")
            return ws
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for message in ws:
            if message.type != WSMsgType.TEXT:
                continue
            payload = json.loads(message.data)
            if payload["op"] == 1:  # heartbeat
                await ws.send_json({"op": 11, "d": None, "s": None, "t": None})
            elif payload["op"] == 2:  # identify
                self.identifies.append(payload["d"])
                await self._dispatch("READY", ready(payload["d"].get("shard")), ws)
                self.ready.set()
        self._note("gateway closed")  # by the client; its close code is discord.py's business
        return ws

    async def _dispatch(self, event: str, data: dict[str, Any], ws: web.WebSocketResponse | None = None) -> None:
        self._sequence += 1
        for target in [ws] if ws else self._sockets:
            if not target.closed:
                await target.send_json({"op": 0, "t": event, "s": self._sequence, "d": data})


def as_json(data: Any, status: int = 200) -> web.Response:
    # discord.py parses a body as JSON only when Content-Type is exactly "application/json" (no charset).
    return web.Response(body=json.dumps(data).encode(), status=status, headers={"Content-Type": "application/json"})


def application() -> dict[str, Any]:
    return {
        "id": APP_ID,
        "name": "authbot",
        "description": "",
        "icon": None,
        "bot_public": False,
        "bot_require_code_grant": False,
        "owner": OWNER,
        "verify_key": "0" * 64,
        "flags": 0,
        "team": None,
    }


def ready(shard: list[int] | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "v": 10,
        "user": BOT_USER,
        "guilds": [],
        "session_id": "stub-session",
        "resume_gateway_url": "ws://127.0.0.1:9/never",
        "application": {"id": APP_ID, "flags": 0},
    }
    if shard is not None:
        data["shard"] = shard
    return data


def slash(stub: FakeDiscord, command: str, options: dict[str, str]) -> dict[str, Any]:
    return {
        "id": "900000000000000100",
        "application_id": APP_ID,
        "type": 2,
        "token": "stub-interaction-token",
        "version": 1,
        "guild_id": GUILD_ID,
        "channel_id": CHANNEL_ID,
        "channel": {"id": CHANNEL_ID, "type": 0, "guild_id": GUILD_ID, "name": "general", "position": 0},
        "member": {
            "user": USER,
            "roles": [],
            "joined_at": "2026-01-01T00:00:00+00:00",
            "deaf": False,
            "mute": False,
            "permissions": "3072",  # view channel + send messages
            "flags": 0,
        },
        "app_permissions": "2147534848",
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {"0": GUILD_ID},
        "context": 0,
        "attachment_size_limit": 10485760,
        "data": {
            "id": stub.commands[command],
            "name": command,
            "type": 1,
            "options": [{"name": name, "type": 3, "value": value} for name, value in options.items()],
        },
    }
