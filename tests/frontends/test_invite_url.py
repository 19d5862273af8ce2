"""`authbot invite-url`: the permissions follow the enabled features (issue 10, point 5 and the README)."""

from __future__ import annotations

import base64
from urllib.parse import parse_qs, urlsplit

import discord

from bot.frontends.invite_url import client_id_from_token, invite_url
from bot.settings import Settings
from tests.cli_env import clean_env, run_cli


def settings(**values) -> Settings:
    return Settings(_env_file=None, **values)


def permissions(url: str) -> discord.Permissions:
    query = parse_qs(urlsplit(url).query)
    assert query["scope"] == ["bot applications.commands"]
    return discord.Permissions(int(query["permissions"][0]))


def test_leak_guard_on_by_default_asks_for_manage_messages():
    granted = permissions(invite_url(1, settings()))
    assert granted.manage_messages and granted.manage_threads
    assert granted.send_messages and granted.embed_links and granted.read_message_history
    assert not granted.administrator and not granted.mention_everyone


def test_without_the_leak_guard_nothing_to_manage():
    granted = permissions(invite_url(1, settings(leak_guard=False)))
    assert not granted.manage_messages and not granted.manage_threads


def test_a_solved_tag_in_help_forums_needs_manage_threads():
    granted = permissions(invite_url(1, settings(leak_guard=False, help_channel_ids=[5], forum_solved_tag="Solved")))
    assert granted.manage_threads and not granted.manage_messages


def test_the_client_id_comes_from_the_token():
    token = base64.b64encode(b"123456789012345678").decode().rstrip("=") + ".Gabcde.FAKE_signature_part"
    assert client_id_from_token(token) == 123456789012345678
    assert client_id_from_token("not-a-token") is None


def test_the_command_prints_the_link_and_reasons(tmp_path):
    done = run_cli("invite-url", "--client-id", "42", cwd=tmp_path, env=clean_env(leak_guard="true"))
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("https://discord.com/oauth2/authorize?client_id=42&")
    assert "Manage Messages" in done.stdout and "leak guard" in done.stdout


def test_without_a_client_id_it_says_where_to_find_it(tmp_path):
    done = run_cli("invite-url", cwd=tmp_path, env=clean_env())
    assert done.returncode == 2 and "Application ID" in done.stderr
