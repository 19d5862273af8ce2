"""Every credential kind is found and replaced before anything else sees the text."""

from __future__ import annotations

import pytest

from bot.core.diagnosis import CredentialKind
from bot.core.redact import find_credentials, redact, redact_text
from bot.credentials.leaks import leaked_credentials
from tests.core import fakes

CASES = [
    (f'curl -H "Authorization: Bearer {fakes.AGENT_TOKEN}" https://api.livechatinc.com/v3.6/agent/action/x',
     fakes.AGENT_TOKEN, CredentialKind.agent_token, "bearer"),
    (f"token = '{fakes.FRA_TOKEN}'", fakes.FRA_TOKEN, CredentialKind.agent_token, None),
    (f'{{"access_token": "{fakes.CUSTOMER_TOKEN}", "entity_id": "x"}} from /v2/customer/token',
     fakes.CUSTOMER_TOKEN, CredentialKind.customer_token, None),
    (f'"refresh_token": "{fakes.REFRESH_TOKEN}"', fakes.REFRESH_TOKEN, CredentialKind.refresh_token, None),
    (f"Authorization: Basic {fakes.PAT_BASIC}", fakes.PAT_BASIC, CredentialKind.pat_basic, "basic"),
    (f"-H 'Authorization: Basic {fakes.LEGACY_BASIC}'", fakes.LEGACY_BASIC, CredentialKind.legacy_basic, "basic"),
    (f"Authorization: Basic {fakes.PAT}", fakes.PAT, CredentialKind.pat, "basic"),
    (f"my PAT is sent like -H 'Authorization: Bearer {fakes.PAT}'", fakes.PAT, CredentialKind.pat, "bearer"),
    (f"client_secret={fakes.CLIENT_SECRET}&x=1", fakes.CLIENT_SECRET, CredentialKind.client_secret, None),
    (f"grant_type=authorization_code&code={fakes.AUTH_CODE}", fakes.AUTH_CODE, CredentialKind.authorization_code, None),
    # raw is the decoded token (what a live check sends); the original's `%3A` is what gets replaced
    (f"https://app.example/#access_token={fakes.ENCODED_TOKEN}&token_type=Bearer",
     fakes.ENCODED_TOKEN.replace("%3A", ":"), CredentialKind.agent_token, None),
    (f"curl -u {fakes.ACCOUNT_ID}:{fakes.PAT} https://api.livechatinc.com", fakes.PAT, CredentialKind.pat, "basic"),
    (f"Stripe says invalid key {fakes.STRIPE_KEY}", fakes.STRIPE_KEY, CredentialKind.foreign_secret, None),
]


@pytest.mark.parametrize(("text", "raw", "kind", "scheme"), CASES)
def test_each_kind_is_found_and_redacted(text: str, raw: str, kind: CredentialKind, scheme: str | None) -> None:
    redacted, credentials = redact(text)
    assert [c.kind for c in credentials] == [kind]
    credential = credentials[0]
    assert credential.raw == raw and credential.scheme == scheme
    assert fakes.ENCODED_TOKEN not in redacted and raw not in redacted and credential.redacted in redacted
    assert credential.redacted.endswith(f"{raw[-4:]}]")
    assert raw[6:-4] not in credential.redacted
    assert raw not in repr(credential) and raw not in str(credential.to_public())


def test_pat_basic_keeps_the_account_id_and_region_details() -> None:
    credential = find_credentials(f"Authorization: Basic {fakes.PAT_BASIC}")[0]
    assert credential.account_id == fakes.ACCOUNT_ID
    encoded = find_credentials(f"access_token={fakes.ENCODED_TOKEN}")[0]
    assert encoded.percent_encoded and encoded.region == "dal"


def test_zero_width_characters_do_not_hide_a_token(engine) -> None:
    hidden = "dal:FAKE\u200b_test_hidden\u200d_token_0011"
    diagnosis = engine.diagnose(f"Authorization: Bearer {hidden}")
    assert [c.kind for c in diagnosis.credentials] == [CredentialKind.agent_token]
    assert "hidden_token" not in diagnosis.text.replace("\u200b", "")


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: Bearer <ACCESS_TOKEN>",
        "-H 'Authorization: Basic <base64_encoded_token>'",
        "headers={'Authorization': 'Bearer ' + PAT}",
        'f"Bearer {token}"',
        "the time was 12:30:45 and stage:deploy",
        "see https://platform.text.com/docs/authorization",
        "client_id=9cbf3a968289727cb3cdfe83ab1d9836",
        "token: dal:REDACTED",
        "use dal:your_token_here in the header",
        "-H 'X-Api-Key: LIVECHAT_API_KEY'",
        "-H 'X-Api-Key: MYLIVECHATAPIKEY'",
        "-H 'X-Api-Key: xxxx-xxxx-xxxx'",
    ],
)
def test_placeholders_and_prose_are_not_credentials(text: str) -> None:
    assert find_credentials(text) == []
    assert redact_text(text) == text


def test_several_credentials_in_one_paste() -> None:
    text = (
        f"code={fakes.AUTH_CODE}&client_secret={fakes.CLIENT_SECRET}\n"
        f"then Authorization: Bearer {fakes.AGENT_TOKEN} and refresh_token={fakes.REFRESH_TOKEN}"
    )
    redacted, credentials = redact(text)
    assert len(credentials) == 4
    for raw in (fakes.AUTH_CODE, fakes.CLIENT_SECRET, fakes.AGENT_TOKEN, fakes.REFRESH_TOKEN):
        assert raw not in redacted


@pytest.mark.parametrize(
    ("text", "kind", "leftover"),
    [
        ("dal:FAKE_test_split\ntoken_0000000013\nthanks!", CredentialKind.agent_token, "token_0000000013"),
        ("my refresh token is FAKEtestrefresh000014", CredentialKind.refresh_token, "FAKEtestrefresh"),
        (f"the header value is {fakes.PAT_BASIC}", CredentialKind.pat_basic, fakes.PAT_BASIC[5:-5]),
        ("password=FAKEpassword0015", CredentialKind.foreign_secret, "FAKEpassword"),
        ("the client secret was fake0123fake0123fake0016", CredentialKind.client_secret, "fake0123fake0123"),
    ],
)
def test_secrets_in_awkward_places(text: str, kind: CredentialKind, leftover: str) -> None:
    redacted, credentials = redact(text)
    assert [c.kind for c in credentials] == [kind]
    assert leftover not in redacted


def test_hyphenated_words_are_not_secrets() -> None:
    assert find_credentials("we use sk-learn-is-a-great-python-library for scoring") == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        # a placeholder word glued to a real token (a half-done manual redaction) leaves the token a token
        (f"token {fakes.AGENT_TOKEN}REDACTED", fakes.AGENT_TOKEN),
        ("Bearer fra-a:Zx81kPq0Lm3Nb7Vc5Xz2EXAMPLE", "Zx81kPq0Lm3Nb7Vc5Xz2"),
        # found by hypothesis: an upper-case key with many vowels read as a variable name (ACCESS_TOKEN)
        ("-H 'X-Api-Key: MAN0AAKILABJHEFAAGAAAACAD' -H 'Accept: application/json'", "MAN0AAKILABJHEFAAGAAAACAD"),
        ("-H 'X-Api-Key: A0AKEICAJDAFBGHL' -H 'Accept: application/json'", "A0AKEICAJDAFBGHL"),
        ("-H 'X-Api-Key: Xxx0BALKJAAIHEFAAGAAACAAD'", "Xxx0BALKJAAIHEFAAGAAACAAD"),  # not an "xxxx" placeholder
        ("redirected to https://app.example.com/callback?code=A0AKAIACJDEFBGHa&state=xyz then 401", "A0AKAIACJDEFBGHa"),
    ],
)
def test_a_secret_that_only_looks_like_a_placeholder_is_still_one(text: str, secret: str) -> None:
    assert secret not in redact_text(text)
    assert leaked_credentials(text), "the leak guard would leave it in public"
