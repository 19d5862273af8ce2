"""Vocabulary terms as one regular expression: the topic decision's building block (bot/core/topic.py,
bot/core/auth_talk.py)."""

from __future__ import annotations

import re
from functools import lru_cache


@lru_cache(maxsize=8)
def term_pattern(terms: tuple[str, ...], *, inflected: bool = True) -> re.Pattern[str]:
    # Words of five letters or more also match their inflections (authorized, tokens, credentials); names
    # don't ("liveChatMessages" is YouTube's, not LiveChat).
    alternatives = "|".join(
        re.escape(t) + (r"[a-z0-9]*" if inflected and len(t) >= 5 and t[-1].isalpha() else "")
        for t in sorted((t.lower() for t in terms), key=len, reverse=True)
    )
    return re.compile(rf"(?<![a-z0-9])(?:{alternatives})(?![a-z0-9])")
