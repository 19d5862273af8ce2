"""Fake credentials shaped like real ones, and the check that none of them came back out.

"Came back out" is judged on pieces, not the whole value: a notice that quotes 10 characters of a
token in a row has leaked enough of it to matter, even if the whole value never appears. The check
reads every output the bot has: the body of every request it made (messages, DMs, edits, channel
and thread renames — including messages it later deleted), the messages it authored as the simulated
backend stores them, and the captured log text.
"""

from __future__ import annotations

import base64

import pytest

#: An agent access token: region prefix + 27 base64url characters, as LiveChat issues them.
TOKEN = "dal:" + "Vq3xN8bZk_2LmT0wRfY-7hJcPsA"
#: A Personal Access Token and the Basic value an app sends it in: base64("<account id>:<PAT>").
ACCOUNT_ID = "b7eff798-f8df-4364-8059-649c35c9ed0c"
PAT = "dal:" + "hZ2mW8qLx_T5vN0cRbY-3kJsPdE"
BASIC = base64.b64encode(f"{ACCOUNT_ID}:{PAT}".encode()).decode()

PIECE = 10


def pieces(secret: str, size: int = PIECE) -> set[str]:
    return {secret[i : i + size] for i in range(len(secret) - size + 1)}


def bot_outputs(world) -> list[tuple[str, str]]:
    """(where, text) for everything the bot produced in the simulated Discord."""
    backend = world.env.backend
    outputs = [(f"{r.method} {r.path}", repr(r.json) + repr(r.params)) for r in world.env.http_requests]
    for channel_id, messages in backend.messages.items():
        for message in messages.values():
            if message.author_id == backend.bot_user.id:
                outputs.append((f"bot message in channel {channel_id}", message.content + repr(message.embeds)))
    return outputs


def find_piece(texts: list[tuple[str, str]], *secrets: str) -> str | None:
    """Where the first piece of a secret was found, or None. Never returns the piece itself."""
    for secret in secrets:
        for piece in pieces(secret):
            for where, text in texts:
                if piece in text:
                    return where
    return None


def assert_no_piece_shown(world, caplog: pytest.LogCaptureFixture, *secrets: str) -> None:
    """No 10-character piece of any secret in any bot output or log line."""
    assert secrets and all(len(secret) > PIECE for secret in secrets)
    texts = [*bot_outputs(world), ("captured logs", caplog.text)]
    texts += [(f"log record of {r.name}", r.getMessage()) for r in caplog.records]
    where = find_piece(texts, *secrets)
    if where is not None:  # pytest.fail, not assert: the report must not reprint the secret
        pytest.fail(f"{where} holds a {PIECE}-character piece of a secret")
