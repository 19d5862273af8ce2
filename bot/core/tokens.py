"""Word-level text handling shared by the index and the query: tokenising, stop words, light stemming."""

from __future__ import annotations

import re
from functools import lru_cache

_WORD = re.compile(r"[a-z0-9][a-z0-9_%]*")
_FENCE = re.compile(r"```.*?(?:```|$)", re.S)
_REDACTED = re.compile(r"\[[a-z-]+ [^\]\s]*…[^\]\s]*\]")

STOP_WORDS = frozenset(
    """
    a an and are as at be been but by can could did do does doing done for from gets got had has have
    having he her here hey hi hello i i'm im if in into is it its it's just me my myself no not of on or our
    out so some than that the their them then there these they this those to too very was we were what when
    while who will with would you your yours am also any anyone all again about after before
    been being both each few further more most other own same should such only ok okay pls please thanks
    thank lol guys folks hello anybody someone somebody really still now yet us let know help want
    need trying try tried one ive i've im dont don't doesnt doesn't cant can't wont won't isnt isn't
    """.split()
)


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Tiny suffix stripper: enough to meet 'tokens'/'token', 'expired'/'expires', 'creating'/'create'."""
    if len(word) <= 3 or not word.isalpha():
        return word
    for suffix, replacement in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3 and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            break
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


def words(text: str) -> list[str]:
    """Lower-case word tokens, stop words dropped, stemmed."""
    return [stem(w) for w in _WORD.findall(text.lower()) if w not in STOP_WORDS]


def split_prose(text: str) -> tuple[str, str]:
    """(prose, code): what the user wrote around fenced blocks, and the blocks themselves."""
    code = "\n".join(_FENCE.findall(text))
    prose = _FENCE.sub(" ", text)
    return prose, code


def without_redactions(text: str, replacement: str = " ") -> str:
    """Replace `[kind prefix…tail]` markers so redacted secrets do not look like words (or, in text that is
    kept, such as a proposed phrasing, leave not even the marker's few characters of the secret)."""
    return _REDACTED.sub(replacement, text)
