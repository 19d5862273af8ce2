"""`authbot run` as a real process against a stub Discord on 127.0.0.1: SIGTERM stops it cleanly.

What this proves that an in-process test cannot: the signal handler is installed in the real
entry point, the process exits 0 with a clean message, an interaction already being answered gets
its reply before the gateway closes, and the database and heartbeat are closed/removed on the way out.
"""

from __future__ import annotations

import json
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from aiohttp import WSMsgType, web

from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from tests.cli_env import FAKE_DISCORD_TOKEN, clean_env, run_cli
from tests.frontends.discord_stub import SITECUSTOMIZE, FakeDiscord, as_json

QUESTION = "I get unauthorized_client error when authorizing my app"
EXIT_WITHIN = 10.0  # docker stop waits 10 s before SIGKILL


class Bot:
    """One `authbot run` subprocess and the settings it runs with."""

    def __init__(self, tmp_path: Path, stub: FakeDiscord, **settings: str) -> None:
        (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
        self.tmp_path = tmp_path
        self.database = tmp_path / "authbot.sqlite3"
        self.heartbeat = tmp_path / "heartbeat"
        self.env = clean_env(
            discord_token=FAKE_DISCORD_TOKEN,
            knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
            database_path=self.database,
            heartbeat_file=self.heartbeat,
            leak_guard="false",
            live_token_checks="true",  # so there is a LiveChat client to close
            livechat_accounts_url="http://127.0.0.1:9",
            **settings,
        )
        self.env["AUTHBOT_TEST_DISCORD_API"] = stub.api
        self.env["AUTHBOT_TEST_DISCORD_GATEWAY"] = stub.gateway
        self.env["PYTHONPATH"] = str(tmp_path)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "bot", "run"],
            cwd=tmp_path,
            env=self.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def wait_for(self, condition, what: str, timeout: float = 15.0) -> None:
        deadline = time.monotonic() + timeout
        while not condition():
            if self.process.poll() is not None:
                pytest.fail(f"authbot run exited early ({self.process.returncode}) waiting for {what}:\n{self.stop()}")
            if time.monotonic() > deadline:
                pytest.fail(f"timed out waiting for {what}:\n{self.stop()}")
            time.sleep(0.05)

    def terminate(self) -> tuple[int, str, float]:
        started = time.monotonic()
        self.process.send_signal(signal.SIGTERM)
        try:
            _, stderr = self.process.communicate(timeout=EXIT_WITHIN)
        except subprocess.TimeoutExpired:
            pytest.fail(f"no exit {EXIT_WITHIN} s after SIGTERM:\n{self.stop()}")
        return self.process.returncode, stderr, time.monotonic() - started

    def stop(self) -> str:
        self.process.kill()
        return self.process.communicate()[1]


@pytest.fixture
def stub():
    with FakeDiscord() as server:
        yield server


def test_sigterm_lets_the_reply_in_flight_finish_then_closes_everything(tmp_path, stub):
    stub.callback_delay = 1.0  # Discord is slow to take the reply
    bot = Bot(tmp_path, stub)
    bot.wait_for(stub.ready.is_set, "READY")
    bot.wait_for(bot.heartbeat.exists, "the heartbeat file")
    assert run_cli("health", "--running", cwd=tmp_path, env=bot.env).returncode == 0

    stub.interact("diagnose", text=QUESTION)
    bot.wait_for(stub.callback_started.is_set, "the reply to start")
    code, stderr, took = bot.terminate()

    assert code == 0, stderr
    assert re.search(r"Stopping \(SIGTERM\): waiting up to 8 s for [1-9]\d* in-flight handler", stderr), stderr
    assert stderr.rstrip().endswith("Stopped cleanly"), stderr
    assert took < 1.0 + 3.0
    # The reply was answered before the gateway closed.
    answered, closed = stub.happened("callback answered"), stub.happened("gateway closed")
    assert answered is not None and closed is not None and answered < closed, stub.events
    # One log line for the diagnosis, with the guild, and never the question itself.
    (line,) = [line for line in stderr.splitlines() if "bot.diagnosis" in line]
    assert "source=diagnose guild=900000000000000005 entry=unauthorized-client" in line
    assert QUESTION not in stderr and FAKE_DISCORD_TOKEN not in stderr
    # Database closed (SQLite removes the WAL file when the last connection closes cleanly),
    # and a stopped bot leaves no heartbeat that would look alive.
    assert bot.database.is_file() and not Path(f"{bot.database}-wal").exists()
    assert not bot.heartbeat.exists()


def test_a_shard_process_identifies_only_its_shards(tmp_path, stub):
    bot = Bot(tmp_path, stub, shard_count="2", shard_ids="1")
    bot.wait_for(stub.ready.is_set, "READY")
    code, stderr, _ = bot.terminate()
    assert code == 0, stderr
    assert [identify["shard"] for identify in stub.identifies] == [[1, 2]]
    assert "shards [1] of 2" in stderr
    # Only the process running shard 0 syncs the application's commands.
    assert not [request for request in stub.requests if request.endswith("/commands")]


@pytest.mark.parametrize("mode", ["stall-login", "stall-gateway"])
def test_sigterm_while_still_connecting_exits_cleanly(tmp_path, mode):
    with FakeDiscord(mode=mode) as stub:
        bot = Bot(tmp_path, stub)
        waiting_for = stub.gateway_open.is_set if mode == "stall-gateway" else lambda: "GET /users/@me" in stub.requests
        bot.wait_for(waiting_for, mode)
        time.sleep(0.2)  # let it sit in the stalled call
        code, stderr, took = bot.terminate()
    assert code == 0, stderr
    assert "Stopping (SIGTERM)" in stderr and stderr.rstrip().endswith("Stopped cleanly"), stderr
    assert took < 5.0
    assert "Traceback" not in stderr


def test_an_unsupported_database_url_stops_run_before_connecting(tmp_path, stub):
    bot = Bot(tmp_path, stub, database_url="mysql://bot:hunter2@db/authbot")
    _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 2
    assert "authbot run: DATABASE_URL scheme 'mysql' is not supported" in stderr
    assert "hunter2" not in stderr and stub.requests == []


def test_an_unreachable_postgresql_server_is_worth_a_restart(tmp_path, stub):
    """Status 1, not 2: a database server that is not up yet (compose starting both) is no config error."""
    bot = Bot(tmp_path, stub, database_url="postgresql://bot:hunter2@127.0.0.1:9/authbot")
    _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 1
    assert "authbot run: could not reach the database: " in stderr
    assert "hunter2" not in stderr and stub.requests == []


def test_a_metrics_port_already_taken_stops_run_before_connecting(tmp_path, stub):
    """Two processes on one host given the same METRICS_PORT: the second says so (status 2), instead of
    logging in and then blaming Discord ("could not reach Discord: address already in use", status 1)."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        bot = Bot(tmp_path, stub, metrics_port=str(port))
        _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 2
    assert f"authbot run: METRICS_PORT {port}: cannot listen on 127.0.0.1:{port}" in stderr, stderr
    assert "Discord" not in stderr and stub.requests == []


# -- refusals are configuration errors (issue 10, point 8) -------------------------------------------
# A refused token, intent or scope will be refused again on every restart, and each restart is a gateway
# login (Discord resets a token after 1,000 a day): exit 2, which the systemd unit does not retry.


class RefusingDiscord(FakeDiscord):
    """The stub, refusing one thing: the token (401), the privileged intent (close 4014) or the
    applications.commands scope (403 Missing Access on the command sync)."""

    refuse: str = ""

    async def _rest(self, request):
        path = "/" + request.match_info["path"]
        if self.refuse == "token" and path == "/users/@me":
            self.requests.append(f"{request.method} {path}")
            return as_json({"message": "401: Unauthorized", "code": 0}, status=401)
        if self.refuse == "scope" and request.method == "PUT" and path.endswith("/commands"):
            self.requests.append(f"{request.method} {path}")
            return as_json({"message": "Missing Access", "code": 50001}, status=403)
        return await super()._rest(request)

    async def _gateway(self, request):
        if self.refuse != "intents":
            return await super()._gateway(request)
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        await ws.send_json({"op": 10, "d": {"heartbeat_interval": 45000}, "s": None, "t": None})
        async for message in ws:
            if message.type == WSMsgType.TEXT and json.loads(message.data)["op"] == 2:
                await ws.close(code=4014, message=b"Disallowed intent(s).")
        return ws


@pytest.mark.parametrize(
    ("refuse", "reason"),
    [
        ("token", "Discord rejected the token"),
        ("intents", "Message Content intent"),
        ("scope", "applications.commands"),
    ],
)
def test_a_refusal_by_discord_exits_2_with_one_line(tmp_path, refuse, reason):
    stub = RefusingDiscord()
    stub.refuse = refuse
    with stub:
        bot = Bot(tmp_path, stub, help_channel_ids="1")  # help channels: the privileged intent is requested
        _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 2, stderr
    lines = [line for line in stderr.splitlines() if line.startswith("authbot run:")]
    assert len(lines) == 1 and reason in lines[0], stderr
    assert "Traceback" not in stderr and FAKE_DISCORD_TOKEN not in stderr


# -- authbot sync (issue 10, point 6) ------------------------------------------------------------------


def run_sync(tmp_path: Path, stub: FakeDiscord, *args: str) -> subprocess.CompletedProcess:
    (tmp_path / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = clean_env(
        discord_token=FAKE_DISCORD_TOKEN, knowledge_dir=DEFAULT_KNOWLEDGE_DIR,
        database_path=tmp_path / "authbot.sqlite3", leak_guard="false", live_token_checks="false",
    )
    env.update(AUTHBOT_TEST_DISCORD_API=stub.api, AUTHBOT_TEST_DISCORD_GATEWAY=stub.gateway, PYTHONPATH=str(tmp_path))
    return subprocess.run(
        [sys.executable, "-m", "bot", "sync", *args], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )


def test_authbot_sync_registers_the_commands_without_going_online(tmp_path, stub):
    for _ in range(2):  # forced: the second run syncs although nothing changed
        done = run_sync(tmp_path, stub)
        assert done.returncode == 0, done.stderr
        assert "commands synced to all servers" in done.stdout
    puts = [r for r in stub.requests if r.startswith("PUT") and r.endswith("/commands")]
    assert len(puts) == 2 and "/guilds/" not in puts[0]
    assert {"diagnose", "faq", "answer", "kb"} <= set(stub.commands)
    assert not stub.gateway_open.is_set()  # REST only: no gateway login spent


def test_authbot_sync_to_one_guild(tmp_path, stub):
    done = run_sync(tmp_path, stub, "--guild", "900000000000000005")
    assert done.returncode == 0, done.stderr
    assert any("/guilds/900000000000000005/commands" in r for r in stub.requests if r.startswith("PUT"))


def test_config_error_hold_waits_for_a_stop_signal_instead_of_exiting(tmp_path):
    # Docker restarts on any status; holding means one refused login, not one a minute.
    stub = RefusingDiscord()
    stub.refuse = "token"
    with stub:
        bot = Bot(tmp_path, stub, config_error_hold="true")
        bot.wait_for(lambda: "GET /users/@me" in stub.requests, "the refused login")
        time.sleep(1.0)
        assert bot.process.poll() is None, bot.stop()  # still there: no exit, so no restart
        code, stderr, took = bot.terminate()
    assert code == 2 and took < 2.0, stderr
    assert "Discord rejected the token" in stderr and "holding after a configuration error" in stderr
    assert stub.requests.count("GET /users/@me") == 1


# -- no network (issue 13, point 11) -------------------------------------------------------------------


def _closed_port() -> str:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"  # closed again when the block ends


@pytest.mark.parametrize("log_json", ["false", "true"])
def test_discord_out_of_reach_says_so_not_lost_the_connection(tmp_path, log_json):
    """`authbot run` with no network said "lost the connection to Discord" although it never connected, and
    that line was plain text with LOG_JSON=true."""
    nowhere = _closed_port()
    unreachable = type("Unreachable", (), {"api": nowhere + "/api/v10", "gateway": nowhere.replace("http", "ws")})
    bot = Bot(tmp_path, unreachable, log_json=log_json)
    _, stderr = bot.process.communicate(timeout=30)
    assert bot.process.returncode == 1, stderr
    assert "lost the connection" not in stderr and "Traceback" not in stderr
    (line,) = [line for line in stderr.splitlines() if "could not reach Discord" in line]
    if log_json == "true":
        assert json.loads(line)["message"].startswith("authbot run: could not reach Discord")
    else:
        assert line.startswith("authbot run: could not reach Discord")
