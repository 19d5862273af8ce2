"""Step 0: one normaliser for every path that reads user text (engine, leak guard, log filter, store).

Attackers (and copy-paste accidents) hide a credential from a filter by changing how it is *written*, not
what it is: a zero-width space inside it, a fullwidth colon (`dal：`), Cyrillic look-alike letters, double
URL-encoding (`dal%253A…`), JSON or HTML escapes (`\\u003a`, `&#58;`), a shell line continuation, or a
terminal that wrapped it over three lines. `normalize()` undoes all of that and keeps, for every character
of its output, the offset of the character of the input it came from. Detectors read the normalised text;
redaction then replaces the matching span of the *original* text, so what people read stays readable.

The stages, in order: characters (NFKC, invisible characters dropped, look-alikes folded, control
characters to spaces) → escapes decoded → characters again → escapes again (twice covers `%253A`) →
characters → wrapped lines re-joined. Each stage is skipped when its quick test finds nothing to do, so an
ordinary ASCII chat message costs one regex search.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass

# Not all invisible characters are format (Cf) or marks (Mn/Me): Hangul fillers and the braille blank
# render as nothing too (python-discord/bot#1469 lists the ones filters meet).
_INVISIBLE_EXTRA = frozenset("\u115f\u1160\u3164\uffa0\u2800\u034f\u17b4\u17b5\u180e")
_DROP_CATEGORIES = frozenset({"Cf", "Mn", "Me", "Cs", "Co", "Cn"})

# Letters that look like Latin ones (Cyrillic, Greek, Armenian, IPA). NFKC already folds fullwidth and
# mathematical letters; these it leaves alone because they are different letters, not different forms.
_CONFUSABLES = str.maketrans(
    {
        **dict(zip("аеорсхуіјѕԁӏһԛԝɡкмнтвьѵ", "aeopcxyijsdlhqwgkmhtbbv", strict=True)),
        **dict(zip("АВЕКМНОРСТУХІЈЅԀ", "ABEKMHOPCTYXIJSD", strict=True)),
        **dict(zip("αοριυνκτχεςβ", "aopiuvktxesb", strict=True)),
        **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
        **dict(zip("օսոհ", "ounh", strict=True)),
    }
)
# Anything outside printable ASCII (plus newline and tab) needs the slow per-character path.
_SPECIAL = re.compile(r"[^\x20-\x7e\n\t]")
_ESCAPE = re.compile(
    r"(?:%[0-9A-Fa-f]{2})+"  # percent-encoding, a run at a time (UTF-8 sequences decode together)
    r"|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}|\\x[0-9A-Fa-f]{2}|\\/"  # JSON / JavaScript / Python escapes
    r"|&#[0-9]{1,7};?|&#[xX][0-9A-Fa-f]{1,6};?"  # numeric HTML entities
    r"|&(?:amp|quot|apos|lt|gt|colon|sol|equals|plus|percnt|period|lowbar|hyphen|num|bsol|excl);"
)
_PLAIN_WORD = re.compile(r"[a-z]+|[A-Z][a-z]*|[A-Z]+")
# A shell/Python line continuation: backslash, line break, the next line's indentation.
_CONTINUATION = re.compile(r"\\[ \t]*\n[ \t]*")
# A line break inside a token: token characters run into the break, and the next line is nothing but
# token characters up to a quote, a space or the end of the line. Terminals and chat clients wrap long
# tokens like this, over as many lines as it takes.
# `key=value` and `name:` lines are structure, not a wrapped tail, so `=` (except padding) and `:` stop it.
_WRAP = re.compile(
    r"(?<=[A-Za-z0-9_\-+/.~:]{4})[ \t]*\n(?=(?P<tail>[A-Za-z0-9_\-+/.~]{4,}={0,2})(?![A-Za-z0-9_\-+/.~=:%]))"
)


def _wrapped_tail(tail: str) -> bool:
    """A line holding one plain word (`Thanks`, `THANKS`, `thanks`) is prose, not the rest of a token."""
    return _PLAIN_WORD.fullmatch(tail) is None


@dataclass(frozen=True)
class Normalized:
    """The normalised text and, for each of its characters, where it came from in the original.

    `origin[i]` is the original offset of `text[i]`; `origin[len(text)]` is the original's length. `None`
    means the text is unchanged (the common case), so offsets map to themselves.
    """

    text: str
    origin: list[int] | None = None

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original text that produced `text[start:end]`."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end]


Step = tuple[str, list[int] | None]


def _characters(text: str) -> Step:
    """NFKC per character, invisible characters dropped, look-alikes folded, controls to spaces."""
    if not _SPECIAL.search(text):
        return text, None
    out: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _SPECIAL.finditer(text):
        index = match.start()
        if index > cursor:
            out.append(text[cursor:index])
            origin.extend(range(cursor, index))
        cursor = index + 1
        char = text[index]
        if char == "\r":
            if text.startswith("\n", index + 1):
                continue
            replacement = "\n"
        elif char < "\xa0" or char in "\u2028\u2029":
            replacement = "\n" if char in "\u2028\u2029\x85" else " "
        elif char in _INVISIBLE_EXTRA or unicodedata.category(char) in _DROP_CATEGORIES:
            continue
        else:
            replacement = unicodedata.normalize("NFKC", char).translate(_CONFUSABLES)
            # NFKC turns a few symbols into invisible or combining characters; drop those too.
            replacement = "".join(c for c in replacement if unicodedata.category(c) not in _DROP_CATEGORIES)
        out.append(replacement)
        origin.extend([index] * len(replacement))
    out.append(text[cursor:])
    origin.extend(range(cursor, len(text) + 1))
    return "".join(out), origin


def _decode_escape(escape: str) -> str:
    if escape.startswith("%"):
        raw = bytes(int(escape[i + 1 : i + 3], 16) for i in range(0, len(escape), 3))
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError:  # "%dal:…" is a percent sign before a token, not an escape
            return escape
    if escape.startswith("\\"):
        if escape == "\\/":
            return "/"
        try:
            return chr(int(escape[2:], 16))
        except (ValueError, OverflowError):
            return escape
    decoded = html.unescape(escape if escape.endswith(";") else escape + ";")
    return {"&colon;": ":", "&sol;": "/", "&equals;": "=", "&plus;": "+", "&percnt;": "%"}.get(decoded, decoded)


def _escapes(text: str) -> Step:
    if "%" not in text and "\\" not in text and "&" not in text:
        return text, None
    out: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in _ESCAPE.finditer(text):
        start, end = match.span()
        out.append(text[cursor:start])
        origin.extend(range(cursor, start))
        decoded = _decode_escape(match.group(0))
        out.append(decoded)
        if decoded == match.group(0):
            origin.extend(range(start, end))  # left as it was
        elif match.group(0).startswith("%") and len(decoded) * 3 == end - start:
            origin.extend(range(start, end, 3))  # one ASCII character per escape: keep exact offsets
        else:
            origin.extend([start] * len(decoded))
        cursor = end
    if cursor == 0:
        return text, None
    out.append(text[cursor:])
    origin.extend(range(cursor, len(text) + 1))
    return "".join(out), origin


def _joined_lines(text: str) -> Step:
    if "\n" not in text:
        return text, None
    joined, first = _remove(text, _CONTINUATION)
    rejoined, second = _remove(joined, _WRAP)
    return rejoined, _compose(first, second)


def _remove(text: str, pattern: re.Pattern[str]) -> Step:
    """Delete every match of `pattern`, keeping the offsets of what stays."""
    matches = [m for m in pattern.finditer(text) if pattern is not _WRAP or _wrapped_tail(m.group("tail"))]
    if not matches:
        return text, None
    out: list[str] = []
    origin: list[int] = []
    cursor = 0
    for match in matches:
        out.append(text[cursor : match.start()])
        origin.extend(range(cursor, match.start()))
        cursor = match.end()
    out.append(text[cursor:])
    origin.extend(range(cursor, len(text) + 1))
    return "".join(out), origin


def _compose(first: list[int] | None, second: list[int] | None) -> list[int] | None:
    """Offsets through two stages: `second` points into the output of `first`."""
    if first is None:
        return second
    if second is None:
        return first
    return [first[i] for i in second]


def normalize(raw: str) -> Normalized:
    """Undo every way of writing a credential differently; see the module docstring for the stages."""
    text, origin = raw, None
    for stage in (_characters, _escapes, _characters, _escapes, _characters, _joined_lines):
        text, step = stage(text)
        origin = _compose(origin, step)
    return Normalized(text, origin)


def strip_invisible(text: str) -> str:
    """For display text: drop what renders as nothing (format characters, fillers), keep everything else."""
    if not _SPECIAL.search(text):
        return text
    return "".join(
        c for c in text
        if c < "\xa0" or not (c in _INVISIBLE_EXTRA or unicodedata.category(c) in {"Cf", "Cs", "Co", "Cn"})
    )
