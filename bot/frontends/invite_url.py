"""`authbot invite-url [--client-id ID]`: the invite link with exactly the permissions the enabled
features need, computed from the settings, each one printed with the reason.

Why computed: a fixed example link went stale the day the leak guard became the default — it left out
Manage Messages, so the guard could never delete a leaked credential. The client id is the
application id; without `--client-id` it is read from the first part of DISCORD_TOKEN (a bot token
starts with its user id in base64, and a bot's user id is its application id).
"""

from __future__ import annotations

import argparse
import base64
import binascii
import sys
from urllib.parse import urlencode

import discord
from pydantic import ValidationError

from bot.settings import Settings, settings_problems

SCOPES = ("bot", "applications.commands")
ALWAYS = {
    "view_channel": "see the channels it answers in",
    "send_messages": "answer in channels (help channels, /answer, the leak guard's notice)",
    "send_messages_in_threads": "answer in forum posts and threads",
    "embed_links": "answers are embeds",
    "read_message_history": "reply to the asker's message",
}


def needed_permissions(settings: Settings) -> dict[str, str]:
    """Permission name -> why, for the features these settings turn on."""
    needed = dict(ALWAYS)
    if settings.leak_guard:
        needed["manage_messages"] = "the leak guard deletes messages holding a credential"
        needed["manage_threads"] = "the leak guard renames a thread whose title holds a credential"
    if settings.help_channel_ids and settings.forum_solved_tag:
        tagging = f"apply the forum tag “{settings.forum_solved_tag}” when the asker clicks Solved"
        needed["manage_threads"] = f"{needed['manage_threads']}; {tagging}" if "manage_threads" in needed else tagging
    return needed


def invite_url(client_id: int, settings: Settings) -> str:
    permissions = discord.Permissions(**{name: True for name in needed_permissions(settings)})
    query = urlencode({"client_id": client_id, "scope": " ".join(SCOPES), "permissions": permissions.value})
    return f"https://discord.com/oauth2/authorize?{query}"


def client_id_from_token(token: str) -> int | None:
    first = token.split(".", 1)[0]
    try:
        decoded = base64.b64decode(first + "=" * (-len(first) % 4), validate=True).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return int(decoded) if decoded.isdigit() else None


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--client-id", type=int, default=None, metavar="ID",
        help="the application id (Developer Portal → General Information); default: read from DISCORD_TOKEN",
    )


def main(args: argparse.Namespace) -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in settings_problems(error):
            print(f"authbot invite-url: {problem}", file=sys.stderr)
        return 2
    client_id = args.client_id
    if client_id is None and settings.discord_token is not None:
        client_id = client_id_from_token(settings.discord_token.get_secret_value())
    if client_id is None:
        print(
            "authbot invite-url: pass --client-id (Developer Portal → your application → General Information → "
            "Application ID), or set DISCORD_TOKEN.",
            file=sys.stderr,
        )
        return 2
    print(invite_url(client_id, settings))
    print("\nPermissions, for the features your settings turn on:")
    for name, why in needed_permissions(settings).items():
        print(f"  {name.replace('_', ' ').title():28} {why}")
    if settings.helper_role_id:
        print(
            "\nHelper role: make it mentionable (Server Settings → Roles → the role → Allow anyone to @mention), "
            "or the “Ask a helper” ping will not notify anyone."
        )
    return 0
