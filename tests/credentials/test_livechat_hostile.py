"""The live check against a HOSTILE accounts server on 127.0.0.1 (tests/credentials/hostile_accounts.py).

Whatever the server does, the check ends within its deadline, reads a bounded amount, never raises, and
never shows the token (or anything that looks like a secret) back to the user.
"""

from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator, Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.credentials.inspect import inspect_token
from bot.credentials.livechat import MAX_BODY_BYTES, MAX_RETRY_AFTER, LiveChecker, Outcome, parse_retry_after
from bot.credentials.report import check_token
from tests.credentials import hostile_accounts as ha
from tests.credentials.fake_accounts import ACCOUNT_ID, make_settings

TIMEOUT = 0.5


@pytest.fixture
def hostile() -> Iterator[ha.HostileAccounts]:
    with ha.serve_hostile() as server:
        yield server


@pytest.fixture
async def checker(hostile: ha.HostileAccounts) -> AsyncIterator[LiveChecker]:
    async with LiveChecker(make_settings(hostile.url, timeout=TIMEOUT)) as live:
        yield live


def pieces(secret: str, size: int = 10) -> list[str]:
    return [secret[i : i + size] for i in range(len(secret) - size + 1)]


async def test_a_trickling_server_is_cut_off_at_the_overall_deadline(checker):
    """One byte every 0.3 s never trips httpx's per-read timeout (0.5 s): only a deadline stops it."""
    started = time.perf_counter()
    result = await checker.check(inspect_token(ha.TRICKLE))
    elapsed = time.perf_counter() - started
    assert result.outcome is Outcome.timeout
    assert elapsed < TIMEOUT + 1.0, elapsed  # the whole body would take ~30 s
    assert result.message == (
        "LiveChat's accounts server didn't answer within 0.5 seconds, so I couldn't check the token. Try again later."
    )


@pytest.mark.parametrize("token", [ha.HUGE, ha.HUGE_DECLARED], ids=["close-delimited", "content-length"])
async def test_a_huge_body_is_not_read_past_the_cap(checker, token):
    started = time.perf_counter()
    result = await checker.check(inspect_token(token))
    assert result.outcome is Outcome.too_large
    assert result.message == (
        f"LiveChat's accounts server sent a reply larger than {MAX_BODY_BYTES // 1024} KB, so I stopped reading "
        "it and can't tell whether the token is valid."
    )
    assert result.info is None and len(repr(result)) < 2000
    assert time.perf_counter() - started < 2


async def test_a_compressed_reply_we_did_not_ask_for_is_not_inflated(checker):
    result = await checker.check(inspect_token(ha.GZIP_BOMB))
    assert result.outcome is Outcome.unreadable
    assert result.info is None and len(repr(result)) < 2000


async def test_the_request_asks_for_an_uncompressed_reply(checker, hostile):
    await checker.check(inspect_token(ha.ECHO))
    assert checker.client.headers["Accept-Encoding"] == "identity"


@pytest.mark.parametrize("token", [ha.NESTED, ha.NESTED_VALUE], ids=["top-level", "in-a-field"])
async def test_deeply_nested_json_does_not_crash(checker, token):
    result = await checker.check(inspect_token(token))
    assert result.outcome is Outcome.unreadable
    assert result.message == (
        "LiveChat's accounts server sent a reply I can't read safely (nested too deeply or encoded in a way I "
        "didn't ask for), so I can't tell whether the token is valid."
    )


@pytest.mark.parametrize("token", sorted(ha.EXPIRES), ids=[ha.EXPIRES[t] for t in sorted(ha.EXPIRES)])
async def test_an_absurd_expires_in_is_shown_as_unknown(checker, token):
    result = await checker.check(inspect_token(token))
    assert result.outcome is Outcome.valid
    assert result.info is not None and result.info.expires_in is None
    assert "Lifetime: unknown (LiveChat's reply had an `expires_in` I can't read)." in result.details
    assert not any(line.startswith(("Expires in", "It has no lifetime")) for line in result.details)
    report = await check_token(token, checker=checker)
    json.dumps(report.to_public(), allow_nan=False)  # no NaN/Infinity reaches the JSON output either


async def test_values_that_echo_the_token_or_look_secret_are_not_shown(checker):
    report = await check_token(ha.ECHO, checker=checker)
    result = report.live
    assert result is not None and result.outcome is Outcome.valid
    shown = "\n".join(
        [report.text(), report.text(markdown=True), json.dumps(report.to_public()), repr(result), *result.details]
    )
    body = ha.ECHO.split(":", 1)[1]
    leaked = [piece for piece in pieces(body) if piece in shown or piece[::-1] in shown]
    assert leaked == []
    assert ha.SECRETISH_CLIENT_ID not in shown and ha.SECRETISH_CLIENT_ID[:12] not in shown
    assert "Account ID: `[hidden: it repeats your token]`" in result.details
    assert "Client ID: `[hidden: it looks like a secret]`" in result.details
    assert result.info is not None and result.info.scopes is not None
    assert result.info.scopes[0] == "chats--all:ro"  # the real scope is still shown
    assert all(len(line) < 400 for line in result.details)


async def test_ordinary_ids_are_shown_as_they_are(hostile):
    """The filter must not hide what the check is for: UUIDs and hex ids are not secrets."""
    async with LiveChecker(make_settings(hostile.url, timeout=TIMEOUT)) as checker:
        result = await checker.check(inspect_token(sorted(ha.EXPIRES)[0]))
    assert f"Account ID: `{ACCOUNT_ID}`" in result.details
    assert "Organization ID: `390e44e6-f1e6-0368c-z6ddb-74g14508c2ex`" in result.details
    assert "Client ID: `9cbf3a968289727cb3cdfe83ab1d9836`" in result.details


@given(st.text(max_size=60) | st.sampled_from(["1e400", "-1e400", "NaN", "inf", "9" * 5000, "Wed, 21 Oct 99999 0:0 GMT"]))
def test_any_retry_after_header_gives_a_bounded_wait_or_none(value):
    wait = parse_retry_after(value, 1_000_000.0)
    assert wait is None or 0 <= wait <= MAX_RETRY_AFTER
