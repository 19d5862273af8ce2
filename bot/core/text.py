"""Step 0: make any input safe to work on — strip invisible characters and cut it to Discord's limit."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.core.normalize import strip_invisible

#: Discord's message limit for Nitro users; longer pastes are cut, never rejected.
MAX_INPUT_CHARS = 4000

# Control characters other than newline and tab (binary junk, terminal escapes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CleanText:
    text: str
    truncated: bool
    original_length: int


def clean(raw: str | bytes) -> CleanText:
    """Normalise user input: decode bytes, drop invisible and control characters, cut to the limit."""
    if isinstance(raw, bytes):
        raw = raw.decode("utf-8", errors="replace")
    text = unicodedata.normalize("NFKC", raw)
    text = strip_invisible(text)  # the normaliser's list: every format character and filler
    text = _CONTROL.sub(" ", text).replace("\r\n", "\n").replace("\r", "\n")
    original_length = len(text)
    truncated = original_length > MAX_INPUT_CHARS
    if truncated:
        text = text[:MAX_INPUT_CHARS]
    return CleanText(text, truncated, original_length)
