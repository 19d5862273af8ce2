"""Which secrets the leak guard acts on, and the texts it sends (no Discord here)."""

from __future__ import annotations

from bot.core.diagnosis import CredentialKind
from bot.credentials.leaks import REVOKE_ADVICE, dm_text, leaked_credentials, notice_text


def kinds(text: str, **options: bool) -> list[CredentialKind]:
    return [c.kind for c in leaked_credentials(text, **options)]


def test_livechat_kinds_header_kinds_and_foreign():
    assert kinds("dal:FAKE_selection_token_0001") == [CredentialKind.agent_token]
    assert kinds("Authorization: Bearer FAKEbearerValue00000002") == [CredentialKind.bearer_other]
    assert kinds("ghp_FAKEgithubToken00000000000003") == [CredentialKind.foreign_secret]
    assert kinds("ghp_FAKEgithubToken00000000000003", include_foreign=False) == []


def test_not_acted_on():
    assert kinds("the docs show dal:test_YTJQ6GDVgQf8kQDPw and test_gfalskcakg2347o8326") == []
    assert kinds("Authorization: Bearer <ACCESS_TOKEN>") == []
    assert kinds("I love sk-learn-is-a-great-python-library") == []  # a word, not a key


def test_every_kind_has_advice_and_a_name():
    assert set(REVOKE_ADVICE) == set(CredentialKind)


def test_texts_show_only_redacted_forms():
    creds = leaked_credentials("client_secret=FAKEclientSecret00000004 dal:FAKE_selection_token_0005")
    notice = notice_text("<@1>", creds, deleted=True, gone=False, dm_sent=True, edited=False)
    assert notice == (
        "<@1>, your message contained an app's client secret and a LiveChat access token "
        "(`[client-secret …0004]`, `[agent-access-token dal:…0005]`). I deleted it so nobody else can use "
        "it. I sent you a DM with how to revoke it; it was public, so treat it as exposed."
    )
    dm = dm_text(creds, channel="#general", deleted=True, gone=False, edited=False)
    assert "developers@text.com" in dm and "DELETE https://accounts.livechat.com/v2/token" in dm
    assert "FAKEclientSecret00000004" not in notice + dm and "FAKE_selection_token_0005" not in notice + dm
