"""Step 3a: is this message about LiveChat authorization at all? Decides abstaining before ranking."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable

from bot.core.auth_talk import AUTH_ERROR_TYPES, LIVECHAT_CREDENTIALS, about_authorization, failing
from bot.core.diagnosis import Credential, CredentialKind, Signals, Topic
from bot.core.product_names import (
    LIVECHAT_HOST_SUFFIXES,
    LOCAL_HOSTS,
    headed_by_unknown_name,
    self_hosted_unknown_name,
    unknown_products,
)
from bot.core.terms import term_pattern
from bot.knowledge.schema import Vocabulary

# Hosts the user's own request goes to (curl, an HTTP verb, a client call), as opposed to any URL.
# HTTP verbs count in capitals only: "I put https://our.shop in the whitelist" is not a PUT request.
_REQUEST_HOST = re.compile(
    r"(?:(?i:curl)\b[^\n]*?|\b(?:GET|POST|PUT|PATCH|DELETE)\s+|(?i:fetch)\(\s*[\"'`]"
    r"|(?i:requests)\.\w+\(\s*[\"']|(?i:axios)\.\w+\(\s*[\"'`])"
    r"(?i:https?://([a-z0-9.-]+))"
)
# LiveChat's region prefix on a token or code, raw or URL-encoded ("dal:…", "code=fra%3A…").
_REGION_PREFIX = re.compile(r"(?<![\w-])(?:dal|fra)(?::|%3a)(?=[\w.…])", re.IGNORECASE)
# An HTTP header's name ("X-API-Key", "X-Api-Version"): not a product's name.
_HEADER_NAME = re.compile(r"\bX-[A-Za-z][\w-]*", re.IGNORECASE)
# With its scheme any host; without, a lower-case host under a common TLD (not `api.SetAuthorID(…)` in Go).
_API_URL = re.compile(
    r"(?<![=%\w@/.-])(?:(?i:https?://)((?:[a-z0-9-]+\.)+[a-z]{2,})"
    r"|((?:[a-z0-9-]+\.)+(?:com|io|net|org|app|dev|co|ai|so|chat|cloud|tech|us|eu|de|uk|ru|me)))"
    r"(?![\w(])(/[^\s'\"`)<>]*)?"
)
_API_HOST = re.compile(r"api\d*\.")  # api.acme.com, api2.frontapp.com
_API_PATH = re.compile(r"/(?:[\w-]+/)?api(?:/|\b)", re.IGNORECASE)
_CODE_HOST_AS_PLACE = re.compile(
    r"\b(?:on|from|in|at|via)\s+(?:the\s+)?(github|gitlab|bitbucket)\b(?![.\w])"
    r"(?!(?:'s)?\s+(?:api|oauth|apps?|tokens?|pat|personal|actions|login|sign|auth|packages|enterprise|provider))"
    r"(?:[/ :]+[\w.-]+/[\w.-]+)?"
    r"|(?<![/.\w])(github|gitlab|bitbucket)(?:\.com)?[/:]+[\w.-]+/[\w.-]+"  # not a URL: a URL is a request
    r"|\b(?:on|in|from|at|via|a|an|the|our|their|its|see) (github|gitlab|bitbucket) "
    r"(?:repo|repos|repository|repositories|issues?|discussions?|pull requests?)\b|\b(github|gitlab) pages\b"
)
# "not tied to any particular API", "conceptually", "for a uni assignment": a question about authorization
# in general, which no LiveChat entry answers.
_GENERAL = re.compile(
    r"\b(?:(?:not|isn't|nothing)(?: asking)?(?: about| specific to| tied to| related to)? (?:any|a) "
    r"(?:particular |specific )?(?:api|provider|vendor|service|product)\b|no particular (?:provider|api|vendor|service)"
    r"|conceptual(?:ly| question)|theory question|general best practices?|best practices? in general"
    r"|(?:school|class|uni|university|course) (?:presentation|project|assignment|homework)|(?:job )?interview"
    r"|difference between authentication and authorization|authentication vs\.? authorization"
    # the standard itself, a textbook framing, OpenID Connect's nonce, "explain like I'm five"
    r"|rfcs?(?: \d{4})?|textbook(?: question| one)?|nonce|explain (?:it )?like i'?m (?:5|five)|eli5"
    r"|(?:every|all) (?:oauth |identity )?providers?'?s? (?:docs|documentation)"
    r"|(?:contradict\w*|conflicting) (?:blog posts?|articles?|advice)"
    r"|oauth 2\.1|generic (?:oauth|auth\w*|security|token) question|explain (?:it )?(?:in simple terms|simply)"
    r"|not (?:vendor|provider|product|platform)[- ]specific)\b"
)
_IN_PASSING = re.compile(
    r"\b(google|slack|microsoft|notion|jira|trello|dropbox)(?:'s)? (?:sheets?|spreadsheets?|docs?|drive|calendar"
    r"|channels?|threads?|messages?|notifications?|alerts?|pages?|boards?|tickets?|excel|teams channels?)\b"
    r"|\b(?:to|into|in|on|via) (slack|notion|jira|trello|teams)\b(?! (?:api|oauth|app|apps|tokens?|bot))"
    # … or named for comparison: "an introspection endpoint like Google has"
    r"|\b(?:like|unlike|similar to|same as|as|works) (?:with |in |on |for )?"
    r"(google|github|microsoft|facebook|stripe|slack|auth0|okta)\b(?:'s| (?:has|does|offers|do))?"
    # … or where something was copied from: "response_type=…, copied from our old Slack integration"
    r"|\b(?:copied|taken|borrowed|reused) from (?:our |the |my |an? )?(?:old |other |existing |previous )?"
    r"(slack|google|github|zapier|hubspot|salesforce|zendesk|intercom)\b"
)
# (and "an API key for the v2 API" in words: every vendor has a v2; the curl against LiveChat's host is a host)
_API_WORDS = frozenset({"api.helpdesk", "api.customer-chat", "api.agent-chat", "api.reports", "sdk.api-v2"})
# A message that opens with another product's API: "ChatBot API: …", "Acme (acme.io) SDK - …".
_OPENING_API = re.compile(
    r"\W{0,3}([A-Z][\w.\-]*(?: [A-Z][\w.\-]*){0,2}?)(?:\s*\([^()\n]{1,40}\))?\s+(?:API|SDK|OAuth)\b"
)
# LiveChat named only as where the question is asked: "I know this is the LiveChat server, but …".
# (said as an apology or a reason for asking here; "is this the LiveChat Discord?" and "the LiveChat folks
# said to use a PAT" are LiveChat's questions)
_VENUE = re.compile(
    r"\b(?:i know|i reali[sz]e|sorry,?|aware) (?:that )?this is (?:a |the |mostly a |mostly the )?live\s?chat(?:'s)? "
    r"(?:server|discord|community|channel|crowd|group|forum)\b"
    r"|\b(?:because|since) (?:the )?live\s?chat (?:crowd|folks|people|community) (?:here )?(?:seem|know)"
)
# LiveChat in a class or package name: `LiveChatApiError`, `LiveChatClient`.
# (not Salesforce's LiveChatTranscript or YouTube's LiveChatMessages)
_LIVECHAT_CLASS = re.compile(
    r"\bLiveChat(?!Transcript|Visitor|Button|Deployment|UserConfig|Messages?|Bans?|Moderators?)(?=[A-Z][a-z])"
)
_LIVECHAT_WORKS = re.compile(
    r"livechat (?:side|part|half|api|one|calls?|webhooks?|integration)s? (?:itself |themselves |is |are |still )*"
    r"(?:fine|ok|works|working|fires)"
    r"|live\s?chat\W{0,3}\(?(?:that|this|the livechat) (?:part|side|bit|call) (?:works|is fine|is ok)"
)
# "the Slack side answers 403": which side of a bridge fails.
_SIDE_FAILS = re.compile(
    r"\b([\w.]+) (?:side|part|end) (?:\w+ ){0,2}(?:returns|answers|gives|fails|throws|rejects|says|responds)"
)
# Shapes only LiveChat's requests and answers have (its exception_details, error envelope, RTM reasons,
# endpoint and API names, SDK packages); OAuth's error names (oauth., error.) are everybody's.
_LIVECHAT_SHAPES = ("details.", "rtm.", "endpoint.", "api.", "sdk.")
# "we're moving from LiveChat to Intercom", "migrated off LiveChat to Gorgias", "we left LiveChat for Drift":
# the question is about the destination.
_MIGRATION = re.compile(
    r"\b(?:(?:migrat\w*|switch\w*|mov(?:e|ed|ing)|port\w*|transition\w*)(?:\s+[\w']+){0,4}?"
    r"\s+(?:away\s+from|from|off(?:\s+of)?)|(?:leav\w*|left|replac\w*|dropp\w*|ditch\w*))\s+live\s?chat"
    r"(?:\s+\w+){0,2}?\s+(?:to|into|over\s+to|for|with)\s+([A-Za-z][\w.\-]+)",
    re.IGNORECASE,
)
_MOVED_AWAY = re.compile(
    r"\b(?:migrat\w*|switch\w*|mov(?:e|ed|ing)|transition\w*)\s+(?:away\s+)?from\s+live\s?chat\b"
    r"(?!'s|\s+(?:v\d|api|apis|keys?|tokens?|old))",
    re.IGNORECASE,
)
_BROWSER_CONSOLE = re.compile(
    r"(?:browser|chrome|firefox|safari|edge|devtools|dev tools|f12|inspect)[^\n]{0,40}develop\w* console"
    r"|develop\w* console[^\n]{0,40}(?:f12|devtools|network tab|inspect|browser|chrome|firefox|safari)",
    re.IGNORECASE,
)
# Rocket.Chat's "Livechat" REST API: /api/v1/livechat/… paths and X-Auth-Token + X-User-Id headers.
# LiveChat's paths are /v2/… (accounts) and /v3.x/<api>/action/….
_ROCKET_CHAT_API = re.compile(
    r"/api/v1/livechat|x-auth-token[\s\S]{0,200}x-user-id|x-user-id[\s\S]{0,200}x-auth-token", re.I
)
# In LiveChat's own community "their docs", "their API explorer" are some other vendor's (unless LiveChat is
# named or its shapes are pasted: then the strong evidence wins).
_THIRD_PARTY = re.compile(
    r"\btheir\s+(?:own\s+)?(?:docs?|documentation|(?:rest |web )?apis?|api (?:explorer|docs|reference|console)|"
    r"portal|dashboard|developer (?:hub|portal|console|docs)|token endpoint|sdk|oauth (?:docs|server|app))\b",
    re.IGNORECASE,
)
# "not a LiveChat question", "no livechat involved", "nothing to do with LiveChat": the user says so.
_NOT_LIVECHAT = re.compile(
    r"\b(?:not (?:really )?(?:about|related to|specific to) live\s?chat\b"
    r"|not (?:really )?(?:an? )?live\s?chat(?:[ -]specific|[ -]related| question| issue| problem)"
    r"|no live\s?chat (?:involved|here|in (?:it|this))|nothing to do with (?:the )?live\s?chat"
    r"|(?:unrelated|not related) to live\s?chat|live\s?chat (?:isn't|is not) (?:involved|part of this)"
    # "(not LiveChat, sorry for the wrong room)"; "we have LiveChat for another brand, but that's unrelated here"
    # ("logged into our app, not LiveChat" contrasts two logins in a LiveChat question)
    r"|(?<=\()not (?:anything )?(?:from )?live\s?chat\b(?!'s)|not anything from live\s?chat"
    # (only when nothing follows: "… for my PAT, it's not related to expiry" goes on to say what it isn't)
    r"|live\s?chat\b[^.!?\n]{0,60}\b(?:that'?s|that is|it'?s|it is) (?:unrelated|not related|not involved)"
    r"(?: here| to (?:this|my question))?(?=\s*(?:[.,;:!)]|$))"
    # "(the Czech chat widget vendor, not LiveChat)": a parenthesis that says which vendor it is
    r"|(?<=\()(?:the|a|an) [^()\n]{0,60}, not live\s?chat\)"
    r"|not about (?:the )?(?:chat|live\s?chat) apis?(?!\s+but)"
    # a former tool, a coincidence ("no longer using LiveChat v2 API keys" is about LiveChat's keys)
    r"|not on live\s?chat any ?more|no longer (?:on|using|use) live\s?chat\b(?!'s|\s+(?:v\d|api|keys?|tokens?))"
    r"|name clash with live\s?chat|live\s?chat'?s? \w+ is a coincidence"
    # our own service that happens to be called "livechat": "(gRPC, nothing to do with the SaaS)"
    r"|live\s?chat\b[^.!?\n]{0,60}\b(?:nothing to do with|unrelated to|not related to) the "
    r"(?:saas|product|company|vendor|platform|service))",
    re.IGNORECASE | re.MULTILINE,
)
# Asides that matter only beside another product named in the message: LiveChat on another site, another
# of its products ("Freshdesk, not the LiveChat HelpDesk thing"). ("We also use LiveChat for another brand,
# and this license's PAT gets 401" names no other product: LiveChat's question.)
_LIVECHAT_ASIDE = re.compile(
    r"\bnot the live\s?chat \w+(?: \w+)? thing"
    r"|\b(?:also|too) (?:run|use|have) live\s?chat (?:on|for) (?:a |an )?(?:different|another|other|second|separate)",
    re.IGNORECASE,
)
# Products that call a part of themselves "Livechat": beside them, the word is theirs (Rocket.Chat's
# Omnichannel Livechat, its "Livechat API" and widget).
_LIVECHAT_NAMESAKES = ("rocket",)
_ROCKET_CHAT_WIDGET = re.compile(r"\bRocketChat\s*\(|\brocketchat\.js\b|\bRC \d+\.\d+")
# Someone building an authorization server: OAuth's error names are everybody's, the server is theirs.
OWN_AUTH_SERVER = "your own authorization server"
_ASKS_LIVECHAT = re.compile(r"\byours\b|\bin this (?:channel|server|discord)\b")
# "the refresh tokens we issued": the user's own tokens, unless they are to go into LiveChat's chat window
# ("can the chat widget use the tokens we issue?" is the custom identity provider; so is "the customer
# token we issued").
_TOKENS_WE_ISSUE = re.compile(
    r"\b(?<!customer )(?<!customer access )(?:tokens?|jwts?|sessions?) (?:that |which )?we "
    r"(?:issue|issued|mint|minted|sign|hand out)\b"
)
_CHAT_WINDOW = re.compile(r"\b(?:chat )?(?:widget|chat window|customer sdk)\b")
GENERAL_PRACTICE = "authorization in general"
_OWN_SERVER = re.compile(
    r"\b(?:our|my|their|the company's|our company's)\s+own\s+(?:[\w.]+\s+){0,2}?"
    r"(?:oauth\s*2?(?:\.0)?|authori[sz]ation|auth|identity|sso|openid(?: connect)?)\s+(?:server|provider)\b"
    r"|\b(?:our|my)\s+own\s+(?:[\w.]+\s+){0,2}?(?:backend|api|server|service)\s+(?:signs|issues|mints)\b"
    r"|\b(?:build\w*|built|writ\w+|wrote|implement\w*|runn?\w*|host\w*)\s+(?:an?|our|my)\s+(?:own\s+)?"
    r"(?:oauth\s*2?(?:\.0)?|authori[sz]ation|openid(?: connect)?)\s+server\b"
    # "our in-house SSO", "a homegrown identity provider", "tokens for my own API"
    r"|\b(?:in[ -]house|home[ -]?grown|self[ -]built)\b[^.?!\n]{0,40}\b(?:sso|idp|identity provider|o?auth\w*|jwts?)\b"
    r"|\b(?:our|my) (?:oauth\s*2?(?:\.\d)?|authori[sz]ation|identity|openid(?: connect)?) server\b"
    r"|\bfor (?:an|our|my) internal (?:admin )?(?:api|service)\b"
    # "our in-house fork of an old helpdesk tool", "our home-made ticket tool"
    r"|\b(?:our|my) (?:in[ -]house|home[ -]?(?:grown|made)|self[ -]built) (?:fork|tool|app|system|(?:\w+ )?tool)\b"
    r"|\b(?:for|of|in|design\w*|build\w*) (?:my|our) own (?:public |internal |rest )?"
    r"(?:api|apis|backend|service|services|resource server)\b"
    # "the refresh tokens we issued", "scopes for our API", "the server (ours, Rust)", "our own PKCE check"
    r"|\bdesign\w* (?:the )?(?:scopes|tokens?|auth\w*) for (?:my|our) (?:own )?(?:public )?api\b"
    r"|\bserver \(ours\b|\b(?:my|our) own (?:pkce|token|jwt|oauth|login) (?:check|validation|flow|logic)\b"
    # "our company's internal OAuth server", "a CLI for our own platform"
    r"|\binternal (?:oauth\s*2?(?:\.0)?|identity|sso|openid(?: connect)?) (?:server|provider)\b"
    r"|\b(?:for|of|in) (?:my|our) own (?:platform|product|saas)\b"
    # ("we log customers in through our own SSO" may well want the chat widget to use it: only said outright)
    r"|\b(?:this|it) is (?:my|our) own (?:idp|identity provider|sso|server)\b"
    r"|\b(?:my|our) (?:own )?apis? (?:should|must|will|would) (?:return|respond)\b|\b(?:my|our) apis? checks? roles\b"
    # a SaaS of the user's own: "personal access tokens in our SaaS" ("our own chat UI" and "a multi-tenant
    # app" are as often built on LiveChat's APIs)
    r"|\b(?:in|for|of) our (?:own )?saas\b"
    # "we secure a couple of internal endpoints with Basic auth by hand"
    r"|\b(?:protect|secur)\w* (?:a couple of |a few |some |our |my |the )?(?:own |internal )"
    r"(?:endpoints?|routes?|apis?)\b"
)


def _products_named(
    text: str,
    lower: str,
    vocabulary: Vocabulary,
    livechat_hosts: list[str],
    knows: Callable[[str], bool] | None,
    *,
    auth: bool,
    foreign_secret: bool,
    livechat_talk: bool = False,
    failing: bool = False,
) -> tuple[str, ...]:
    """The other products (or kinds of authorization) a message is about: listed ones, unknown names before
    "API", "SDK" …, a heading, "their docs", Rocket.Chat's Livechat, the user's own server, auth in general."""
    others: tuple[str, ...] = ()
    if auth or foreign_secret:
        unheaded = _HEADER_NAME.sub(" ", text).lower().replace("-", " ")  # "X-API-Key" is no X API
        listed = set(term_pattern(tuple(vocabulary.other_platforms)).findall(unheaded))
        passing = _places(text) | _in_passing(lower)
        others = tuple(sorted(listed - passing))
        others = (
            others or tuple(name for name in unknown_products(text) if name.lower() not in passing)
            or (headed_by_unknown_name(text, knows) if knows else ())
            # "our self-hosted n8n calls the chat API with a PAT": where the code runs, when LiveChat's API is talked
            or (self_hosted_unknown_name(text, knows) if knows and not livechat_talk else ())
        )
        if foreign_secret or _THIRD_PARTY.search(text):
            others = others or ("another product",)
    if (_ROCKET_CHAT_API.search(text) or _ROCKET_CHAT_WIDGET.search(text)) and not livechat_hosts:
        others = ("Rocket.Chat", *others)  # its REST paths, headers and widget, even when the product isn't named
    if _OWN_SERVER.search(lower) or (_TOKENS_WE_ISSUE.search(lower) and not _CHAT_WINDOW.search(lower)):
        others = (*others, OWN_AUTH_SERVER)
    # (unless the user's own call fails, or the question is put to LiveChat: "Do yours?")
    if _GENERAL.search(lower) and not others and not failing and not _ASKS_LIVECHAT.search(lower):
        others = (GENERAL_PRACTICE,)  # a textbook question, unless LiveChat's own words or shapes say otherwise
    return others


def classify_topic(
    text: str,
    vocabulary: Vocabulary,
    signals: Signals,
    credentials: list[Credential],
    corrected_words: Iterable[str] = (),
    knows: Callable[[str], bool] | None = None,
) -> Topic:
    """`corrected_words` are the matcher's typo-corrected words, so "tokn" still counts as auth talk.
    `knows` tells the words this community uses (the matcher's); without it, no unknown name is judged."""
    lower = text.lower().replace("-", " ")  # "sign-in" and "sign in" are the same words here
    livechat_hosts = [h for h in signals.hosts if h.endswith(LIVECHAT_HOST_SUFFIXES)]
    strong = (
        bool(livechat_hosts)
        or any(c.kind in LIVECHAT_CREDENTIALS for c in credentials)
        or bool(term_pattern(tuple(vocabulary.livechat_terms), inflected=False).search(_VENUE.sub(" ", lower)))
        or bool(_REGION_PREFIX.search(text))
        or bool(_LIVECHAT_CLASS.search(text))
    )
    shared = bool(vocabulary.shared_livechat_terms) and bool(
        term_pattern(tuple(vocabulary.shared_livechat_terms), inflected=False).search(_BROWSER_CONSOLE.sub(" ", lower))
    )
    auth = about_authorization(text, lower, vocabulary, signals, credentials, corrected_words)
    foreign_secret = any(c.kind is CredentialKind.foreign_secret for c in credentials)
    others = _products_named(
        text, lower, vocabulary, livechat_hosts, knows, auth=auth, foreign_secret=foreign_secret,
        livechat_talk=any(s.startswith(("api.", "endpoint.", "credential.pat")) for s in signals.ids),
        failing=failing(signals),
    )
    migration = _MIGRATION.search(text)
    opening = _OPENING_API.match(text)
    if (
        opening and opening.group(1) in others and not livechat_hosts
        and not any(c.kind in LIVECHAT_CREDENTIALS for c in credentials)
    ):
        strong = False  # "ChatBot API: its token? Same as my LiveChat PAT?": the opening names the subject
    if _NOT_LIVECHAT.search(text) and not livechat_hosts:
        others, strong = others or ("another product",), False
    elif migration and not livechat_hosts:
        others, strong = (migration.group(1).rstrip(".,;:!?"),), False
    elif others and _LIVECHAT_ASIDE.search(text) and not livechat_hosts:
        strong = False  # "We also run LiveChat on another site, but this is the Helpwise account"
    elif others and _MOVED_AWAY.search(text) and not livechat_hosts:
        # "Crispchat: after moving from LiveChat, …": the product moved to is named, the question is its own
        strong = False
    elif others and strong and not livechat_hosts and _owns_livechat_word(text, others, credentials):
        strong = False  # "Rocket.Chat's Livechat API": the product named owns the word
    elif (
        others
        and (
            any(s.startswith(_LIVECHAT_SHAPES) and s not in _API_WORDS for s in signals.ids)
            or bool(signals.ids & AUTH_ERROR_TYPES)
        )
        and not foreign_secret
        and not _owns_livechat_word(text, others, credentials)
    ):
        # "our Django view gets exception_details=…": the framework is where the code runs. (API names that
        # are also plain words are no such shape: "Deskpro (the helpdesk we self-host)", "a portal where
        # agents see customer chats" describe the product named or the user's own app.)
        strong = True
    livechat = strong or (shared and not others)
    if not livechat and not others:
        # Nothing says LiveChat, and the API called is someone else's: "email + API token against
        # https://acme.kayako.io/api/v1/cases gives 403".
        others = tuple(dict.fromkeys(_foreign_api_hosts(text)))[:1]
    others = tuple(dict.fromkeys(_as_written(text, name) for name in others))
    # "We use LiveChat and Zendesk; our Zendesk calls fail": LiveChat is named, but every request shown
    # goes to another host, or the user says the LiveChat part works.
    called = [h.lower() for h in _REQUEST_HOST.findall(text) if not h.lower().endswith(LOCAL_HOSTS)]
    called_elsewhere = bool(called) and not any(h.endswith(LIVECHAT_HOST_SUFFIXES) for h in called)
    if called_elsewhere:
        others = others or (called[0],)
    # The request shown goes to the product named (its host), or to some other vendor's host while a
    # product is named ("Zylo Beacon API … POST https://auth.zylo.io/oauth/token").
    request_elsewhere = bool(others) and (
        (not livechat_hosts and (_hosts_of(others, signals.hosts) or called_elsewhere))
        or bool(_LIVECHAT_WORKS.search(lower))
        or any(_mentions(name, side) for name in others for side in _SIDE_FAILS.findall(lower))
    )
    return Topic(livechat=livechat and not request_elsewhere, auth=auth, other_platforms=others)


def _foreign_api_hosts(text: str) -> list[str]:
    """Hosts of API URLs (an `api.` host or an `/api/` path) that are neither LiveChat's nor local; not a
    redirect_uri's value, which is the user's own."""
    return [
        host for host, path in (
            ((m.group(1) or m.group(2)).lower(), m.group(3) or "") for m in _API_URL.finditer(text)
        )
        if (_API_HOST.match(host) or _API_PATH.match(path))
        and not host.endswith(LIVECHAT_HOST_SUFFIXES) and not host.endswith(LOCAL_HOSTS)
    ]


def _hosts_of(products: tuple[str, ...], hosts: list[str]) -> bool:
    """A URL of a product named (acme.zendesk.com for Zendesk, oauth2.googleapis.com for Google). Other URLs
    are the user's own (a localhost callback, their site in redirect_uri) and say nothing about whose API
    is called: "Google's OAuth accepts any port" next to http://localhost:8081/cb is still a LiveChat
    question."""
    names = {re.sub(r"[^a-z0-9.]", "", product.lower().split()[0]) for product in products}
    return any(name and name in host for name in names for host in hosts)


def _in_passing(lower: str) -> set[str]:
    """Products named only as where the user's data goes ("post a summary to Slack", "a Google Sheet per
    agent", "a Slack thread") or for comparison, never with their own API, OAuth or tokens."""
    return _named_only_as(_IN_PASSING, lower)


def _places(text: str) -> set[str]:
    """Code hosts named only as where code or docs live ("the library from github livechat/api-client-php",
    "a PR on github"), never with their own API, OAuth or tokens: not the product in question."""
    return _named_only_as(_CODE_HOST_AS_PLACE, text.lower())


def _named_only_as(pattern: re.Pattern[str], lower: str) -> set[str]:
    """The names `pattern` captures that appear nowhere else in `lower` (one capture group per match)."""
    counts = Counter(next(g for g in m.groups() if g) for m in pattern.finditer(lower))
    return {
        name for name, count in counts.items()
        if count >= len(re.findall(rf"(?<![a-z0-9]){re.escape(name)}(?![a-z0-9])", lower))
    }


def _mentions(product: str, word: str) -> bool:
    return word not in ("livechat", "the", "our", "my") and product.lower().split()[0].startswith(word)


def _owns_livechat_word(text: str, others: tuple[str, ...], credentials: list[Credential]) -> bool:
    """Another product's name right before "livechat" ("Rocket.Chat Livechat", "rocketchat's livechat API"),
    or anywhere when it is a product with its own Livechat and nothing LiveChat-shaped is pasted."""
    lower = text.lower()
    if any(name.lower().startswith(_LIVECHAT_NAMESAKES) for name in others) and not any(
        c.kind in LIVECHAT_CREDENTIALS for c in credentials
    ):
        return True
    return any(re.search(rf"{re.escape(name.lower())}(?:'s)?[\s:/-]{{1,3}}live\s?chat", lower) for name in others)


def _as_written(text: str, name: str) -> str:
    """A product as the user spelled it ("Stripe", "HubSpot"), not as the vocabulary lists it ("stripe")."""
    # "tawk" → "Tawk.to"; "next auth" → "next-auth" (the classifier reads hyphens as spaces)
    spelled = r"[\s-]".join(re.escape(word) for word in name.split(" "))
    found = re.search(spelled + r"(?:\.[a-z]{2,4}\b)?", text, re.IGNORECASE)
    return found.group(0) if found else name
