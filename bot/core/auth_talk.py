"""Step 3a (part): is the message about authorization at all? Auth words, LiveChat's auth signals and error
types, an API named with "call"/"access", less the questions that only look like it (auth words only inside
pasted code, the agent app's passwords, limits and quotas, a phone's permissions, "not an auth question").
The topic decision (bot/core/topic.py) asks this first, then whose authorization it is.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from bot.core.diagnosis import Credential, CredentialKind, Signals
from bot.core.terms import term_pattern
from bot.core.tokens import split_prose, stem
from bot.knowledge.schema import Vocabulary

_CAPACITY = re.compile(
    r"\b(?:rate[ -]?limit\w*|(?<!off )limits?|429|too many requests|quotas?"
    r"|max(?:imum)?\.? (?:file |upload |payload )?size|size limit"
    r"|max(?:imum)?\.? number of|how many (?:requests|calls|chats|groups|agents|files))\b"
)

_TOKEN_LIMIT = re.compile(
    r"\bhow (?:many|long)\b.{0,40}\b(?:tokens?|pats?|personal access tokens?|sessions?)\b"
    r"|\b(?:tokens?|pats?|personal access tokens?) (?:limit|lifetime|expir\w*|quota)"
    r"|\b(?:limit|max(?:imum)?(?: number)?|quota|number) (?:of|on|for) (?:\w+ ){0,2}"
    r"(?:tokens|pats|personal access tokens|sessions)\b"
)

_QUESTION = re.compile(r"(?:^|(?<=[.?!\n]))[^.?!\n]*\?")  # a sentence that asks (from its start: linear time)

_ERROR_LINE = re.compile(
    r"^.*\b(?:error|exception|failed|fails|denied|invalid|unauthori[sz]ed|forbidden|refused|mismatch)\b.*$",
    re.IGNORECASE | re.MULTILINE,
)

_APP_SIGN_IN = re.compile(
    r"\b(?:two[ -]?factor|2fa|mfa|authenticator app|(?:forgot|reset|change)\w* (?:my |the |their |an agent'?s? )?"
    r"(?:(?:livechat|agent|app|account|login|old|own) ){0,3}password|password reset|locked out)\b"
)

_API_TALK = re.compile(r"\b(?:api|apis|tokens?|oauth|client[ _]?id|endpoint|sdk|pat|pats|curl|scopes?|redirect)\b")

# "Webhooks question, not auth", "the token side is fine": the user says the authorization part works.
# ("the token works everywhere else" is no such statement: it frames a failure elsewhere)
_AUTH_WORKS = re.compile(
    r"\bnot (?:an? )?(?:auth|authori[sz]ation|authentication)(?: question| issue| problem| related)?(?=[.,;:)!]|$)"
    r"|\b(?:isn'?t|is not|not) (?:an? )?(?:auth\w*|login) (?:question|issue|problem)\b"
    r"|\b(?:auth|authori[sz]ation|authentication|token|login) (?:part|side|bit) (?:is |itself )?"
    r"(?:fine|ok|okay|works|working)\b",
    re.MULTILINE,
)

# A phone's runtime permissions ("camera and storage permissions are granted", "READ_MEDIA_IMAGES granted")
# are the app's access to the device, not an OAuth grant.
_DEVICE_PERMISSION = re.compile(
    r"\b(?:(?:runtime|android|ios|phone|mobile|device) permissions?|android\.permission\.\w+|read_media_\w+|camera"
    r"|microphone|storage|photos?|gallery|location|notifications?)\b[^.\n]{0,40}\bgrant(?:ed|s)?\b"
)

# An account beside an organization: who someone is, where, with which role (account-organization-roles).
_ACCOUNT = re.compile(r"\baccounts?\b")

_ORGANIZATION = re.compile(r"\b(?:organi[sz]ations?|orgs?)\b")
_WHO_MAY = re.compile(r"\b(?:roles?|permissions?|access|members?|owners?|admin\w*|invit\w*|belongs?|ids?)\b")
_BILLING = re.compile(r"\b(?:billing|invoices?|plans?|subscriptions?|payments?|pricing)\b")

# Who the customer is, in plain words ("two separate customers, one per group", "a new customer instead of
# the same one"): customer identity is the customer side's authorization.
_CUSTOMER_IDENTITY = re.compile(
    r"\b(?:same|separate|different|distinct|unrelated|two|brand[ -]new)\s+"
    r"(?:(?!(?:for|to|from|than|in|on|at|with|by|of)\b)\w+\s+)?[\"“']?(?:customers?|visitors?)\b"
)

# … said of who they are: their token, session, history, "the same one", "instead of" ("route different
# visitors to different groups" is routing)
_IDENTITY_WORDS = re.compile(
    r"\b(?:tokens?|identit\w*|sessions?|cookies?|logged|log in|sign\w*|recogni\w*|entity|merge\w*|histor\w*"
    r"|same (?:\w+ )?(?:one|customer|visitor|person)|instead of|continue as"
    r"|(?:for|per|in) (?:each|every) (?:group|brand|site|shop)|one per (?:group|brand|site|shop))\b"
)
_SENTENCE = re.compile(r"[^.!?\n]+")
_FIELD_ERROR = re.compile(r"\"type\"\s*:\s*\"validation\"\s*,\s*\"message\"\s*:\s*\"`(?!organization_id|license_id)")

_LICENSE_ID = re.compile(r"licen[cs]e ?(?:number|no\b|id\b)|licen[cs]e_(?:number|id)")

_ORGANIZATION_ID = re.compile(r"organi[sz]ation[ _]?id")

_LIVECHAT_API = re.compile(r"\b(?:livechat|text\.com|text platform)(?: (?:rest|web|rtm))? apis?\b")

_API_ACCESS = re.compile(
    r"\b(?:call|calls|calling|access|accessing|connect|connecting|requests?|hit|hitting|talk(?:s|ing)? to)\b"
)

_LIVECHAT_SIGNALS = ("endpoint.", "oauth.", "details.", "rtm.", "error.", "param.", "finding.")

_NOT_AUTH_ERRORS = frozenset({"error_type.validation"})  # a field's length or format, not who may call

AUTH_ERROR_TYPES = frozenset(
    f"error_type.{t}"
    for t in (
        "authentication",
        "authorization",
        "missing_access",
        "misdirected_request",
        "validation",
        "requester_awaiting_approval",
        "requester_suspended",
    )
)

LIVECHAT_CREDENTIALS = {
    CredentialKind.agent_token,
    CredentialKind.customer_token,
    CredentialKind.pat_basic,
    CredentialKind.legacy_basic,
    CredentialKind.authorization_code,
}


@lru_cache(maxsize=8)
def _auth_stems(terms: tuple[str, ...]) -> frozenset[str]:
    return frozenset(stem(t) for t in terms if " " not in t and t.isalpha())


def about_authorization(
    text: str,
    lower: str,
    vocabulary: Vocabulary,
    signals: Signals,
    credentials: list[Credential],
    corrected_words: Iterable[str],
) -> bool:
    """Is the question about authorization at all? Auth words, LiveChat's auth signals and error types, an
    API named with "call"/"access", less the questions that only look like it (auth words only inside
    pasted code, the agent app's passwords, limits and quotas)."""
    auth_terms = term_pattern(tuple(vocabulary.auth_terms))
    stems = _auth_stems(tuple(vocabulary.auth_terms))
    fails = failing(signals)
    granted = {stem(word) for m in _DEVICE_PERMISSION.finditer(lower) for word in re.findall(r"[a-z]+", m.group(0))}
    lower = _DEVICE_PERMISSION.sub(" ", lower)
    corrected_words = set(corrected_words) - granted
    auth = bool(auth_terms.search(lower)) or any(s.startswith(_LIVECHAT_SIGNALS) for s in signals.ids)
    # An API error about rate limits, routing or licences is LiveChat, but not authorization.
    # (a validation error about one of the request's fields - "`tags[0]` contains invalid characters" - is
    # about the data sent, not about who may send it)
    error_types = AUTH_ERROR_TYPES - _NOT_AUTH_ERRORS if _FIELD_ERROR.search(text) else AUTH_ERROR_TYPES
    auth = auth or bool(signals.ids & error_types)
    # "How do I call the Customer Chat API?" is an authorization question without the word;
    # "What's the rate limit of the Agent Chat API?" is not.
    names_an_api = any(s.startswith("api.") for s in signals.ids) or bool(_LIVECHAT_API.search(lower))
    auth = auth or (names_an_api and bool(_API_ACCESS.search(lower)))
    auth = auth or not stems.isdisjoint(corrected_words)
    # Which identifier a chat window or SDK takes is how it finds the account: the licence number and the
    # organization ID side by side are that question (either word alone is not auth talk).
    licence = bool(_LICENSE_ID.search(lower))
    auth = auth or (licence and bool(_ORGANIZATION_ID.search(lower)))
    auth = auth or (
        bool(_ACCOUNT.search(lower)) and bool(_ORGANIZATION.search(lower))
        and bool(_WHO_MAY.search(lower)) and not _BILLING.search(lower)
    )
    auth = auth or any(
        _IDENTITY_WORDS.search(sentence) for sentence in _SENTENCE.findall(lower) if _CUSTOMER_IDENTITY.search(sentence)
    )
    # A component pasted with its license, clientId and redirectUri props says nothing about what is asked:
    # when the auth words are all inside the code, and nothing fails or names LiveChat's auth shapes, the
    # question ("the chat crashes on Android", "custom params don't show") is about something else.
    prose, code = split_prose(text)
    if auth and code.strip() and not licence and not fails:
        prose_lower = prose.lower().replace("-", " ")
        auth = (
            bool(auth_terms.search(prose_lower))
            or not stems.isdisjoint(corrected_words)
            or any(c.kind in LIVECHAT_CREDENTIALS for c in credentials)
            or any(s.startswith("endpoint.") or s in AUTH_ERROR_TYPES for s in signals.ids)
            or "sdk.accounts-sdk" in signals.ids  # the Accounts SDK does nothing but sign people in
            # an error pasted in the code ("Error: OAuth state mismatch") is what the question is about
            or any(auth_terms.search(line.lower()) for line in _ERROR_LINE.findall(code))
        )
    # (only when the authorization talk stops there: "the login part works, but the refresh token expires"
    # goes on to the problem)
    works = list(_AUTH_WORKS.finditer(lower))
    if auth and works and not fails and not auth_terms.search(lower, works[-1].end()):
        auth = False
    # Passwords and two-factor sign-in to the agent app are account security, not API authorization.
    if auth and _APP_SIGN_IN.search(lower) and not _API_TALK.search(lower) and not fails:
        auth = False
    # "What's the limit per token?", "max upload size on the Agent Chat API?": a question about capacity,
    # unless a login is failing or the limit is on tokens themselves.
    if auth and not _TOKEN_LIMIT.search(lower) and not fails:
        asked = _QUESTION.findall(lower)
        capacity = [q for q in asked if _CAPACITY.search(q)]
        auth = not capacity or any(auth_terms.search(q) for q in asked if q not in capacity)
    return auth


def failing(signals: Signals) -> bool:
    """Evidence of an authorization failing: a 401/403, an OAuth or RTM error, an auth error body, a finding."""
    return bool({"status.401", "status.403"} & signals.ids) or any(
        s.startswith(("oauth.", "details.", "rtm.", "finding.", "error."))
        or (s in AUTH_ERROR_TYPES and s not in _NOT_AUTH_ERRORS)
        for s in signals.ids
    )
