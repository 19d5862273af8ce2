"""Offline inspection of one pasted token: kind, region, copy damage and what it means."""

from __future__ import annotations

import base64

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.credentials.inspect import TokenKind, inspect_token

ACCOUNT = "b7eff798-f8df-4364-8059-649c35c9ed0c"
TOKEN = "dal:FAKE_test_token_0000000001"


def b64(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    ("pasted", "kind", "problems"),
    [
        (TOKEN, TokenKind.access_token, []),
        (f"Bearer {TOKEN}", TokenKind.access_token, ["scheme-pasted"]),
        (f"Authorization: Bearer Bearer '{TOKEN}'", TokenKind.access_token,
         ["header-name", "scheme-repeated", "scheme-pasted", "quotes"]),
        (f'  "{TOKEN[:12]}\n{TOKEN[12:]}" ', TokenKind.access_token, ["quotes", "whitespace"]),
        (f"{TOKEN[:10]}\u200b{TOKEN[10:]}", TokenKind.access_token, ["whitespace"]),
        (TOKEN.replace(":", "%3A"), TokenKind.access_token, ["percent-encoded"]),
        (f"https://my-app.example/#access_token={TOKEN.replace(':', '%3A')}&token_type=Bearer&expires_in=28800",
         TokenKind.access_token, ["whole-url"]),
        (f"https://my-app.example/?code={TOKEN.replace(':', '%3A')}&state=x", TokenKind.authorization_code,
         ["whole-url"]),
        (f"Basic {b64(ACCOUNT + ':' + TOKEN)}", TokenKind.pat_basic, ["scheme-pasted"]),
        (b64(ACCOUNT + ":" + TOKEN), TokenKind.pat_basic, []),  # a bare Basic value, without the word Basic
        (f"Bearer {b64(ACCOUNT + ':' + TOKEN)}", TokenKind.pat_basic, ["scheme-pasted", "pat-as-bearer"]),
        (f"Basic {b64('me@example.com:' + TOKEN)}", TokenKind.legacy_basic, ["scheme-pasted", "legacy-email"]),
        (f"Basic {TOKEN}", TokenKind.raw_pat, ["scheme-pasted", "raw-pat-in-basic"]),
        ("Basic notbase64!!!value", TokenKind.bad_basic, ["scheme-pasted", "basic-not-base64"]),
        (f"Basic {b64(TOKEN)}", TokenKind.bad_basic, ["scheme-pasted", "basic-no-account-id"]),
        (f"Basic {b64('FAKEpatWithoutColon0001')}", TokenKind.bad_basic, ["scheme-pasted", "basic-no-account-id"]),
        (f"Basic {b64('Some.User:FAKEpat0001')}", TokenKind.bad_basic, ["scheme-pasted", "basic-bad-username"]),
        (f"{ACCOUNT}:{TOKEN}", TokenKind.pat_basic, ["basic-not-encoded"]),
        (f"me@example.com:{TOKEN}", TokenKind.legacy_basic, ["basic-not-encoded", "legacy-email"]),
        ("test_FAKE_refresh_000000006", TokenKind.refresh_token, []),
        ("Bearer test_FAKE_refresh_000000006", TokenKind.refresh_token, ["scheme-pasted", "refresh-as-bearer"]),
        ("dal:abc", TokenKind.access_token, ["too-short"]),
        ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.FAKEsig", TokenKind.bot_token, []),
        ("", TokenKind.unknown, ["empty"]),
        ("hello there", TokenKind.unknown, ["whitespace"]),
    ],
)
def test_kinds_and_problems(pasted, kind, problems):
    result = inspect_token(pasted)
    assert result.kind is kind
    assert [p.id for p in result.problems] == problems


def test_cleaned_token_and_region():
    result = inspect_token(f' "Bearer {TOKEN.replace(":", "%3A")}" ')
    assert result.token == TOKEN and result.region == "dal" and result.checkable
    assert result.redacted == "[access-token dal:…0001]"
    assert TOKEN not in repr(result)


def test_messages_in_plain_words():
    result = inspect_token(TOKEN.replace(":", "%3A"))
    assert result.problems[0].message == (
        "The token contains `%3A`, a URL-encoded colon (redirect URLs encode it). Replace `%3A` with `:`. "
        "I checked it with the colon."
    )
    assert result.notes[0] == (
        "It has the `<region>:<characters>` shape of an OAuth access token (region `dal`). Agent and customer "
        "tokens look the same; a Personal Access Token may too (its format isn't documented)."
    )
    assert inspect_token(f"Basic {TOKEN}").problems[-1].message == (
        "After `Basic ` you pasted the PAT itself. The Basic value must be the base64 encoding of "
        "`<account_id>:<PAT>`. Give me your Account ID (shown in the Developer Console) to check it."
    )


def test_raw_pat_with_account_id_becomes_basic():
    result = inspect_token(TOKEN, account_id=ACCOUNT.upper())
    assert result.kind is TokenKind.raw_pat and result.account_id == ACCOUNT
    assert result.basic_value == b64(f"{ACCOUNT}:{TOKEN}") and result.checkable


def test_bad_account_id():
    result = inspect_token(TOKEN, account_id="me@example.com")
    assert [p.id for p in result.problems] == ["account-id-format"]
    assert result.kind is TokenKind.access_token


def test_unknown_region_is_a_note_not_an_error():
    result = inspect_token("us-south1:FAKEtestTOKEN0000000001")
    assert result.kind is TokenKind.access_token and result.problems == ()
    assert result.notes[-1] == "The region prefix `us-south1` is not one the docs name (dal, fra, fra-a, fra-b)."


@given(st.text(max_size=200))
def test_never_crashes_and_never_shows_the_value(text):
    result = inspect_token(text)
    shown = result.redacted + " ".join(p.message for p in result.problems) + " ".join(result.notes)
    if len(result.token) >= 16:
        assert result.token not in shown


@pytest.mark.parametrize(
    ("pasted", "redacted"),
    [
        (TOKEN, "[access-token dal:…0001]"),  # 25 characters after the region: the last 4 only
        ("dal:FAKE_short_tok01", "[access-token dal:…]"),  # 16 after the region: nothing of it
        ("fra-a:FAKE_exactly_twenty_", "[access-token fra-a:…nty_]"),  # 20: the threshold
        ("dal:FAKE_nineteen_chr", "[access-token dal:…]"),  # 17
        ("dal:abc", "[access-token dal:…]"),
        ("test_FAKE_refresh_000000006", "[refresh-token …0006]"),
        ("FAKEref1234567890x", "[refresh-token …]"),
        ("hello there", "[unknown …]"),
        (f"Basic {b64(ACCOUNT + ':' + TOKEN)}", f"[pat-basic …{b64(ACCOUNT + ':' + TOKEN)[-4:]}]"),
    ],
)
def test_redacted_form_shows_at_most_four_characters(pasted, redacted):
    assert inspect_token(pasted).redacted == redacted


_BODY = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=60)


@given(region=st.sampled_from(["", "dal:", "fra:", "fra-a:", "us-south1:"]), body=_BODY)
def test_no_more_than_four_characters_of_any_secret_are_shown(region, body):
    result = inspect_token(region + body)
    shown = result.redacted.split(" ", 1)[1].rstrip("]")
    if result.region:
        shown = shown.removeprefix(f"{result.region}:")
    secret = result.token.removeprefix(f"{result.region}:") if result.region else result.token
    visible = shown.replace("…", "")
    assert len(visible) <= 4
    if len(secret) < 20:
        assert visible == ""
