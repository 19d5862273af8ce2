"""Names of other products in a message: capitalised names before "API", "SDK", "OAuth" …, a brand with
inner capitals before its "live chat", a vendor known only by its host, the tool the user says they use, and
a heading whose name nobody in this community uses. The topic decision (bot/core/topic.py) asks these;
LiveChat's own names and generic words never count.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.tokens import STOP_WORDS

LIVECHAT_HOST_SUFFIXES = ("livechat.com", "livechatinc.com", "helpdesk.com", "text.com")
LOCAL_HOSTS = ("localhost", "127.0.0.1", "example.com", "example.org")

# A product nobody listed: a capitalised name right before "API", "SDK", "OAuth" … ("Xero API", "Tawk.to
# widget", "QuickBooks OAuth2"). Names that are LiveChat's own, or generic words, don't count.
_PRODUCT = re.compile(
    r"(?<![\w.])((?:[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)*|[A-Z]{2,}[a-z]*)(?:[.\-][A-Za-z0-9]+)?(?: [A-Z][a-z]+)?"
    r"(?: Live Chat)?)"
    # "LiveAgent (the helpdesk from …) API", "Shopware 6 integration"
    r"(?:'s)?(?:\s*\([^()\n]{1,60}\))?(?: v?\d+(?:\.\d+)*)?\s+"
    r"(?:(?:REST |Web |Partner |Developer |Admin )?(?:APIs?|SDK|OAuth2?|Oauth|app|webhooks?|integration|"
    r"widget|sandbox|portal|API key|connector|plugin|[Dd]ev(?:eloper)? [Cc]onsole|skill)\b)"
)
# A vendor known only by its host: "the app.helpwise.io OAuth", "api.acme.dev API".
_HOST_PRODUCT = re.compile(
    r"(?<![\w./@-])((?:[a-z0-9-]+\.)+(?:io|com|net|app|dev|co|ai|org|so|chat))\s+(?:APIs?|SDK|OAuth2?|Oauth|portal)\b"
)
_NOT_PRODUCTS = frozenset(
    "livechat text helpdesk chatbot knowledgebase customer agent configuration reports report global accounts "
    "account chat web rest rtm messaging management public private open new old our my your the this that "
    "their its any some every same other another which what why how when where if is does can could should hi "
    "hello hey thanks javascript js python node go golang php java kotlin swift ruby react native android ios "
    "mobile visitor widget webhook webhooks sign login developer console partner platform marketplace admin dev "
    "test staging production sandbox oauth oauth2 basic bearer access refresh pat personal bot token identity "
    "cookie implicit pkce authorization authentication internal external third my graphql http json api sdk "
    "client server v2 v3 v1 app apps mcp cli url json also and but or so then please help invalid valid expired "
    "revoked wrong missing bad broken same unknown official custom generic simple main legacy current latest "
    "beta docs documentation example sample demo default chrome firefox safari edge browser typescript github "
    "gitlab bitbucket powershell postgresql mysql mongodb nodejs nextjs nextauth openid okhttp httpclient "
    "restsharp swiftui androidx intellij vscode devtools postman insomnia chatgpt live one two three four five "
    "first second quick short few several multiple various both general basic standard spring django flask "
    "laravel rails express nestjs symfony dotnet asp fastapi sinatra svelte vue angular nuxt gatsby expo "
    "flutter electron ionic cordova unity rn spa pwa".split()
)

# "keap / infusionsoft: …", "Exact Online — …", "particle cloud (CLI): …": a name heading the message.
_HEADING = re.compile(
    r"\A\W{0,3}([A-Za-z][\w.\-]*(?:[ /]+[A-Za-z][\w.\-]*){0,2}?)(?:\s*\([^)\n]{0,40}\))?\s*(?::\s|—|–|\s-\s)"
    # … or opening with the name and its API: "cliniko api returns 401"
    r"|\A\W{0,3}([A-Za-z][\w.\-]*(?: [A-Za-z][\w.\-]*)?)\s+(?:(?:rest|web|public|json) )?(?:api|oauth2?|sdk)\b",
    re.IGNORECASE,
)
_GENERIC_HEADINGS = frozenset(
    "question questions issue problem context update edit bug help note error warning info debug setup summary "
    "background tldr tl;dr ps fyi"
    # what the user is building: "Side project:", "Hobby project:", "Internal tool —"
    " project script tool prototype poc".split()
)


def headed_by_unknown_name(text: str, knows: Callable[[str], bool]) -> tuple[str, ...]:
    """A message headed by a name none of LiveChat's knowledge or answered messages use: that product's
    question. Short words, snake_case ids, LiveChat's own and generic headings ("Question:") are not names."""
    heading = _HEADING.match(text)
    if heading is None:
        return ()
    name = heading.group(1) or heading.group(2)
    first = re.split(r"[ /]", name)[0]
    parts = re.split(r"[\s/\-]+", name)
    if (
        len(first) < 3 or "_" in first or _livechat_own(name)
        or not _GENERIC_HEADINGS.isdisjoint(name.lower().split()) or knows(first)
        # "classic me:", "URGENT-ish:": a remark, not a name
        or any(p.lower() in STOP_WORDS or (len(p) > 1 and p.isupper()) for p in parts)
    ):
        return ()
    return (name,)



# "a self-hosted zulnex instance", "self hosted papercups on fly.io": the tool the user runs, by name.
_SELF_HOSTED = re.compile(r"\bself[ -]hosted ([a-z][\w.\-]{2,})\b", re.IGNORECASE)
_HOSTED_THINGS = frozenset("instance version server setup install installation copy build one deployment".split())


def self_hosted_unknown_name(text: str, knows: Callable[[str], bool]) -> tuple[str, ...]:
    """A self-hosted tool named with a word nobody in this community uses: that tool's question."""
    for match in _SELF_HOSTED.finditer(text):
        name = match.group(1)
        lower = name.lower()
        if lower in _HOSTED_THINGS or lower in _NOT_PRODUCTS or _livechat_own(name) or knows(lower):
            continue
        return (name,)
    return ()


def unknown_products(text: str) -> tuple[str, ...]:
    """Capitalised names before "API", "SDK", "OAuth" … that are neither LiveChat's nor generic words.
    A plain capitalised word that opens a sentence before a weak noun ("Kiosk app:", "Browser-only app")
    describes the user's own app; a name with inner capitals, digits or a dot ("HubSpot app", "Tawk.to
    widget") or one before API/SDK/OAuth is still a product there."""
    names = {
        match.group(1)
        for pattern in (_BRAND, _OUR_TOOL, _HOST_PRODUCT, _INTEGRATED_WITH)
        for match in pattern.finditer(text)
        if (match.group(1)[0].isupper() or pattern is _HOST_PRODUCT)
        and not (named_livechat(match.group(1)) if pattern is _OUR_TOOL else _livechat_own(match.group(1)))
        and not (pattern is _INTEGRATED_WITH and named_livechat(match.group(1)))
    }
    for match in _PRODUCT.finditer(text):
        name = match.group(1)
        if _livechat_own(name):
            continue
        opens = _opens_sentence(text, match.start(1)) and _PLAIN_WORD.fullmatch(name)
        if _DESCRIPTIVE.fullmatch(name) or (opens and not _STRONG_NOUN.match(text, match.end(1))):
            continue
        names.add(name)
    return tuple(sorted(names))


_PLAIN_WORD = re.compile(r"[A-Z][a-z]+")
_DESCRIPTIVE = re.compile(r"[A-Z][a-z]+-[a-z]+")  # "Server-side", "Browser-only"
# A brand written with inner capitals ("PayTrail", "SalesIQ") before words that make it the product in
# question: its JWT or auth flow, its "live chat", its developer portal.
_BRAND = re.compile(
    r"(?<![\w.])((?:[A-Z][a-z]+ )?[A-Z][a-z]+[A-Z][A-Za-z]*)(?:'s)?\s+"
    r"(?:JWT|auth(?:entication)?\b|[Ll]ive [Cc]hat|dev(?:eloper)? portal)"
)
# "Has anyone integrated with Plinkdesk?": the product someone integrates with.
# ("our integration with WordPress sends the PAT…" names where LiveChat's plugin runs)
_INTEGRATED_WITH = re.compile(
    r"\b(?i:has|have) (?i:anyone|anybody|you|someone)(?: here)?(?: ever)? integrated with "
    r"([A-Z][\w.\-]+(?: [A-Z][\w.\-]+)?)"
)
# "our help desk is Kayako", "the CRM we use is Pipeliner": the user names their tool.
_OUR_TOOL = re.compile(
    r"\b(?:our|my|the)\s+(?:help\s?desk|live chat|chat (?:tool|vendor|provider)|crm|ticketing(?: system| tool)?"
    r"|support (?:tool|platform|software))(?: (?:we|i) use)?\s+(?:is|=)\s+(?:an? )?(?:self[ -]hosted |open[ -]source )?"
    r"[\"“']?([A-Z][\w.\-]+(?: [A-Z][\w.\-]+){0,2})",
    re.IGNORECASE,
)
_STRONG_NOUN = re.compile(
    r"(?:'s)?(?:\s*\([^()\n]{1,60}\))?\s+"
    r"(?:(?:REST |Web |Partner |Developer |Admin )?(?:APIs?|SDK|OAuth2?|Oauth|API key)\b)"
)



def named_livechat(name: str) -> bool:
    """The tool the user says they use is LiveChat (or its HelpDesk) itself."""
    return name.lower().replace(" ", "").startswith(("livechat", "helpdesk", "text"))


def _livechat_own(name: str) -> bool:
    """LiveChat's own names and generic words ("HelpDesk", "LiveChat", "Customer", "JavaScript")."""
    lower = name.lower()
    own_host = lower.endswith(LIVECHAT_HOST_SUFFIXES) or lower.endswith(LOCAL_HOSTS)
    if name.startswith("ChatBot"):
        return False  # ChatBot.com, the sister product with its own API (a "chatbot" is anybody's)
    first = re.split(r"[\s\-]", lower)[0]  # "JavaScript-type app" is a JavaScript app
    # "Next.js", "Vue.js", "Node.js": the framework, written with its ".js"
    spellings = {first, first.replace(".", ""), re.sub(r"\.?js$", "", first)}
    return not spellings.isdisjoint(_NOT_PRODUCTS) or lower.startswith(("livechat", "live chat")) or own_host


def _opens_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(" \t\"'`*(")
    return not before or before[-1] in ".!?:\n"
