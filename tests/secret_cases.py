"""A generator of leaked credentials: every secret kind × every encoding × every context a paste puts it in.

Used by the property tests (hypothesis strategies at the bottom) and, through `sample_cases()`, by the
slower end-to-end tests (subprocess, Discord) that can afford only a few dozen cases. The claim under test:
no 10-character piece of the secret reaches any output (`leaked_pieces`).

Secrets are random (realistic credentials are) and fake; the account id is the all-zero test UUID's shape.
"""

from __future__ import annotations

import base64
import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st

from bot.core.normalize import normalize

ACCOUNT_ID = "0f1e2d3c-4b5a-4969-8877-665544332211"
_B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
_PLAIN_WORD = re.compile(r"[a-z]+|[A-Z][a-z]*|[A-Z]+")


@dataclass(frozen=True)
class Secret:
    family: str  # region-token, refresh, client-secret, jwt, pat-pair
    value: str  # the secret as the API would receive it
    region: str | None = None

    @property
    def canonical(self) -> str:
        """The secret part: a region prefix (`dal:`) is public and may be shown."""
        head, sep, tail = self.value.partition(":")
        return tail if sep and self.family != "jwt" and len(head) <= 9 else self.value


def _realistic(body: str) -> bool:
    """Credentials are random: at least two character classes and a digit, never one plain word."""
    classes = sum((any(c.islower() for c in body), any(c.isupper() for c in body), any(c.isdigit() for c in body)))
    variety = 0.8 if len(body) <= 16 else 0.6
    return classes >= 2 and any(c.isdigit() for c in body) and len(set(body)) >= len(body) * variety


def random_body(rng: random.Random, length: int, extra: str = "") -> str:
    # Under 16 characters, `-` and `_` would let a random value read as an identifier (`AA-Aab_BC0`), which
    # no detector can tell from one; short real secrets are alphanumeric.
    alphabet = (_B64URL if length >= 16 else _B64URL[:62]) + extra
    while True:
        body = "".join(rng.choice(alphabet) for _ in range(length))
        if _realistic(body) and body[-1] not in ".~+/" and body[0] not in ".~+/-":
            return body


def make_secret(rng: random.Random, family: str) -> Secret:
    if family == "region-token":
        region = rng.choice(["dal", "fra", "fra-a", "fra-b"])
        return Secret(family, f"{region}:{random_body(rng, rng.randint(22, 32), rng.choice(['', '.~+/']))}", region)
    if family == "unknown-region":
        region = rng.choice(["us-south1", "sgp", "eu-west2", "syd-b"])
        return Secret(family, f"{region}:{random_body(rng, rng.randint(10, 14))}", region)
    if family == "refresh":
        return Secret(family, random_body(rng, rng.randint(24, 32)))
    if family == "client-secret":
        return Secret(family, random_body(rng, rng.randint(10, 16)))
    if family == "jwt":
        parts = [
            base64.urlsafe_b64encode(b'{"alg":"RS256","typ":"JWT"}').decode().rstrip("="),
            "eyJ" + random_body(rng, rng.randint(30, 60)),
            random_body(rng, 43),
        ]
        return Secret(family, ".".join(parts))
    if family == "pat-pair":
        return Secret(family, f"{rng.choice(['dal', 'fra'])}:{random_body(rng, 27)}", None)
    raise ValueError(family)


FAMILIES = ("region-token", "unknown-region", "refresh", "client-secret", "jwt", "pat-pair")

# -- encodings: how the secret is written -----------------------------------------------------------------

INVISIBLE = ["\u200b", "\u200d", "\u2060", "\u2063", "\ufeff", "\u00ad", "\u180e", "\U000e0041", "\u034f",
             "\u115f", "\u3164", "\u2800", "\u202e", "\ufe0f"]


def _invisible(value: str, rng: random.Random) -> str:
    chars = list(value)
    for _ in range(rng.randint(1, 4)):
        chars.insert(rng.randint(1, len(chars) - 1), rng.choice(INVISIBLE))
    return "".join(chars)


def _colon(replacement: str) -> Callable[[str, random.Random], str]:
    return lambda value, rng: value.replace(":", replacement, 1)


def _percent_all(value: str, rng: random.Random) -> str:
    return "".join(f"%{ord(c):02X}" if not c.isalnum() or rng.random() < 0.3 else c for c in value)


def _json_escapes(value: str, rng: random.Random) -> str:
    return "".join(f"\\u{ord(c):04x}" if c in ":/+" or rng.random() < 0.2 else c for c in value)


def _html_entities(value: str, rng: random.Random) -> str:
    return "".join(f"&#{ord(c)};" if c == ":" or rng.random() < 0.15 else c for c in value)


def _upper_region(value: str, rng: random.Random) -> str:
    head, sep, tail = value.partition(":")
    return f"{head.upper()}{sep}{tail}" if sep and len(head) <= 9 else value


def _cyrillic(value: str, rng: random.Random) -> str:
    head, sep, tail = value.partition(":")
    if not sep or len(head) > 9:
        return value
    return head.replace("a", "\u0430").replace("e", "\u0435").replace("d", "\u0501") + sep + tail


def _fullwidth(value: str, rng: random.Random) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" and rng.random() < 0.5 else c for c in value)


def _wrapped(value: str, rng: random.Random) -> str:
    """A terminal or chat client wrapping the token over three or more lines."""
    width = max(10, len(value) // rng.randint(3, 4))
    lines = [value[i : i + width] for i in range(0, len(value), width)]
    if len(lines) > 1 and len(lines[-1]) < 4:
        lines[-2:] = [lines[-2] + lines[-1]]
    if any(_PLAIN_WORD.fullmatch(line) for line in lines[1:]):
        return value  # a line holding one plain word is prose, not a wrapped token
    return "\n".join(lines)


def _continuation(value: str, rng: random.Random) -> str:
    cut = rng.randint(4, len(value) - 4)
    return value[:cut] + "\\\n    " + value[cut:]


ENCODINGS: dict[str, Callable[[str, random.Random], str]] = {
    "plain": lambda value, rng: value,
    "invisible": _invisible,
    "fullwidth-colon": _colon("\uff1a"),
    "fullwidth": _fullwidth,
    "percent": _colon("%3A"),
    "double-percent": _colon("%253A"),
    "percent-all": _percent_all,
    "json-escape-lower": _colon("\\u003a"),
    "json-escape-upper": _colon("\\u003A"),
    "json-escapes": _json_escapes,
    "html-decimal": _colon("&#58;"),
    "html-hex": _colon("&#x3a;"),
    "html-entities": _html_entities,
    "upper-region": _upper_region,
    "cyrillic-region": _cyrillic,
    "wrapped": _wrapped,
    "continuation": _continuation,
}

# -- contexts: where the secret sits ---------------------------------------------------------------------

Context = Callable[[str, Secret], str]


def _basic_b64(secret: Secret) -> str:
    return base64.b64encode(f"{ACCOUNT_ID}:{secret.value}".encode()).decode()


CONTEXTS: dict[str, Context] = {
    "bearer-header": lambda v, s: f"curl -H 'Authorization: Bearer {v}' https://api.livechatinc.com/v3.5/agent/action/list_chats",
    "json-access-token": lambda v, s: f'{{"access_token": "{v}", "token_type": "Bearer", "expires_in": 28800}}',
    "json-refresh": lambda v, s: f'got this back:\n{{\n  "refresh_token": "{v}",\n  "scope": "chats--all:ro"\n}}',
    "yaml": lambda v, s: f"livechat:\n  client_id: 9cbf3a968289727cb3cdfe83ab1d9836\n  client_secret: {v}\n",
    "dotenv": lambda v, s: f"LIVECHAT_CLIENT_ID=abc\nLIVECHAT_ACCESS_TOKEN={v}\nDEBUG=1",
    "form-body": lambda v, s: f"curl -d 'grant_type=refresh_token&refresh_token={v}&client_id=abc' https://accounts.livechat.com/v2/token",
    "code-query": lambda v, s: f"redirected to https://app.example.com/callback?code={v}&state=xyz then 401",
    "token-fragment": lambda v, s: f"https://app.example.com/cb#access_token={v}&token_type=Bearer&expires_in=28800",
    "token-colon": lambda v, s: f"token: {v}\nand the API says invalid",
    "cookie": lambda v, s: f"Cookie: __lc_cid=1a2b; __lc_cst={v}; Path=/v2/customer",
    "api-key-header": lambda v, s: f"-H 'X-Api-Key: {v}' -H 'Accept: application/json'",
    "kwarg": lambda v, s: f"client = Client(client_secret=\"{v}\", region='dal')",
    "prose-pat": lambda v, s: f"here is my pat {v} can someone check why it fails",
    "prose-refresh": lambda v, s: f"my refresh token is {v} and it says invalid_grant",
    "prose-secret": lambda v, s: f"the secret -> {v} (copied from the console)",
    "markdown-code": lambda v, s: f"```python\nheaders = {{'Authorization': 'Bearer {v}'}}\n```",
    "curl-user": lambda v, s: f"curl -u {ACCOUNT_ID}:{v} https://api.livechatinc.com/v3.5/configuration/action/list_bots",
    "url-userinfo": lambda v, s: f"fetch('https://{ACCOUNT_ID}:{v}@api.livechatinc.com/v3.5/agent/action/list_chats')",
    "httpbasicauth": lambda v, s: f"requests.get(url, auth=HTTPBasicAuth('{ACCOUNT_ID}', '{v}'))",
    "auth-tuple": lambda v, s: f"r = requests.post(url, json=body, auth=('{ACCOUNT_ID}', '{v}'))",
    "btoa": lambda v, s: f"const basic = btoa('{ACCOUNT_ID}:{v}');",
    "basic-header": lambda v, s: f"Authorization: Basic {_basic_b64(s)}",
    "bare-basic": lambda v, s: f"the header value I send is {_basic_b64(s)} and it 401s",
}
# Contexts that carry the secret as-is, not re-encoded (a base64 value is its own encoding).
WHOLE_VALUE_CONTEXTS = frozenset({"basic-header", "bare-basic"})
# Contexts where only the account id is the username, so only a PAT belongs there.
PAIR_CONTEXTS = frozenset({"curl-user", "url-userinfo", "httpbasicauth", "auth-tuple", "btoa", "basic-header",
                           "bare-basic"})


@dataclass(frozen=True)
class Case:
    secret: Secret
    context: str
    encoding: str
    text: str

    def __str__(self) -> str:  # never the secret itself: test ids and reports show the recipe only
        return f"{self.secret.family}/{self.encoding}/{self.context}"


def build_case(rng: random.Random, family: str, context: str, encoding: str, prefix: str, suffix: str) -> Case:
    secret = make_secret(rng, family)
    written = secret.value if context in WHOLE_VALUE_CONTEXTS else ENCODINGS[encoding](secret.value, rng)
    return Case(secret, context, encoding, f"{prefix}{CONTEXTS[context](written, secret)}{suffix}")


def secret_forms(secret: Secret) -> list[str]:
    """The secret as it can appear: itself, and for a PAT the part of its Basic value that encodes it
    (base64 of the 36-character account id and the colon fills the first 48 characters)."""
    forms = [secret.canonical]
    if secret.family == "pat-pair":
        forms.append(_basic_b64(secret)[48:])
    return forms


def leaked_pieces(secret: Secret, output: str, width: int = 10) -> list[str]:
    """Every `width`-character piece of the secret found in `output`, as written or once normalised."""
    seen = {output, normalize(output).text}
    return [
        form[i : i + width]
        for form in secret_forms(secret)
        for i in range(len(form) - width + 1)
        if any(form[i : i + width] in s for s in seen)
    ]


# -- hypothesis ------------------------------------------------------------------------------------------

_PROSE = st.sampled_from([
    "", "hey all, ", "getting 401 with this:\n", "Hi! Our integration broke overnight.\n\n",
    "quick q — ", "```\n", "> ", "logs:\n[2026-11-30 10:00:01] INFO start\n",
])
_TAIL = st.sampled_from(["", "\nthanks!", " ???", "\n```", "\n\nany idea what's wrong?", " (prod)"])


@st.composite
def cases(draw: st.DrawFn) -> Case:
    family = draw(st.sampled_from(FAMILIES))
    contexts = sorted(CONTEXTS) if family == "pat-pair" else sorted(set(CONTEXTS) - PAIR_CONTEXTS)
    context = draw(st.sampled_from(contexts))
    encoding = draw(st.sampled_from(sorted(ENCODINGS)))
    rng = draw(st.randoms(use_true_random=False))
    return build_case(rng, family, context, encoding, draw(_PROSE), draw(_TAIL))


def sample_cases(count: int, seed: int = 9) -> list[Case]:
    """A fixed, varied sample for end-to-end tests: contexts and encodings rotate so each appears."""
    rng = random.Random(seed)
    contexts, encodings = sorted(CONTEXTS), sorted(ENCODINGS)
    out = []
    for i in range(count):
        context = contexts[i % len(contexts)]
        family = "pat-pair" if context in PAIR_CONTEXTS else FAMILIES[i % (len(FAMILIES) - 1)]
        out.append(build_case(rng, family, context, encodings[(i * 7) % len(encodings)], "help: ", "\nthanks"))
    return out
