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

import functools
from collections.abc import Callable
from typing import ParamSpec

from bot.core.diagnosis import CREDENTIAL_NAMES, Credential, CredentialKind
from bot.core.redact import find_credentials, scrub

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

P = ParamSpec("P")

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
        CredentialKind.session_cookie,
    }
)
HEADER_KINDS = frozenset({CredentialKind.basic_other, CredentialKind.bearer_other})

#: Names in plain words, for the public notice.
KIND_NAMES = CREDENTIAL_NAMES  # one name per credential kind, in the notice, the DM and the answer

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
    # The research has the cookie's lifetime (2 years, extended on use) but no way to revoke it: say so.
    CredentialKind.session_cookie: (
        "The __lc_cst cookie lets whoever holds it get customer tokens for that customer, for up to 2 years. "
        "LiveChat's docs that I know of don't describe revoking it: treat that customer session as exposed, and "
        "ask LiveChat's developer support (developers@text.com) if it matters."
    ),
    CredentialKind.unknown_secret: (
        "If it's a password, key or token, rotate it with whoever issued it."
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


def _scrubbed(compose: Callable[P, str]) -> Callable[P, str]:
    """Every text the guard sends passes the last check on the way out (defence in depth: they are built
    from redacted forms, but a channel name or a future edit could carry something)."""

    @functools.wraps(compose)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> str:
        return scrub(compose(*args, **kwargs))

    return wrapper


def _names(credentials: list[Credential]) -> str:
    names = list(dict.fromkeys(KIND_NAMES[c.kind] for c in credentials))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _redacted(credentials: list[Credential]) -> str:
    return ", ".join(dict.fromkeys(f"`{c.redacted}`" for c in credentials))


#: What a thread is renamed to when its name held a credential. Neutral on purpose: the original name is
#: gone, and a title that says why keeps readers from guessing the bot broke the post.
NEUTRAL_THREAD_NAME = "Title removed (it contained a credential)"

#: Why a message stayed up, for the moderators' alert.
MISSING_MANAGE_MESSAGES = "I lack Manage Messages there"
MISSING_MANAGE_THREADS = "I lack Manage Threads there"
REFUSED = "Discord refused the request"

_NAME_CHANGE_KEPT = (
    "Discord's own \"changed the name\" notice in the thread still shows the old name, and it can't be deleted"
)
_NEXT_TIME = "Next time, use `/token-check`: it checks a token privately, and I never show or store it."


def _advice(credentials: list[Credential]) -> list[str]:
    return [f"• {REVOKE_ADVICE[kind]}" for kind in dict.fromkeys(c.kind for c in credentials)]


def _dm_follow(dm_sent: bool) -> str:
    if dm_sent:
        return "I sent you a DM with how to revoke it; it was public, so treat it as exposed."
    return (
        "I couldn't DM you (your DMs are closed), so: it was public, treat it as exposed and revoke or rotate "
        "it. `/token-check` checks tokens privately."
    )


@_scrubbed
def notice_text(
    author_mention: str, credentials: list[Credential], *, deleted: bool, gone: bool, dm_sent: bool, edited: bool,
    in_file: bool = False,
) -> str:
    """The short public notice, posted only once the message is gone: a notice next to a message that is
    still up would point everyone at the credential. Mentions only the author; shows only redacted forms."""
    if not deleted and not gone:
        raise ValueError("a public notice is only for a message that is gone; tell the author privately instead")
    what = "edited message" if edited else "message"
    subject = f"a file attached to your {what}" if in_file else f"your {what}"
    head = f"{author_mention}, {subject} contained {_names(credentials)} ({_redacted(credentials)})."
    action = "I deleted it so nobody else can use it." if deleted else "It has been removed."
    return f"{head} {action} {_dm_follow(dm_sent)}"


@_scrubbed
def dm_text(
    credentials: list[Credential], *, channel: str, deleted: bool, gone: bool, edited: bool,
    in_file: bool = False, jump_url: str | None = None,
) -> str:
    """The DM to the author. It is private, so it may link to a message that is still up (to find and
    delete it); it still shows only redacted forms, as DMs get screenshotted and forwarded."""
    what = "an edited message" if edited else "a message"
    if in_file:
        subject = f"A file you attached to {what} in {channel} contained"
    else:
        subject = f"You posted {what} in {channel} that contained"
    if deleted:
        state = "I deleted it."
    elif gone:
        state = "It has been removed."
    else:
        where = f": {jump_url}" if jump_url else "."
        state = f"I couldn't delete it (I can't manage messages there): please delete it yourself now{where}"
    lines = [
        f"{subject} {_names(credentials)} ({_redacted(credentials)}). {state}",
        "It was visible to others, so treat it as exposed:",
        *_advice(credentials),
        _NEXT_TIME,
    ]
    return "\n".join(lines)


@_scrubbed
def modlog_text(
    author_id: int, channel_id: int, jump_url: str, credentials: list[Credential], *,
    reason: str = MISSING_MANAGE_MESSAGES, dm_sent: bool = True, in_file: bool = False,
) -> str:
    """The moderators' alert when the message stays up. The mod log is for moderators only, so it links
    to the message: they are the ones who can delete it."""
    where = " (in an attached file)" if in_file else ""
    text = (
        f"Leak guard: a message by <@{author_id}> in <#{channel_id}> contains{where} {_names(credentials)} "
        f"({_redacted(credentials)}) and I can't delete it ({reason}): {jump_url}"
    )
    if not dm_sent:
        text += " I couldn't DM them, so nobody has told them yet."
    return text


def _thread_words(forum: bool) -> tuple[str, str]:
    """(what the thread is called, what its name is called): a forum post has a title, a thread a name."""
    return ("forum post", "title") if forum else ("thread", "name")


@_scrubbed
def thread_notice_text(owner_mention: str, credentials: list[Credential], *, forum: bool, dm_sent: bool) -> str:
    """Posted in the thread once it is renamed: the old name was public, so its owner is told to revoke."""
    thing, part = _thread_words(forum)
    return (
        f"{owner_mention}, the {part} of your {thing} contained {_names(credentials)} ({_redacted(credentials)}). "
        f"I renamed it so nobody else can use it. {_dm_follow(dm_sent)}"
    )


@_scrubbed
def thread_dm_text(
    credentials: list[Credential], *, forum: bool, channel: str, renamed: bool, name_change_kept: bool,
    jump_url: str | None = None,
) -> str:
    thing, part = _thread_words(forum)
    if renamed:
        state = "I renamed it."
    else:
        where = f": {jump_url}" if jump_url else "."
        state = f"I couldn't rename it: please rename it yourself now{where}"
    if name_change_kept:
        state += f" {_NAME_CHANGE_KEPT}."
    lines = [
        f"Your {thing} in {channel} had a {part} that contained {_names(credentials)} ({_redacted(credentials)}). "
        f"{state}",
        "It was visible to others, so treat it as exposed:",
        *_advice(credentials),
        _NEXT_TIME,
    ]
    return "\n".join(lines)


@_scrubbed
def thread_modlog_text(
    owner_id: int, thread_id: int, credentials: list[Credential], *, forum: bool, renamed: bool,
    reason: str | None, name_change_kept: bool, dm_sent: bool,
) -> str:
    """The moderators' alert: when the name stays up, or when Discord's rename notice keeps the old name."""
    thing, part = _thread_words(forum)
    head = f"Leak guard: the {part} of a {thing} <#{thread_id}> by <@{owner_id}>"
    found = f"{_names(credentials)} ({_redacted(credentials)})"
    if renamed:
        text = f"{head} contained {found}. I renamed it"
        text += f", but {_NAME_CHANGE_KEPT}: delete the {thing} if that matters." if name_change_kept else "."
    else:
        text = f"{head} contains {found} and I can't rename it ({reason or REFUSED})."
        if name_change_kept:
            text += f" {_NAME_CHANGE_KEPT}."
    if not dm_sent:
        text += " I couldn't DM them, so nobody has told them yet."
    return text
