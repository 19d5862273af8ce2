"""Findings about the user's own request come first in the answer."""

from __future__ import annotations

import base64

import pytest

from tests.core import fakes


@pytest.mark.parametrize(
    ("text", "finding", "phrase"),
    [
        (f"This is my PAT:\ncurl -H 'Authorization: Bearer {fakes.PAT}' https://api.livechatinc.com/v3.6/agent/action/x",
         "pat-as-bearer", "PATs use the Basic scheme"),
        (f"curl -H 'Authorization: Basic {fakes.PAT}' https://api.livechatinc.com/v3.6/agent/action/x",
         "pat-not-base64", "base64 encoding of `<account_id>:<PAT>`"),
        (f"Authorization: Basic {fakes.LEGACY_BASIC} gives 401", "legacy-email-basic", "Configuration API v2"),
        # the email typed as the Basic username in a tool's form, or passed to a client library
        ("n8n HTTP node, basic auth. User: marta.k@shop.example  Password: my PAT. -> 401 on list_agents",
         "legacy-email-basic", "Configuration API v2"),
        ('r = requests.get(url, auth=HTTPBasicAuth("dev@shop.example", pat))  # 401 Invalid access token',
         "legacy-email-basic", "Configuration API v2"),
        # the Basic value built in code from variables named for the email and the PAT
        ("const basic = btoa(`${cfg.LIVECHAT_EMAIL}:${cfg.LIVECHAT_PAT}`); // Authorization: Basic ${basic} -> 401",
         "legacy-email-basic", "Configuration API v2"),
        ("I use my personal access token for /v3.6/customer/action/start_chat?organization_id=x",
         "pat-on-customer-api", "PATs don't work there"),
        ("Calling the Customer Chat API with the agent token I use everywhere else fails",
         "agent-token-on-customer-api", "with an agent token"),
        (f"access token {fakes.ENCODED_TOKEN} is rejected", "token-percent-encoded", "Replace it with `:`"),
        ("exchanging the same code twice gives unauthorized_client", "code-reused", "only once"),
        ("the code is from an hour ago and /v2/token says unauthorized_client", "code-expired", "few minutes"),
        ('each time the token expires I POST https://accounts.livechat.com/v2/customer/token -H "Authorization: Bearer <t>" '
         '-d \'{"grant_type":"agent_token","client_id":"c","response_type":"token"}\'', "customer-token-without-entity-id",
         "entity_id"),
        ('curl -X POST https://accounts.livechat.com/v2/customer/token -d \'{"grant_type":"agent_token","client_id":"c"}\'',
         "agent-token-grant-without-bearer", "Authorization: Bearer <agent access token>"),
        ("curl 'https://api.livechatinc.com/v3.6/customer/action/list_chats?license_id=123' -H 'Authorization: Bearer <t>'",
         "customer-api-without-organization-id", "from v3.4 on"),
        ("my web app sends response_type=code and gets invalid_request", "response-type-mismatch", "Web apps use `token`"),
        ("https://accounts.livechat.com/?response_type=id_token&client_id=x", "response-type-invalid", "Only `code`"),
        ("https://accounts.livechat.com/?response_type=code&redirect_uri=https%3A%2F%2Fapp.example%2Fcb%2F "
         "but the console has https://app.example/cb", "redirect-uri-mismatch", "trailing slash"),
        ("curl -X POST https://api.livechatinc.com/v3.6/agent/action/send_event -d \"{'chat_id': 'X'}\" -> Invalid message",
         "body-not-json", "not valid JSON"),
        ("curl https://api.livechatinc.com/v3.6/customer/action/list_chats -H 'Authorization: Bearer <t>'",
         "customer-api-without-organization-id", "organization_id"),
        ("-H 'Authorization: Bearer Bearer <token>'", "scheme-repeated", "repeats the scheme"),
        # an organization ID (a UUID) where the widget or chat window takes the license number, and back
        ('<LiveChatWidget license="0f3c9a2e-51b7-4c1d-9e8a-7b6c5d4e3f21" visibility="maximized" /> never shows up',
         "license-holds-organization-id", "license number"),
        ('putExtra(ChatWindowConfiguration.KEY_LICENCE_NUMBER, "0f3c9a2e-51b7-4c1d-9e8a-7b6c5d4e3f21") spins forever',
         "license-holds-organization-id", "license number"),
        ("CustomerSDK.init({ organizationId: 11223344, clientId: 'abc' }) never connects",
         "organization-id-holds-license", "UUID"),
        # the customer RTM socket takes the same query parameter as the Web API
        ("new WebSocket('wss://api.livechatinc.com/v3.6/customer/rtm/ws') then login with the customer token: "
         "validation error", "customer-api-without-organization-id", "organization_id"),
        ("wss://api.livechatinc.com/v3.5/customer/rtm/ws?license_id=4242 closes right after login",
         "customer-api-without-organization-id", "from v3.4 on"),
        # the PAT written as a placeholder straight after Basic: no base64, no account id
        ('in CI: curl -H "Authorization: Basic <PAT>" https://api.livechatinc.com/v3.6/agent/action/list_chats',
         "pat-not-base64", "base64 encoding of `<account_id>:<PAT>`"),
        ("header is Authorization: Basic $LIVECHAT_PAT and the reply is Invalid access token",
         "pat-not-base64", "base64 encoding of `<account_id>:<PAT>`"),
        ("I set `Authorization: Basic {{personal_access_token}}` in Postman", "pat-not-base64",
         "base64 encoding of `<account_id>:<PAT>`"),
        # the PAT read from the environment or a config object straight into the header
        ("headers: { Authorization: `Basic ${process.env.LIVECHAT_PAT}` } -> AxiosError 401", "pat-not-base64",
         "base64 encoding of `<account_id>:<PAT>`"),
        ('headers = {"Authorization": f"Basic {settings.lc_pat}"}  # 401 every time', "pat-not-base64",
         "base64 encoding of `<account_id>:<PAT>`"),
        # `echo` ends its output with a newline, which base64 then encodes into the credential
        (f'TOKEN=$(echo "{fakes.ACCOUNT_ID}:{fakes.PAT}" | base64)\ncurl -H "Authorization: Basic $TOKEN" '
         "https://api.livechatinc.com/v3.6/configuration/action/list_groups -> Invalid access token",
         "basic-newline", "printf '%s'"),
        ("Authorization: Basic " + base64.b64encode(f"{fakes.ACCOUNT_ID}:{fakes.PAT}\n".encode()).decode()
         + " gives 401 on list_agents", "basic-newline", "trailing newline"),
        ("my login link uses response_type=token, where is the refresh_token?", "refresh-token-with-implicit-grant",
         "issues no refresh token"),
        # a Python f-string header built from the variable that holds the PAT
        ('pat = read_personal_access_token()\nr = httpx.get(url, headers={"Authorization": f"Bearer {pat}"})\n'
         "-> 401", "pat-as-bearer", "PATs use the Basic scheme"),
        # a bot token issued once and kept past its 24 hours
        ("Our worker calls issue_bot_token at boot and reuses that token forever; since this morning every "
         "send_event gets Invalid access token", "bot-token-expired", "24 hours"),
        ("The bot token sits in memcached with no TTL. It worked yesterday; today the RTM login is refused.",
         "bot-token-expired", "24 hours"),
        # a customer token used long after it was made
        ("Customer Chat API send_event answers 401 Invalid access token. The customer token was issued "
         "yesterday when the visitor opened the chat; we keep it in localStorage.", "customer-token-expired",
         "entity_id"),
        # a grant_type the token endpoint doesn't know (British spelling, a made-up value)
        ("POST https://accounts.livechat.com/v2/token\ngrant_type=authorisation_code&code=abc&client_id=x\n"
         '400 {"error":"unsupported_grant_type"}', "grant-type-invalid", "authorization_code"),
        ("token request body: { grant_type: 'auth_code', code, client_id, client_secret, redirect_uri }",
         "grant-type-invalid", "refresh_token"),
    ],
)
def test_finding(engine, text: str, finding: str, phrase: str) -> None:
    diagnosis = engine.diagnose(text)
    found = {f.id: f.message for f in diagnosis.findings}
    assert finding in found, found
    assert phrase in found[finding]
    assert diagnosis.answer.findings and diagnosis.answer.findings[0].id in found
    for raw in fakes.ALL_RAW:
        assert raw not in found[finding]


def test_no_findings_for_a_plain_question(engine) -> None:
    assert engine.diagnose("How do I create a Personal Access Token?").findings == []


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Basic <base64 of account_id:PAT> is what the docs show",
        "I send Basic <base64(accountId:pat)> and it works",
    ],
)
def test_the_documented_basic_form_is_not_a_raw_pat(engine, text: str) -> None:
    assert "pat-not-base64" not in {f.id for f in engine.diagnose(text).findings}


@pytest.mark.parametrize(
    ("text", "finding"),
    [
        # base64 of a value without a trailing newline
        (f"AUTH=$(echo -n '{fakes.ACCOUNT_ID}:{fakes.PAT}' | base64); curl -H \"Authorization: Basic $AUTH\" …", "basic-newline"),
        (f"AUTH=$(printf '%s' '{fakes.ACCOUNT_ID}:{fakes.PAT}' | base64); curl -H \"Authorization: Basic $AUTH\" …", "basic-newline"),
        (f"curl -H 'Authorization: Basic {fakes.PAT_BASIC}' https://api.livechatinc.com/v3.6/agent/action/list_chats", "basic-newline"),
        # agent tokens named in a comparison are not used on the customer API
        ("Our kiosk uses the Customer Chat API. Is there a revoke call for customer tokens like there is for agent tokens?", "agent-token-on-customer-api"),
        ("Do customer tokens last as long as agent tokens do? We are on the Customer Chat API.", "agent-token-on-customer-api"),
        ("Unlike the agent token, does the Customer Chat API token need an organization_id?", "agent-token-on-customer-api"),
        # asking about bot tokens is not keeping one too long
        ("How long does a token from issue_bot_token stay valid?", "bot-token-expired"),
        ("We call issue_bot_token before every request, is that wasteful?", "bot-token-expired"),
        # a right organization ID that starts with digits, and a license number where it belongs
        ("GET /v3.6/customer/action/list_chats?organization_id=12345678-90ab-4cde-8f01-23456789abcd -> 200",
         "organization-id-holds-license"),
        ('<LiveChatWidget license="12345678" /> works fine', "license-holds-organization-id"),
        # the grants LiveChat's token endpoints know
        ("grant_type=authorization_code&code=abc&redirect_uri=https://x.example/cb", "grant-type-invalid"),
        ('{"grant_type": "cookie", "client_id": "c0ffee", "response_type": "token"}', "grant-type-invalid"),
        ("grant_type=client_credentials returns unsupported_grant_type", "grant-type-invalid"),
        # a variable or a type, not the value sent
        ('requests.post(TOKEN_URL, data={"grant_type": grant_type, "code": code})', "grant-type-invalid"),
        ("const body = { grant_type: grantType, code };", "grant-type-invalid"),
        ("interface TokenRequest { grant_type: string; code: string }", "grant-type-invalid"),
        # the chat window's own page, not a Customer Chat API request
        ('I/chromium: "Uncaught TypeError", source: https://secure.livechatinc.com/customer/action/open_chat (1)',
         "customer-api-without-organization-id"),
    ],
)
def test_no_finding_where_none_applies(engine, text: str, finding: str) -> None:
    assert finding not in {f.id for f in engine.diagnose(text).findings}


def test_a_correctly_encoded_pat_is_not_a_raw_pat_once_redacted(engine) -> None:
    # redaction turns the value into a marker that starts with the credential's name ("[pat-basic …")
    text = f"curl -H 'Authorization: Basic {fakes.PAT_BASIC}' https://api.livechatinc.com/v3.6/agent/action/list_chats"
    assert "pat-not-base64" not in {f.id for f in engine.diagnose(text).findings}


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_deeply_nested_json_body_does_not_crash(engine, depth: int) -> None:
    """`curl -d '[[[[…'` used to raise RecursionError inside json.loads, losing the answer."""
    diagnosis = engine.diagnose("curl -X POST https://api.livechatinc.com/v3.5/agent/action/x -d '" + "[" * depth + "'")
    assert {f.id for f in diagnosis.findings} >= {"body-not-json"}


def test_redirect_uri_finding_quotes_no_token_and_masks_query_values(engine) -> None:
    """A public /diagnose once repeated a raw token: the finding quoted the user's URLs word for word."""
    token = "dal%253AxK9mQ2vL7pR4tY8wZ3nB6cJ1hF5g"
    text = (
        f"https://accounts.livechat.com/?response_type=code&redirect_uri=https%3A%2F%2Fapp.example.com%2Fcb%2F&client_id=x\n"
        f"but the console has https://app.example.com/cb?session={token}&mode=full"
    )
    diagnosis = engine.diagnose(text)
    messages = " ".join(f.message for f in diagnosis.findings)
    assert "redirect-uri-mismatch" in {f.id for f in diagnosis.findings}, messages
    assert "xK9mQ2vL7pR4" not in messages and "full" not in messages
    assert "session=…" in messages


def test_a_newline_in_the_basic_value_answers_with_the_header_entry(engine) -> None:
    # the pasted error is the generic "Invalid access token"; the finding names the cause
    text = (
        f'H=$(echo "{fakes.ACCOUNT_ID}:{fakes.PAT}" | base64)\n'
        'curl -H "Authorization: Basic $H" https://api.livechatinc.com/v3.6/agent/action/list_agents\n'
        '{"error":{"type":"authentication","message":"Invalid access token"}}'
    )
    diagnosis = engine.diagnose(text)
    assert diagnosis.top.entry_id == "pat-basic-header"
    assert diagnosis.answer.findings[0].id == "basic-newline"


@pytest.mark.parametrize(
    ("text", "entry"),
    [
        # the pasted error is the generic "Invalid access token"; the finding names the cause
        ("POST https://api.livechatinc.com/v3.6/agent/action/send_event -> 401\n"
         '{"error":{"type":"authentication","message":"Invalid access token"}}\n'
         "the bot token came from issue_bot_token when we deployed two days ago and is cached without expiry",
         "bot-token"),
        ("POST https://api.livechatinc.com/v3.6/customer/action/get_chat?organization_id=x -> 401\n"
         '{"error":{"type":"authentication","message":"Invalid access token"}}\n'
         "our kiosk app got the customer token in the morning and by evening every call fails like this",
         "customer-token-refresh"),
        # /v2/info and the Token Debugger are for agent tokens; a customer token is checked at /v2/customer/info
        ("What's the call to see whether a customer access token is still alive and whose it is?",
         "customer-token-revoke"),
        ("Token Debugger refuses our customer token. How else can I validate it?", "customer-token-revoke"),
        # the grant_type is misspelled: the code is not the problem
        ("exchange log:\nPOST https://accounts.livechat.com/v2/token\ngrant_type=authorisation_code&code=dal:x&"
         "client_id=c&client_secret=s&redirect_uri=https://app.example/cb\n400 {\"error\":\"unsupported_grant_type\"}\n"
         "the code is fresh, I checked", "unsupported-grant-type"),
        # … unless the token to check is an agent's, customer tokens only named beside it
        ("I want a small script that tells me whose agent token this is, its scopes and the time left. Customer "
         "tokens don't matter here, only agent ones.", "token-info-check"),
        # a refresh answered with invalid_client is a client problem, not an invalid refresh token
        ("POST https://accounts.livechat.com/v2/token\n"
         f"grant_type=refresh_token&refresh_token={fakes.REFRESH_TOKEN}&client_id=0123456789abcdef0123456789abcdef"
         f"&client_secret={fakes.CLIENT_SECRET}\n"
         '401 {"error":"invalid_client","error_description":"Client authentication failed"}\n'
         "we issued that refresh token with the old app", "invalid-client-redirect-uri"),
        # an organization ID pasted where the chat widget takes the license number, shown only in the code
        ("RN app, the chat screen says it couldn't load. Config:\n"
         '<LiveChatWidget license="0f3c9a2e-51b7-4c1d-9e8a-7b6c5d4e3f21" visitor={{ name: user.name }} />',
         "sdk-license-vs-organization-id"),
        # … with the widget's own Customer Chat API call in the same console log
        ("widget never shows, console below\n"
         '<LiveChatWidget license="0f3c9a2e-51b7-4c1d-9e8a-7b6c5d4e3f21" />\n'
         "[LiveChatWidget] Invalid license\n"
         "GET https://api.livechatinc.com/v3.6/customer/action/get_dynamic_configuration?license_id="
         "0f3c9a2e-51b7-4c1d-9e8a-7b6c5d4e3f21 400", "sdk-license-vs-organization-id"),
    ],
)
def test_the_specific_cause_is_answered(engine, text: str, entry: str) -> None:
    diagnosis = engine.diagnose(text)
    assert diagnosis.top.entry_id == entry and not diagnosis.abstained
