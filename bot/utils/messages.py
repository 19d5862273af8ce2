"""Reading a message reference a moderator typed: a message link, or a bare id in this channel."""

from __future__ import annotations

import re
from dataclasses import dataclass

LINK = re.compile(
    r"https?://(?:(?:ptb|canary)\.)?discord(?:app)?\.com/channels/(?P<guild>\d+|@me)/(?P<channel>\d+)/(?P<message>\d+)"
)
BARE_ID = re.compile(r"\d{15,21}")


@dataclass(frozen=True)
class MessageRef:
    message_id: int
    channel_id: int | None = None  # None: the channel the command was used in
    guild_id: int | None = None


def parse_message_ref(text: str) -> MessageRef | None:
    text = text.strip().strip("<>")  # Discord wraps links in <> when embeds are suppressed
    if match := LINK.fullmatch(text):
        guild = match["guild"]
        return MessageRef(int(match["message"]), int(match["channel"]), None if guild == "@me" else int(guild))
    if BARE_ID.fullmatch(text):
        return MessageRef(int(text))
    return None
