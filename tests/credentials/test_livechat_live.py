"""Live checks against a real HTTP server on 127.0.0.1 that behaves like the documented accounts API."""

from __future__ import annotations

import logging
import time

import httpx
import pytest

from bot.credentials import livechat
from bot.credentials.inspect import inspect_token
from bot.credentials.livechat import LiveChecker, Outcome
from bot.credentials.report import check_token
from bot.credentials.safe_http import DisallowedHostError, LiveCheckError, safe_send
from bot.settings import Settings
from tests.credentials import fake_accounts as fa
from tests.credentials.fake_accounts import make_settings


async def test_valid_agent_token(checker, accounts):
    result = await checker.check(inspect_token(fa.AGENT))
    assert result.outcome is Outcome.valid
    assert result.message == "Valid: LiveChat accepts this as an agent access token."
    assert result.details == (
        f"Account ID: `{fa.ACCOUNT_ID}`",
        f"Organization ID: `{fa.ORGANIZATION_ID}`",
        f"Client ID: `{fa.CLIENT_ID}`",
        "Expires in 7 h 58 min (expires_in = 28725 s).",
        "Scopes: `chats--all:ro`, `chats--all:rw`",
    )
    assert [(r.method, r.path) for r in accounts.requests] == [("GET", "/v2/info")]
    assert fa.AGENT not in repr(result)  # the body echoes access_token; we never keep it


async def test_request_shape(checker, accounts):
    """One GET with the token as Bearer, our User-Agent, to the allowed host."""
    seen: list[httpx.Request] = []
    checker.client.event_hooks["request"].append(lambda r: _record(seen, r))
    await checker.check(inspect_token(fa.AGENT))
    (request,) = seen
    assert request.headers["Authorization"] == f"Bearer {fa.AGENT}"
    assert request.headers["User-Agent"].startswith("authbot/")
    assert request.url.host == "127.0.0.1" and request.url.query == b""
    assert checker.client.follow_redirects is False
    assert checker.client.timeout.read == 0.5 and checker.client.timeout.connect == 0.5


async def _record(seen: list[httpx.Request], request: httpx.Request) -> None:
    seen.append(request)


async def test_agent_token_for_customer_api_needs_customers_own(checker):
    result = await checker.check(inspect_token(fa.AGENT), api="customer-chat")
    assert result.outcome is Outcome.valid
    assert result.details[-3:] == (
        "This is an agent token, but the Customer Chat API needs a customer access token — a different one. "
        "Get it with the `agent_token` grant (`POST https://accounts.livechat.com/v2/customer/token`).",
        "This token lacks `customers:own`.",
        "The Customer Chat API takes a customer access token. To create customer tokens from your backend "
        "(the `agent_token` grant), your agent token needs the `customers:own` scope.",
    )
    other = await checker.check(inspect_token(fa.AGENT_CUSTOMERS_OWN), api="customer-chat")
    assert "This token has `customers:own`." in other.details


async def test_scopes_unknown_for_agent_chat(checker):
    result = await checker.check(inspect_token(fa.AGENT), api="agent-chat")
    assert result.details[-1] == (
        "I can't tell which scopes your Agent Chat API call needs: that depends on the method. "
        "Look the method up in the API reference."
    )


async def test_expired_token(checker, accounts):
    result = await checker.check(inspect_token(fa.EXPIRED))
    assert result.outcome is Outcome.invalid
    assert result.message == "LiveChat says this token has expired."
    assert result.details == livechat.EXPIRED_DETAILS
    assert [r.path for r in accounts.requests] == ["/v2/info", "/v2/customer/info"]


async def test_customer_token_found_on_second_endpoint(checker, accounts):
    result = await checker.check(inspect_token(fa.CUSTOMER), api="configuration")
    assert result.outcome is Outcome.valid
    assert result.message == "Valid: LiveChat accepts this as a customer access token."
    assert result.info is not None and result.info.entity_id == fa.ENTITY_ID
    assert f"Entity (customer) ID: `{fa.ENTITY_ID}`" in result.details
    assert "Expires in 8 h 0 min (expires_in = 28800 s)." in result.details
    assert (
        "This is a customer token, meant for the Customer Chat API. The Configuration API takes an agent "
        "token or a PAT instead."
    ) in result.details
    assert result.tried == ("/v2/info", "/v2/customer/info")


async def test_customer_api_asks_customer_endpoint_first(checker, accounts):
    result = await checker.check(inspect_token(fa.CUSTOMER), api="customer-chat")
    assert result.valid and [r.path for r in accounts.requests] == ["/v2/customer/info"]


async def test_unknown_token_rejected_by_both(checker):
    result = await checker.check(inspect_token(fa.UNKNOWN))
    assert result.outcome is Outcome.invalid
    assert result.message == "LiveChat did not accept this token, neither as an agent token nor as a customer token."
    assert result.details == livechat.TOKEN_REJECTED_DETAILS
    assert result.statuses == (401, 401)


async def test_pat_accepted(checker, accounts):
    result = await checker.check(inspect_token("Basic " + fa.basic(fa.PAT_ACCOUNT_ID, fa.PAT)), api="helpdesk")
    assert result.outcome is Outcome.valid
    assert result.message == "Valid: LiveChat accepts this as a Personal Access Token."
    assert result.details == (
        f"Account ID: `{fa.PAT_ACCOUNT_ID}`",
        f"Organization ID: `{fa.ORGANIZATION_ID}`",
        "I can't see a PAT's scopes from here. The Token Debugger in the Developer Console shows them; "
        "a PAT's scopes are fixed when it is created.",
        "HelpDesk's docs say to create the PAT with the `accounts--my:ro` scope.",
    )
    assert [r.path for r in accounts.requests] == ["/v2/accounts/me"]


async def test_raw_pat_with_account_id(checker):
    result = await checker.check(inspect_token(fa.PAT, account_id=fa.PAT_ACCOUNT_ID))
    assert result.valid


async def test_pat_rejected(checker):
    result = await checker.check(inspect_token(fa.BAD_PAT, account_id=fa.PAT_ACCOUNT_ID))
    assert result.outcome is Outcome.invalid
    assert result.message == (
        "LiveChat did not accept this Personal Access Token (checked with Basic auth on /v2/accounts/me)."
    )
    assert result.details == livechat.PAT_REJECTED_DETAILS


async def test_pat_on_customer_chat(checker):
    result = await checker.check(inspect_token(fa.PAT, account_id=fa.PAT_ACCOUNT_ID), api="customer-chat")
    assert "PATs don't work with the Customer Chat API: it needs a customer access token." in result.details


async def test_insufficient_scope(checker):
    result = await checker.check(inspect_token(fa.SCOPE), api="global-accounts")
    assert result.outcome is Outcome.insufficient_scope
    assert result.message == (
        "LiveChat accepted the credential but refused the request for lack of a scope (403 insufficient_scope)."
    )
    assert result.details == (
        "`GET /v2/accounts/me` takes a PAT (Basic) or a Bearer token with the `accounts--my:ro` scope.",
    )


async def test_422(checker):
    result = await checker.check(inspect_token(fa.INVALID))
    assert result.outcome is Outcome.bad_request
    assert result.message == (
        "LiveChat rejected the request as invalid (HTTP 422 invalid_request): the token is probably malformed."
    )


async def test_429_respects_retry_after(accounts):
    now = [1_000_000.0]
    async with LiveChecker(make_settings(accounts.url), wall_clock=lambda: now[0]) as checker:
        result = await checker.check(inspect_token(fa.RATE_LIMITED))
        assert result.outcome is Outcome.rate_limited
        assert result.message == "LiveChat is rate-limiting token checks (HTTP 429). Try again in 30 seconds."
        assert result.retry_after == 30
        assert [r.path for r in accounts.requests] == ["/v2/info"]  # no second endpoint tried
        # Within the window nothing is sent, whatever the token.
        now[0] += 10
        held = await checker.check(inspect_token(fa.AGENT))
        assert held.outcome is Outcome.rate_limited
        assert held.message == (
            "LiveChat asked me to slow down, so I'm not checking tokens right now. Try again in 20 seconds."
        )
        assert len(accounts.requests) == 1
        now[0] += 21
        assert (await checker.check(inspect_token(fa.AGENT))).valid
        assert len(accounts.requests) == 2


def test_retry_after_http_date():
    assert livechat.parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", 1445412480.0) == 30
    assert livechat.parse_retry_after("999999", 0) == livechat.MAX_RETRY_AFTER
    assert livechat.parse_retry_after("soon", 0) is None


async def test_500(checker, accounts):
    result = await checker.check(inspect_token(fa.SERVER_ERROR))
    assert result.outcome is Outcome.server_error
    assert result.message == (
        "LiveChat's accounts server had an error (HTTP 500). That says nothing about your token; "
        "try again in a few minutes."
    )
    assert len(accounts.requests) == 1


async def test_stall_past_timeout(checker):
    started = time.perf_counter()
    result = await checker.check(inspect_token(fa.STALL))
    assert time.perf_counter() - started < 2
    assert result.outcome is Outcome.timeout
    assert result.message == (
        "LiveChat's accounts server didn't answer within 0.5 seconds, so I couldn't check the token. Try again later."
    )


async def test_non_json_body(checker):
    result = await checker.check(inspect_token(fa.NOT_JSON))
    assert result.outcome is Outcome.not_json
    assert result.message == (
        "LiveChat's accounts server answered with something that isn't JSON, so I can't tell whether the token "
        "is valid."
    )


async def test_redirect_is_not_followed(checker, accounts):
    result = await checker.check(inspect_token(fa.REDIRECT))
    assert result.outcome is Outcome.redirect
    assert result.message == (
        "LiveChat's accounts server answered with a redirect (HTTP 302). I don't follow redirects with your "
        "token, so it went nowhere else, and I can't tell whether it's valid."
    )
    assert len(accounts.requests) == 1 and accounts.hosts == {"127.0.0.1"}


async def test_connection_refused():
    port = fa.closed_port()
    async with LiveChecker(make_settings(f"http://127.0.0.1:{port}")) as checker:
        result = await checker.check(inspect_token(fa.AGENT))
    assert result.outcome is Outcome.unreachable
    assert result.message == (
        "I couldn't connect to LiveChat's accounts server, so I couldn't check the token. Try again later."
    )


@pytest.mark.parametrize(
    ("url", "allowed", "host"),
    [
        ("https://evil.example", ["accounts.livechat.com"], "evil.example"),
        ("http://localhost:{port}", ["127.0.0.1"], "localhost"),  # same machine, but not on the list
        ("http://accounts.livechat.com", ["accounts.livechat.com"], "accounts.livechat.com"),  # no plain HTTP
    ],
)
async def test_disallowed_base_url_sends_nothing(accounts, url, allowed, host):
    # The opt-in lets evil.example past the settings floor, so this tests the allow-list check itself.
    settings = make_settings(url.format(port=accounts.port), allowed=allowed, livechat_allow_custom_hosts=True)
    async with LiveChecker(settings) as checker:
        result = await checker.check(inspect_token(fa.AGENT))
    assert result.outcome is Outcome.refused
    assert result.message == (
        f"Live checks are misconfigured: `{host}` isn't an allowed LiveChat host, so I sent nothing."
    )
    assert accounts.requests == []


async def test_request_hook_guards_every_request(checker, accounts):
    """Even a request built by hand to another host is stopped before it leaves."""
    request = checker.client.build_request("GET", f"http://localhost:{accounts.port}/v2/info?code={fa.AGENT}")
    with pytest.raises(DisallowedHostError) as caught:
        await safe_send(checker.client, request, (fa.AGENT,))
    assert fa.AGENT not in str(caught.value) and caught.value.__context__ is None
    assert accounts.requests == []


async def test_sanitized_errors_carry_no_token():
    port = fa.closed_port()
    settings = make_settings(f"http://127.0.0.1:{port}")
    async with LiveChecker(settings) as checker:
        request = checker.client.build_request(
            "GET", f"/v2/info?code={fa.AGENT}", headers={"Authorization": f"Bearer {fa.AGENT}"}
        )
        with pytest.raises(LiveCheckError) as caught:
            await safe_send(checker.client, request, (fa.AGENT,))
    error = caught.value
    assert str(error) == f"ConnectError during GET http://127.0.0.1:{port}/v2/info"
    assert error.__cause__ is None and error.__context__ is None
    import traceback

    assert "FAKE" not in "".join(traceback.format_exception(error))


async def test_report_skips(checker, accounts):
    report = await check_token(fa.AGENT, checker=checker, live=False)
    assert report.live is None and report.skipped == "Live check skipped, as you asked."
    report = await check_token(fa.AGENT, checker=checker, live_enabled=False)
    assert report.skipped == "Live checks are turned off on this bot."
    report = await check_token("test_FAKE_refresh_000000006", checker=checker)
    assert report.live is not None and report.live.outcome is Outcome.not_checkable
    assert report.live.message == (
        "I can't check a refresh token live: LiveChat doesn't support validating refresh tokens directly."
    )
    assert accounts.requests == []


async def test_a_custom_host_is_named_in_a_warning_at_start_up(caplog):
    settings = make_settings(
        "https://accounts-proxy.example", allowed=["accounts-proxy.example", "127.0.0.1"],
        livechat_allow_custom_hosts=True,
    )
    with caplog.at_level(logging.WARNING, logger="bot.credentials.livechat"):
        async with LiveChecker(settings):
            pass
    (record,) = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert record.getMessage() == (
        "LIVECHAT_ALLOW_CUSTOM_HOSTS is on: live token checks may send tokens to accounts-proxy.example, "
        "which is not a LiveChat accounts host"
    )


async def test_no_warning_for_livechat_and_loopback_hosts(caplog, accounts):
    with caplog.at_level(logging.WARNING):
        async with LiveChecker(make_settings(accounts.url)):
            pass
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


async def test_the_floor_holds_for_settings_that_skipped_validation(accounts):
    """Settings built without validation (model_construct) still can't send a token off LiveChat's hosts."""
    settings = Settings.model_construct(
        livechat_accounts_url="https://evil.example", livechat_allowed_hosts=["evil.example"], http_timeout=0.5
    )
    async with LiveChecker(settings) as checker:
        assert checker.allowed_hosts == ()
        result = await checker.check(inspect_token(fa.AGENT))
    assert result.outcome is Outcome.refused
