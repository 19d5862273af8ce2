"""The leak test: a dozen obviously fake credentials of every kind go through every path — diagnosis,
`authbot ask --json`, the leak guard, /diagnose, /token-check, logging, exceptions — and then we grep
everything that came out: captured logs, the SQLite files, every request the bot made, every exception
text. No raw value may appear anywhere.

Every fake value contains "leaktest" in its secret part; redacted forms show only a short prefix and the
last four characters, so "leaktest" anywhere in the output means a leak. Base64 values are grepped whole.
"""

from __future__ import annotations

import base64
import json
import logging
import os
import subprocess
import sys
import traceback
from pathlib import Path

import httpx
import pytest

from bot.credentials.inspect import inspect_token
from bot.credentials.livechat import LiveChecker
from bot.credentials.safe_http import LiveCheckError, safe_send
from tests.credentials import fake_accounts as fa

ACCOUNT = "b7eff798-f8df-4364-8059-649c35c9ed0c"
PAT_BASIC = base64.b64encode(f"{ACCOUNT}:dal:FAKE_leaktest_pat_00000004".encode()).decode()
LEGACY_BASIC = base64.b64encode(b"me@example.com:dal:FAKE_leaktest_legacy_0005").decode()

#: (message a user might post, the raw values that must never come back out)
CASES: list[tuple[str, list[str]]] = [
    ("my agent token dal:FAKE_leaktest_agent_000001 says Invalid access token", ["dal:FAKE_leaktest_agent_000001"]),
    ("the customer token fra:FAKE_leaktest_customer_02 fails on the Customer Chat API",
     ["fra:FAKE_leaktest_customer_02"]),
    ('{"refresh_token": "FAKE_leaktest_refresh_000003"} gives invalid_grant', ["FAKE_leaktest_refresh_000003"]),
    (f"curl -H 'Authorization: Basic {PAT_BASIC}' https://api.livechatinc.com/v3.6/configuration/action/list_bots",
     [PAT_BASIC]),
    (f"Configuration API v2 with Authorization: Basic {LEGACY_BASIC} returns 401", [LEGACY_BASIC]),
    ("my PAT in the header: Authorization: Basic dal:FAKE_leaktest_rawpat_0006", ["dal:FAKE_leaktest_rawpat_0006"]),
    ("client_secret=FAKE_leaktest_secret_00000007 and still unauthorized_client", ["FAKE_leaktest_secret_00000007"]),
    ("redirected to https://my.app/?code=dal%3AFAKE_leaktest_code_000008&state=x", ["FAKE_leaktest_code_000008"]),
    ("Authorization: Bearer FAKEleaktestBearer000000009 returns 401", ["FAKEleaktestBearer000000009"]),
    ("Authorization: Basic FAKEleaktestBasicValue0010 returns 401", ["FAKEleaktestBasicValue0010"]),
    ("sorry wrong paste ghp_FAKEleaktestGithub0000000000011", ["ghp_FAKEleaktestGithub0000000000011"]),
    ("token from the redirect: dal%3AFAKE_leaktest_percent_012 is rejected", ["FAKE_leaktest_percent_012"]),
    (f"curl -u {ACCOUNT}:FAKE_leaktest_curl_00000013 https://api.livechatinc.com/v3.6/agent/action/list_chats",
     ["FAKE_leaktest_curl_00000013"]),
]
NEEDLES = sorted({"leaktest", PAT_BASIC, LEGACY_BASIC} | {v for _, values in CASES for v in values})


def assert_clean(where: str, text: str) -> None:
    lowered = text.lower()
    for needle in NEEDLES:
        if needle.lower() in lowered:  # pytest.fail, not assert: the report must not reprint the value
            pytest.fail(f"{where} leaked {needle[:12]}…")


def test_every_case_is_found():
    """The test only means something if the finder sees each fake credential."""
    from bot.core.redact import find_credentials

    for message, _ in CASES:
        assert find_credentials(message), message


def test_diagnosis_and_shell(shared_engine, caplog):
    caplog.set_level(logging.DEBUG)
    for message, _ in CASES:
        diagnosis = shared_engine.diagnose(message)
        assert_clean("diagnosis", json.dumps(diagnosis.to_public()) + diagnosis.text + repr(diagnosis.credentials))
    everything = "\n".join(message for message, _ in CASES)
    done = subprocess.run(
        [sys.executable, "-m", "bot", "ask", "--json", "-"], input=everything, capture_output=True, text=True,
        timeout=60, check=False, env={k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"},
    )
    assert done.returncode == 0, done.stderr[-500:]
    assert json.loads(done.stdout)["credentials"]
    assert_clean("authbot ask --json", done.stdout + done.stderr)
    assert_clean("logs", caplog.text)


async def test_discord_paths_logs_and_database(world, accounts, caplog):
    caplog.set_level(logging.DEBUG)
    for message, _ in CASES:
        await world.alice.send(world.general, message)  # the leak guard
    await world.alice.send(world.help, CASES[0][0])  # help-channel mode answers it too
    await world.bob.edit(await world.bob.send(world.general, "nothing yet"), CASES[1][0])  # an edit
    for message, _ in CASES[:4]:
        await world.alice.slash(world.general, "diagnose", text=message)
    users = [world.bob] * 5 + [world.mod] * 5 + [world.supporter] * 5  # the cooldown is 5 per user
    for user, (message, _) in zip(users, CASES, strict=False):
        shown = await user.slash(world.help, "token-check")
        await user.submit_modal(shown, {"token": message})
    assert world.env.errors == []

    for request in world.env.http_requests:
        assert_clean(f"{request.method} {request.path}", f"{request.path} {request.params} {json.dumps(request.json)}")
    for channel in (world.general, world.help):
        for message in channel.history():
            if message.author.bot:
                assert_clean("bot message", message.content + json.dumps([e.to_dict() for e in message.embeds]))
    assert_clean("logs", caplog.text + "".join(r.getMessage() for r in caplog.records))
    database = Path(world.bot.settings.database_path)
    files = list(database.parent.glob(database.name + "*"))
    assert files
    for path in files:
        assert_clean(path.name, path.read_bytes().decode("latin-1"))


async def test_exception_texts(caplog):
    """httpx errors with a token in the URL and headers come out sanitized; logged tracebacks are redacted."""
    caplog.set_level(logging.DEBUG)
    port = fa.closed_port()
    token = CASES[0][1][0]
    async with LiveChecker(fa.make_settings(f"http://127.0.0.1:{port}")) as checker:
        request = checker.client.build_request(
            "GET", f"/v2/info?code={token}", headers={"Authorization": f"Bearer {token}"}
        )
        with pytest.raises(LiveCheckError) as caught:
            await safe_send(checker.client, request, (token,))
        result = await checker.check(inspect_token(token))
    assert_clean("LiveCheckError", str(caught.value) + repr(caught.value) + "".join(
        traceback.format_exception(caught.value)))
    assert_clean("live result", repr(result))
    try:
        raise httpx.ConnectError(f"failed for https://accounts.livechat.com/v2/info?code={token}")
    except httpx.ConnectError:
        logging.getLogger("bot.credentials").exception("unexpected")
    assert_clean("logged exception", caplog.text)
