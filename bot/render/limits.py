"""Discord's size limits and the two operations every renderer needs to stay inside them.

Exceeding any of these gets a `400 Invalid Form Body` from Discord, so renderers never build a
string without passing it through `truncate` or `pack`.
"""

from __future__ import annotations

from collections.abc import Iterable

CONTENT = 2000
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELDS = 25
FIELD_NAME = 256
FIELD_VALUE = 1024
FOOTER = 2048
EMBED_TOTAL = 6000  # across all embeds of one message
CHOICES = 25  # autocomplete choices and select options
CHOICE_NAME = 100  # autocomplete choice name, select option label/description
BUTTON_LABEL = 80
CUSTOM_ID = 100
MODAL_TITLE = 45
COMMAND_NAME = 32
COMMAND_DESCRIPTION = 100

ELLIPSIS = "…"


def truncate(text: str, limit: int, marker: str = ELLIPSIS) -> str:
    """`text` cut to at most `limit` characters, with `marker` showing where it was cut."""
    if len(text) <= limit:
        return text
    return text[: max(limit - len(marker), 0)].rstrip() + marker[:limit]


def split_hard(text: str, limit: int) -> list[str]:
    """Split at line breaks where possible, inside a line only when the line itself is too long."""
    chunks: list[str] = []
    current = ""
    for line in text.split("\n"):
        while len(line) > limit:
            if current:
                chunks.append(current)
                current = ""
            chunks.append(line[:limit])
            line = line[limit:]
        candidate = f"{current}\n{line}" if current else line
        if len(candidate) > limit:
            chunks.append(current)
            current = line
        else:
            current = candidate
    if current or not chunks:
        chunks.append(current)
    return chunks


def pack(pieces: Iterable[str], limit: int, separator: str = "\n") -> list[str]:
    """Join pieces greedily into pages of at most `limit` characters; never split a piece that fits."""
    pages: list[str] = []
    current = ""
    for piece in pieces:
        for part in split_hard(piece, limit) if len(piece) > limit else [piece]:
            candidate = f"{current}{separator}{part}" if current else part
            if len(candidate) <= limit:
                current = candidate
                continue
            pages.append(current)
            current = part
    if current:
        pages.append(current)
    return [page.strip("\n") for page in pages]
