"""What the leak guard protects, and what it tells people — plain text, no Discord in here.

Which secrets count (decision, see the report): every LiveChat credential kind the core finds, plus a
credential sent in an Authorization header that we can't attribute (a Bearer JWT may be a LiveChat bot
token; a Basic value may hold a PAT), plus — on by default, switchable — other services' secrets
(`foreign_secret`: Stripe, GitHub, Slack, Google, Discord token shapes). A public leak hurts the same
whoever issued the key, and those patterns are vendor-prefixed, so false alarms are rare. The notice
stays accurate: a foreign secret is called "another service's secret", never a LiveChat credential.

The documentation's own sample tokens are not secrets: quoting the docs is not a leak.

Revocation advice comes from ../shared/research/livechat-auth.md: `DELETE /v2/token` (access or refresh
token; revoking an access token also revokes its refresh token), `DELETE /v2/customer/token` for customer
tokens, PATs live in the Developer Console, bot tokens can't be revoked (24 h lifetime). The research has
nothing on rotating a client secret, so we don't pretend to know how.
"""

from __future__ import annotations

from bot.core.diagnosis import Credential, CredentialKind
from bot.core.redact import find_credentials

#: Sample values printed in LiveChat's docs and SDK examples (research section 2-4): not secrets.
DOC_SAMPLES = frozenset(
    {
        "dal:test_YTJQ6GDVgQf8kQDPw",
        "dal%3Atest_DQTRHGbZCFkAoss4Q",
        "dal:test_DQTRHGbZCFkAoss4Q",
        "test_gfalskcakg2347o8326",
        "dal:test_gfalskcakg2347o8326",
        "dal:test_SZhSSbShcZxrv580FA",
        "dal:test_SZhSSbShcZxrv580FB",
        "fra-a:vky95357S7KM1E4dXwv1DQ",
        "dal:A420qcNvdVS4cRMJP269GfgT1LA",
        "dal:k0FTiZgtBkTLnzXlatwt6Fgvpp4",
        "dal%3Ak0FTiZgtBkTLnzXlatwt6Fgvpp4",
    }
)

LIVECHAT_KINDS = frozenset(
    {
        CredentialKind.agent_token,
        CredentialKind.customer_token,
        CredentialKind.refresh_token,
        CredentialKind.pat_basic,
        CredentialKind.legacy_basic,
        CredentialKind.pat,
        CredentialKind.client_secret,
        CredentialKind.authorization_code,
    }
)
HEADER_KINDS = frozenset({CredentialKind.basic_other, CredentialKind.bearer_other})

#: Names in plain words, for the public notice.
KIND_NAMES: dict[CredentialKind, str] = {
    CredentialKind.agent_token: "a LiveChat access token",
    CredentialKind.customer_token: "a LiveChat customer access token",
    CredentialKind.refresh_token: "a LiveChat refresh token",
    CredentialKind.pat_basic: "a LiveChat Personal Access Token (Basic value)",
    CredentialKind.legacy_basic: "a LiveChat Personal Access Token (email:PAT Basic value)",
    CredentialKind.pat: "a LiveChat Personal Access Token",
    CredentialKind.client_secret: "an app's client secret",
    CredentialKind.authorization_code: "a LiveChat authorization code",
    CredentialKind.basic_other: "a Basic authorization credential",
    CredentialKind.bearer_other: "a Bearer token",
    CredentialKind.foreign_secret: "another service's secret (an API key or token)",
}

_PAT_ADVICE = (
    "Delete that Personal Access Token in the Developer Console (https://platform.text.com/console/ → Settings → "
    "Authorization → Personal Access Tokens), where it was created, and create a new one."
)
#: How to revoke or rotate each kind: what the DM says.
REVOKE_ADVICE: dict[CredentialKind, str] = {
    CredentialKind.agent_token: (
        "Revoke the access token: `curl -X DELETE https://accounts.livechat.com/v2/token -H "
        "\"Authorization: Bearer <the token>\"`. That also revokes its refresh token, if it has one. "
        "(For a customer token the address is `https://accounts.livechat.com/v2/customer/token`.)"
    ),
    CredentialKind.customer_token: (
        "Revoke the customer token: `curl -X DELETE https://accounts.livechat.com/v2/customer/token -H "
        "\"Authorization: Bearer <the token>\"`."
    ),
    CredentialKind.refresh_token: (
        "Revoke the refresh token: `curl -X DELETE https://accounts.livechat.com/v2/token -H "
        "\"Authorization: Bearer <the refresh token>\"`."
    ),
    CredentialKind.pat_basic: _PAT_ADVICE,
    CredentialKind.legacy_basic: _PAT_ADVICE,
    CredentialKind.pat: _PAT_ADVICE,
    CredentialKind.client_secret: (
        "Treat the client secret as exposed. LiveChat's docs that I know of don't describe how to rotate a client "
        "secret; ask LiveChat's developer support (developers@text.com) how to replace it."
    ),
    CredentialKind.authorization_code: (
        "An authorization code is single-use and only valid for a few minutes. If you haven't exchanged it yet, "
        "let it expire; if you got a token from it, revoke that token with "
        "`DELETE https://accounts.livechat.com/v2/token`."
    ),
    CredentialKind.basic_other: (
        "If it holds a Personal Access Token, delete that token in the Developer Console and create a new one; "
        "if it holds a password, change it."
    ),
    CredentialKind.bearer_other: (
        "If it's a LiveChat access token, revoke it with `DELETE https://accounts.livechat.com/v2/token`. "
        "A LiveChat bot token (a JWT) can't be revoked; it expires 24 hours after it was issued."
    ),
    CredentialKind.foreign_secret: (
        "It looks like another service's secret: revoke or rotate it with the service that issued it."
    ),
}


def _acts_on(credential: Credential, kinds: set[CredentialKind] | frozenset[CredentialKind]) -> bool:
    if credential.kind not in kinds or credential.raw in DOC_SAMPLES:
        return False
    if credential.kind is CredentialKind.foreign_secret:
        # Deleting is loud: `sk-learn-is-a-great-python-library` matches the core's `sk-` pattern, real keys
        # are random and carry digits. Redaction stays broad; deletion wants letters AND digits.
        return any(ch.isdigit() for ch in credential.raw) and any(ch.isalpha() for ch in credential.raw)
    return True


def leaked_credentials(text: str, *, include_foreign: bool = True) -> list[Credential]:
    """The secrets in `text` the leak guard acts on (docs' sample values and placeholders excluded)."""
    kinds = LIVECHAT_KINDS | HEADER_KINDS | ({CredentialKind.foreign_secret} if include_foreign else set())
    return [c for c in find_credentials(text) if _acts_on(c, kinds)]


def _names(credentials: list[Credential]) -> str:
    names = list(dict.fromkeys(KIND_NAMES[c.kind] for c in credentials))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _redacted(credentials: list[Credential]) -> str:
    return ", ".join(dict.fromkeys(f"`{c.redacted}`" for c in credentials))


def notice_text(
    author_mention: str, credentials: list[Credential], *, deleted: bool, gone: bool, dm_sent: bool, edited: bool
) -> str:
    """The short public notice. Mentions only the author; shows only redacted forms."""
    what = "edited message" if edited else "message"
    head = f"{author_mention}, your {what} contained {_names(credentials)} ({_redacted(credentials)})."
    if deleted:
        action = "I deleted it so nobody else can use it."
    elif gone:
        action = "It has been removed."
    else:
        action = "I can't delete it here (I lack Manage Messages): please delete it yourself now."
    if dm_sent:
        follow = "I sent you a DM with how to revoke it; it was public, so treat it as exposed."
    else:
        follow = (
            "I couldn't DM you (your DMs are closed), so: it was public, treat it as exposed and revoke or rotate "
            "it. `/token-check` checks tokens privately."
        )
    return f"{head} {action} {follow}"


def dm_text(credentials: list[Credential], *, channel: str, deleted: bool, gone: bool, edited: bool) -> str:
    what = "an edited message" if edited else "a message"
    state = (
        "I deleted it." if deleted else "It has been removed." if gone
        else "I couldn't delete it: please delete it yourself."
    )
    lines = [
        f"You posted {what} in {channel} that contained {_names(credentials)} ({_redacted(credentials)}). {state}",
        "It was visible to others, so treat it as exposed:",
    ]
    lines += [f"• {REVOKE_ADVICE[kind]}" for kind in dict.fromkeys(c.kind for c in credentials)]
    lines.append("Next time, use `/token-check`: it checks a token privately, and I never show or store it.")
    return "\n".join(lines)


def modlog_text(author_id: int, channel_id: int, jump_url: str, credentials: list[Credential]) -> str:
    return (
        f"Leak guard: a message by <@{author_id}> in <#{channel_id}> contains {_names(credentials)} "
        f"({_redacted(credentials)}) and I can't delete it (missing Manage Messages there): {jump_url}"
    )
