"""Signals read from each format users paste."""

from __future__ import annotations

import pytest

from bot.core.redact import redact
from bot.core.signals import extract_signals


def signals_of(text: str) -> set[str]:
    redacted, credentials = redact(text)
    return extract_signals(redacted, credentials).ids


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('{"error":{"type":"authentication","message":"Invalid access token"}}',
         {"error_type.authentication", "error.invalid_access_token"}),
        ('{"error":{"type":"authentication","message":"Invalid acc', {"error_type.authentication"}),  # cut-off JSON
        ('{"error":"unauthorized","error_description":"The account is not authorized."}', {"oauth.unauthorized"}),
        ('{"oauth_exception":"unsupported_grant_type","exception_description":"The authorization grant type is '
         'not supported by the authorization server."}', {"oauth.unsupported_grant_type", "error.unsupported_grant_type"}),
        ('{"request_id":"1","action":"login","type":"response","success":false,"payload":{"error":{"type":'
         '"authentication","message":"Invalid access token"}}}', {"error_type.authentication"}),
        ("https://accounts.livechat.com/ooops?oauth_exception=invalid_request&exception_details=invalid_redirect_uri",
         {"oauth.invalid_request", "details.invalid_redirect_uri", "endpoint.error-page"}),
        ("https://my.app/callback?error=access_denied&state=xyz", {"oauth.access_denied"}),
        ("HTTP/1.1 401 Unauthorized", {"status.401"}),
        ("requests.exceptions.HTTPError: 403 Client Error: Forbidden for url", {"status.403"}),
        ("AxiosError: Request failed with status code 422", {"status.422"}),
        ("curl -H 'Authorization: Basic <b64>' https://api.livechatinc.com/v3.6/configuration/action/list_groups",
         {"scheme.basic", "api.configuration"}),
        ("curl --header \"Authorization: Bearer <token>\" https://api.livechatinc.com/v3.6/customer/action/start_chat",
         {"scheme.bearer", "api.customer-chat"}),
        ("POST https://accounts.livechat.com/v2/customer/token with entity_id", {"endpoint.customer-token", "param.entity_id"}),
        ("POST https://accounts.livechat.com/v2/token grant_type=refresh_token", {"endpoint.token", "param.grant_type"}),
        ("GET https://accounts.livechat.com/v2/info", {"endpoint.info", "api.global-accounts"}),
        ("agent_disconnected with reason access_token_expired", {"rtm.access_token_expired"}),
        ("> **error**: `unauthorized_client` :sob: <@123456789>", {"oauth.unauthorized_client"}),
        ("I send my PAT with a Bearer header", {"credential.pat", "scheme.bearer"}),
        ("how do I reach the LiveChat developers?", {"intent.contact"}),
        ("there's a mistake in the authorization docs", {"intent.docs-mistake"}),
    ],
)
def test_signals(text: str, expected: set[str]) -> None:
    assert expected <= signals_of(text)


def test_python_traceback_and_go_error() -> None:
    python = (
        'Traceback (most recent call last):\n  File "a.py", line 3, in <module>\n    r.raise_for_status()\n'
        "requests.exceptions.HTTPError: 401 Client Error: Unauthorized for url: "
        "https://api.livechatinc.com/v3.6/agent/action/list_chats"
    )
    assert {"status.401", "api.agent-chat"} <= signals_of(python)
    go = 'panic: api error: {"error":{"type":"validation","message":"Invalid message"}} (status 400)'
    assert {"error_type.validation", "error.invalid_message"} <= signals_of(go)


def test_percent_encoded_token_sets_a_finding_signal(engine) -> None:
    diagnosis = engine.diagnose("token=dal%3AFAKE_test_encoded_0012 gives invalid access token")
    assert "finding.token-percent-encoded" in diagnosis.signals.ids


def test_bare_status_numbers_in_prose_are_not_statuses() -> None:
    assert not any(s.startswith("status.") for s in signals_of("we have 500 agents and 404 chats"))


@pytest.mark.parametrize(
    "text",
    [
        "the customer authorization page has a curl that looks outdated, how do I get that corrected?",
        "I think there's a typo in the docs example",
    ],
)
def test_docs_mistake_intent(text: str) -> None:
    assert "intent.docs-mistake" in signals_of(text)


@pytest.mark.parametrize(
    "text",
    [
        "SSR build breaks: Error occurred prerendering page \"/pricing\". ReferenceError: document is not defined",
        "the error page shows a spinner forever after the widget loads",
    ],
)
def test_an_error_on_a_page_is_not_a_docs_mistake(text: str) -> None:
    """"error … page" from a build log read as "there is an error in the docs page", which let a widget build
    failure past the not-about-authorization gate."""
    assert "intent.docs-mistake" not in signals_of(text)


def test_a_plain_field_name_is_not_a_pasted_error(engine) -> None:
    """`author_id` is a field of every event; only the X-Author-Id header is the removed bot mechanism."""
    diagnosis = engine.diagnose(
        "Our webhook consumer reads author_id from each incoming_event and looks the agent up to show a "
        "display name in our CRM. Should we cache those lookups, or do agent names change often?"
    )
    assert diagnosis.abstained, diagnosis.top


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("import CustomerSDK from '@livechat/customer-sdk'\nCustomerSDK.init({ licenseId: 1, clientId: 'x' })",
         {"sdk.customer-sdk", "param.license_id", "param.client_id"}),
        ("<LiveChatWidget license=\"12345678\" visibility=\"maximized\" />", {"sdk.widget"}),
        ("curl -u someone@example.org:abcdef123456 https://api.livechatinc.com/agents -H 'X-API-Version: 2'",
         {"sdk.api-v2"}),
        ("from livechat.agent.web.client import AgentWeb", {"sdk.lc-sdk"}),
    ],
)
def test_sdk_and_legacy_api_signals(text: str, expected: set[str]) -> None:
    """SDK context had no signal, so SDK entries could not outrank the generic ones."""
    assert expected <= signals_of(text)


@pytest.mark.parametrize(
    ("text", "grant"),
    [
        ('POST /v2/customer/token {"grant_type":"cookie","client_id":"c1","response_type":"token"}', "grant.cookie"),
        ("curl https://accounts.livechat.com/v2/token -d grant_type=refresh_token -d client_id=x", "grant.refresh_token"),
        ("https://accounts.livechat.com/v2/token?grant_type=authorization_code&code=x", "grant.authorization_code"),
        ("data = {'grant_type': 'agent_token', 'client_id': cid, 'response_type': 'token'}", "grant.agent_token"),
        ("grant_type: 'Cookie'", "grant.cookie"),
    ],
)
def test_the_grant_in_a_request_is_a_signal(text: str, grant: str) -> None:
    found = signals_of(text)
    assert grant in found and "param.grant_type" in found


@pytest.mark.parametrize(
    "text",
    [
        "which grant_type should my backend use?",  # the parameter named, no value
        "grant_type=password is not supported",  # not one of LiveChat's grants
    ],
)
def test_no_grant_signal_without_a_known_grant_value(text: str) -> None:
    assert not {s for s in signals_of(text) if s.startswith("grant.")}


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ("How do I authorize calls to the HelpDesk API?", True),
        ("GET https://api.helpdesk.com/v1/tickets returns 401", True),
        ("our help desk is Kayako and its API rejects the key", False),
        # "access token expired" is how anyone says it; access_token_expired is the RTM reason
        ("my access token expired overnight", False),
    ],
)
def test_everyday_words_are_not_livechat_names(text: str, named: bool) -> None:
    ids = extract_signals(text, []).ids
    assert bool(ids & {"api.helpdesk", "rtm.access_token_expired"}) is named, ids
