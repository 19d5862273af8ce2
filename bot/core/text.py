"""Step 0: make any input safe to work on — strip invisible characters, and read long pastes by their evidence.

A message longer than WINDOW characters (a log, a stack trace, an attached file) is condensed instead of
cut: its first lines (where people ask the question), its last lines (where the final error usually is),
and in between the lines that carry evidence — status codes, error bodies, exceptions, headers, OAuth
words, LiveChat hosts — each with its neighbours, up to the window. So a 401 near the end of 90 KB of log
is read, in bounded time: one regex pass over the text, then the engine on at most WINDOW characters.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from dataclasses import dataclass

import numpy as np

from bot.core.normalize import strip_invisible

#: The most we read (an attached log of 100 KB); beyond it a paste is cut, never rejected.
MAX_INPUT_CHARS = 100 * 1024  # 100 KiB, the same limit as text attachments
#: What the engine reads of one message; longer ones are condensed to their evidence (see above).
WINDOW = 4000
HEAD, TAIL = 1200, 700
GAP = "\n[…]\n"
# Words that mark a line as evidence. Substring tests (`in`, in C) on the lower-cased line: a regex with
# this many alternatives cost 35 ms on a 100 KB log, these cost about 3.
_EVIDENCE_WORDS = (
    "error", "exception", "traceback", "unauthori", "forbidden", "invalid", "denied", "expired", "revoked",
    "token", "oauth", "authoriz", "authoris", "bearer", "basic ", "grant", "scope", "secret", "client_id",
    "redirect", "livechat", "text.com", "accounts.", '"type"', "fail", "refused", "missing",
)
# No \b here: a leading \b stops the regex engine's fast scan for the first character (3.9 ms vs 1.2 ms
# on 100 KB); the boundaries are checked on the few matches instead.
_STATUS = re.compile(r"[45]\d\d")

# Control characters other than newline and tab (binary junk, terminal escapes).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


@dataclass(frozen=True)
class CleanText:
    text: str
    truncated: bool  # longer than MAX_INPUT_CHARS: the rest was not read
    original_length: int
    evidence_lines: int | None = None  # set when a long paste was condensed: lines kept from its middle


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
    if len(text) <= WINDOW:
        return CleanText(text, truncated, original_length)
    condensed, kept = condense(text)
    return CleanText(condensed, truncated, original_length, evidence_lines=kept)


def _lines_within(lines: list[str], budget: int, *, from_end: bool = False) -> int:
    """How many whole lines from the start (or the end) fit in `budget` characters (at least one)."""
    used = count = 0
    for line in reversed(lines) if from_end else lines:
        used += len(line) + 1
        if used > budget and count:
            break
        count += 1
    return count


def _is_status(text: str, start: int) -> bool:
    before = text[start - 1] if start else " "
    after = text[start + 3] if start + 3 < len(text) else " "
    return not (before.isalnum() or after.isalnum())


def _evidence_counts(lines: list[str]) -> list[int]:
    """Evidence words and status codes per line, found with str.find over the whole block (C speed)."""
    block = "\n".join(lines)
    lower = block.lower()
    if len(lower) != len(block):  # a few non-ASCII letters change length when lower-cased: go line by line
        return [
            sum(w in line.lower() for w in _EVIDENCE_WORDS)
            + any(_is_status(line, m.start()) for m in _STATUS.finditer(line))
            for line in lines
        ]
    starts = np.fromiter(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0), dtype=np.int64)
    positions = [m.start() for m in _STATUS.finditer(block) if _is_status(block, m.start())]
    for word in _EVIDENCE_WORDS:
        position = lower.find(word)
        while position != -1:
            positions.append(position)
            position = lower.find(word, position + len(word))
    line_of = np.searchsorted(starts, np.asarray(positions, dtype=np.int64), side="right") - 1
    return np.bincount(line_of, minlength=len(lines)).tolist()


def condense(text: str) -> tuple[str, int]:
    """Head, evidence lines from the middle (with neighbours, in order), tail; at most about WINDOW chars."""
    lines = text.split("\n")
    head = _lines_within(lines, HEAD)
    tail = _lines_within(lines[head:], TAIL, from_end=True)
    middle = lines[head : len(lines) - tail]
    hits = _evidence_counts(middle)
    scored = sorted(((hits[index], index) for index in range(len(middle))), key=lambda p: (-p[0], p[1]))
    budget = WINDOW - HEAD - TAIL - 2 * len(GAP)
    chosen: set[int] = set()
    for hits, index in scored:
        if hits == 0 or budget <= 0:
            break
        for neighbour in (index - 1, index, index + 1):  # a wrapped line's other half, the status line above
            if 0 <= neighbour < len(middle) and neighbour not in chosen and budget > 0:
                chosen.add(neighbour)
                budget -= min(len(middle[neighbour]), 400) + 1
    kept = [middle[i][:400] for i in sorted(chosen)]
    parts = ["\n".join(lines[:head])]
    if kept:
        parts.append("\n".join(kept))
    parts.append("\n".join(lines[len(lines) - tail :]))
    return GAP.join(part for part in parts if part), len(kept)
