"""What a secret value looks like, and what harmless long strings look like. Pure functions, no regex spans.

Detectors ask two questions of a candidate value: "could this be a secret?" (`looks_random`) and "is this
a shape we know to be harmless?" (`is_safe_shape`). UUIDs (account, organization and entity ids), hex
strings (commit ids, client ids), words, paths and URLs are harmless; a credential is a run of mixed
letters and digits with no word structure. Entropy alone can't tell `deployment_pipeline_2024` from a
token, so word structure is checked first.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from functools import lru_cache

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
EMAIL = re.compile(r"^[^@\s:]+@[^@\s:]+\.[a-z]{2,}$", re.I)
_HEX = re.compile(r"^(?:0x)?[0-9a-f]+$", re.I)
_NUMBER = re.compile(r"^[0-9][0-9.,:_\-]*$|^\d{4}-\d{2}-\d{2}[T ][0-9:.]+(?:Z|[+\-]\d{2}:?\d{2})?$")
_HEX_GROUPS = re.compile(r"^[0-9a-f]+(?:-[0-9a-f]*)+$", re.I)  # a UUID cut short, a request id
# camelCase and PascalCase humps: "OAuth2LoginAuthenticationProvider" → O, Auth, 2, Login, …
_HUMP = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|[0-9]+")
_VERSION = re.compile(r"^v?\d+(?:\.\d+)+(?:[-+._a-z0-9]*)$", re.I)
_PLACEHOLDER = re.compile(
    r"^[<{\[$%]|^\*+$|^\.{3}|…|\.\.\.$"
    r"|(?i:redacted|your[_\-]|example|placeholder|changeme|dummy|insert[_\-]?here)"
)
_PLACEHOLDER_WORDS = re.compile(r"(?i:redacted|example|placeholder|changeme|dummy|insert[_\-]?here|your[_\-])")
_CONSTANT = re.compile(r"^[A-Z][A-Z0-9_]*$")
# An identifier made of words: `access_token_value`, `FAKE_test_agent_token_000001`, `myClientSecret`.
_WORD_PART = re.compile(r"^(?:[a-z]+|[A-Z][a-z]*|[A-Z]+)(?:[0-9]{1,4})?$|^[0-9]+(?:[a-z]{1,3})?$")
_CAMEL = re.compile(r"^[a-z]+(?:[A-Z][a-z]+)*$|^(?:[A-Z][a-z]+)+$")
_SEPARATORS = re.compile(r"[_\-/.+=~:]+")
_CODE_REFERENCE = re.compile(r"^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$")


def is_placeholder(value: str) -> bool:
    """`<ACCESS_TOKEN>`, `{token}`, `$TOKEN`, `ACCESS_TOKEN`, `xxxx`, `your_token` are not credentials.
    An upper-case name (`ACCESS_TOKEN`, `LIVECHAT_PAT2`) is a variable; an upper-case random run is not."""
    if _CONSTANT.match(value) and is_wordlike(value):
        return True
    return bool(_PLACEHOLDER.search(value)) or len(set(value)) <= 3 or _x_placeholder(value)


def _x_placeholder(value: str) -> bool:
    """`xxxx`, `xxx-xxx-xxx`, `abc123xxxx`; not `Xxx0BALK…`, a key that happens to start with x. Counted in
    Python: a regex for "x-run at the end" retries from every x of a 100 KB run of them."""
    lower = value.lower()
    head = len(lower) - len(lower.lstrip("x"))
    tail = len(lower) - len(lower.rstrip("x"))
    return (head >= 3 and (head == len(lower) or not lower[head].isalnum())) or tail >= 4


def real_part(value: str) -> str:
    """What is left of a value without the placeholder words glued to it: "dal:…0001REDACTED" is a token
    someone began to redact by hand, "your_token_here" is nothing."""
    return _PLACEHOLDER_WORDS.sub("", value)


def entropy(value: str) -> float:
    """Shannon entropy in bits per character."""
    counts = Counter(value)
    total = len(value)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _classes(value: str) -> int:
    return sum((any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value)))


@lru_cache(maxsize=4096)  # logs repeat the same path segments and identifiers line after line
def is_wordlike(value: str) -> bool:
    """Made of words (and maybe numbers) joined by separators or camelCase: an identifier, not a key."""
    parts = [p for p in _SEPARATORS.split(value) if p]
    if not parts:
        return True
    return all(_WORD_PART.match(p) or _CAMEL.match(p) or _reads_as_words(p) for p in parts)


def _reads_as_words(part: str) -> bool:
    """Long humps with vowels (`OAuth2LoginAuthenticationProvider`); random runs have short, vowel-poor humps."""
    humps = [h for h in _HUMP.findall(part) if h.isalpha()]
    capitals = [h for h in humps if h.isupper() and len(h) >= 4]
    if any(len(h) > 5 for h in capitals) or len(capitals) >= 2:
        # an acronym is short (HTTPS) and comes alone; "A0AKEICAJDAFBGHL", "…AKAIACJDEFBGHa",
        # "HAAABGabcdCDEAF0" and "CADEF0AaefAgAAAABcdaaahb" (two capital runs) are keys, not words
        return False
    letters = "".join(humps)
    if len(part) < 16 or len(humps) < 2 or len(letters) < len(part) * 0.7:
        return False  # short runs are judged by the other rules: too little to tell words from noise
    vowels = sum(c in "aeiouyAEIOUY" for c in letters)
    return len(letters) / len(humps) >= 4 and vowels >= len(letters) * 0.25


def is_safe_shape(value: str) -> bool:
    """Long strings that are never secrets: ids, hashes, numbers, versions, URLs, paths, plain words."""
    stripped = value.strip("\"'`.,;:()[]{}<>")
    return bool(
        UUID.match(stripped)
        or _HEX.match(stripped)
        or _HEX_GROUPS.match(stripped)
        or _NUMBER.match(stripped)
        or _VERSION.match(stripped)
        or EMAIL.match(stripped)
        or "://" in stripped
        or _CODE_REFERENCE.match(stripped)
        or stripped.isalpha()
        or is_wordlike(stripped)
    )


def looks_random(value: str, *, min_length: int = 12) -> bool:
    """A run that reads as random characters: mixed classes, no word structure, not a harmless shape."""
    if len(value) < min_length or is_placeholder(value) or is_safe_shape(value):
        return False
    if _classes(value) < 2:
        return False
    return entropy(value) >= min(3.0, math.log2(len(value)) - 0.5)


def plausible_secret_value(value: str, *, password: bool = False) -> bool:
    """A value given for a secret-named key (`client_secret=…`): anything but placeholders and prose."""
    if len(value) < 6 or is_placeholder(value) or "://" in value:
        return False
    if value.lower().startswith(("bearer", "basic")):
        return False
    if value.isdigit():
        return password and len(value) >= 6
    if value.isalpha():
        # `token: expired`, `secret: none`: words describe the secret, they aren't it; passwords can be words.
        return password or (len(value) >= 16 and not _CAMEL.match(value))
    if not password and sum(c.isdigit() for c in value) < 5 and is_wordlike(value):
        return False  # `"code": "token_unauthorized"`, `24-hour`, `v3.5`: identifiers and words, not secrets
    return not (_CODE_REFERENCE.match(value) or UUID.match(value))
