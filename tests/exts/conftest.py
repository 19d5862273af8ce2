"""simcord fixtures for every Discord test: the real bot (create_bot) in a small simulated server.

Reuse them from any test under tests/exts/:
- `simcord_bot` builds the bot from `bot_settings`; override `settings_overrides` in a test module
  (or with `@pytest.mark.parametrize("settings_overrides", [...], indirect=True)`) to change settings.
- `world` creates the server (channels, roles, members) and restarts the bot with settings that
  name them: help channels, moderator role, helper role. Its bot is `world.bot`.
- `fake_token` is an obviously fake credential; `world.assert_never_shown(secret)` checks that no
  request the bot made carried it, `world.assert_mentions_at_most(users=..., roles=...)` that no
  message the bot sent could ping anyone else. (Helpers are World methods so that test modules
  need no imports from this file.)
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from simcord import Env
from simcord.actors import MemberActor
from simcord.builders import ChannelHandle, GuildHandle, RoleHandle

from bot.app import AuthBot, create_bot
from bot.core.pipeline import Engine
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, VOCABULARY_FILE, KnowledgeError, load_knowledge
from bot.settings import Settings

FAKE_TOKEN = "dal:FAKE_test_token_000000000000"
#: The FAQ's own entries: a known-good fallback while knowledge/ is being extended by someone else.
FAQ_IDS = (
    "pat-quickstart token-per-api pat-create pat-auth-fails customer-chat-api-auth customer-token-refresh "
    "helpdesk-auth invalid-access-token invalid-message unauthorized-client invalid-request contact-support"
).split()


@pytest.fixture
def fake_token() -> str:
    return FAKE_TOKEN


@pytest.fixture(scope="session")
def knowledge_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real knowledge/ folder, or a copy of just the FAQ entries if it does not load right now."""
    try:
        load_knowledge(DEFAULT_KNOWLEDGE_DIR)
        return DEFAULT_KNOWLEDGE_DIR
    except KnowledgeError:
        fallback = tmp_path_factory.mktemp("knowledge-faq")
        for name in [VOCABULARY_FILE, *(f"{entry_id}.yaml" for entry_id in FAQ_IDS)]:
            shutil.copy(DEFAULT_KNOWLEDGE_DIR / name, fallback / name)
        return fallback


@pytest.fixture(scope="session")
def shared_engine(knowledge_source: Path) -> Engine:
    """Loading YAML takes a few hundred ms; the engine is pure, so tests share one."""
    return Engine.from_directory(knowledge_source)


@pytest.fixture
def knowledge_copy(tmp_path: Path, knowledge_source: Path) -> Path:
    """A private copy of the knowledge folder, for tests that edit files (reload)."""
    return Path(shutil.copytree(knowledge_source, tmp_path / "knowledge"))


@pytest.fixture
def settings_overrides(request: pytest.FixtureRequest) -> dict[str, Any]:
    return getattr(request, "param", {})


@pytest.fixture
def bot_settings(tmp_path: Path, knowledge_source: Path, settings_overrides: dict[str, Any]) -> Settings:
    values: dict[str, Any] = {
        "discord_token": None,
        "dev_guild_id": None,
        "shard_count": None,
        "knowledge_dir": knowledge_source,
        "database_path": tmp_path / "authbot.sqlite3",
        "help_channel_ids": [],
        "moderator_role_ids": [],
        "helper_role_id": None,
        "leak_guard": False,
        "live_token_checks": False,
        "livechat_accounts_url": "http://127.0.0.1:9",  # never the internet
    }
    values.update(settings_overrides)
    return Settings(_env_file=None, **values)


def build_bot(settings: Settings, knowledge_source: Path, shared_engine: Engine) -> AuthBot:
    same_knowledge = Path(settings.knowledge_dir) == knowledge_source
    return create_bot(settings, engine=shared_engine if same_knowledge else None)


@pytest.fixture
def simcord_bot(bot_settings: Settings, knowledge_source: Path, shared_engine: Engine) -> AuthBot:
    return build_bot(bot_settings, knowledge_source, shared_engine)


@dataclass
class World:
    env: Env
    guild: GuildHandle
    general: ChannelHandle
    help: ChannelHandle  # a help channel (help-channel mode)
    forum: ChannelHandle  # a help forum
    mods: RoleHandle  # Manage Messages
    support_team: RoleHandle  # configured moderator role, no Manage Messages
    helpers: RoleHandle  # settings.helper_role_id
    alice: MemberActor  # an ordinary member
    bob: MemberActor  # another ordinary member
    mod: MemberActor  # moderator by permission
    supporter: MemberActor  # moderator by configured role
    other_bot: MemberActor  # some other bot in the server

    @property
    def bot(self) -> AuthBot:
        return self.env.bot  # type: ignore[return-value]

    async def restart(self, **overrides: Any) -> AuthBot:
        """Restart with a fresh bot (same database), optionally with changed settings."""
        old = self.bot
        settings = old.settings.model_copy(update=overrides)
        same_knowledge = settings.knowledge_dir == old.settings.knowledge_dir
        await self.env.restart_bot(create_bot(settings, engine=old.engine if same_knowledge else None))
        await old.store.close()
        return self.bot

    async def forum_post(self, author: MemberActor, title: str, content: str) -> tuple[ChannelHandle, discord.Message]:
        """A member opens a forum post. simcord lets only bots create posts, so build it from the
        backend: the thread, announced as Discord announces a new post, then the owner's message."""
        backend = self.env.backend
        thread = backend.create_thread(self.forum.id, title, author.id, broadcast=False)
        backend.announce_thread_create(thread)
        await self.env.settle()
        handle = next(t for t in self.forum.threads if t.id == thread.id)
        return handle, await author.send(handle, content)

    def database_is_outside(self) -> None:
        """Let simcord treat the store's writer as outside input: a write stuck on a locked or broken
        database then does not count as the bot still working on the last event."""
        self.bot.recorder.outside = lambda awaitable: self.env.external_wait(awaitable, reason="database")

    async def sql(self, statement: str) -> list[tuple[Any, ...]]:
        """Rows of a read-only SQL statement on the bot's database, as tuples."""
        return await self.bot.store.run(lambda conn: [tuple(row) for row in conn.exec_driver_sql(statement)])

    def sent_bodies(self) -> list[dict[str, Any]]:
        """Bodies of the bot's message sends and edits (channel messages, interaction callbacks, webhooks)."""
        bodies = []
        for request in self.env.http_requests:
            body = request.json
            if not isinstance(body, dict):
                continue
            data = body.get("data") if "type" in body and isinstance(body.get("data"), dict) else body
            if isinstance(data, dict) and ({"content", "embeds"} & data.keys()):
                bodies.append(data)
        return bodies

    def assert_mentions_at_most(self, *, users: set[int] = frozenset(), roles: set[int] = frozenset()) -> None:
        """Every message the bot sent may ping only the given users/roles, and never @everyone."""
        policies = [body.get("allowed_mentions") for body in self.sent_bodies()]
        assert policies, "the bot sent nothing"
        for policy in policies:
            assert policy is not None, "a message went out without an allowed_mentions policy"
            assert not {"everyone", "users", "roles"} & set(policy.get("parse", [])), policy
            assert {int(u) for u in policy.get("users", [])} <= users, policy
            assert {int(r) for r in policy.get("roles", [])} <= roles, policy

    def assert_never_shown(self, secret: str) -> None:
        """The secret is in no request the bot made: no reply, edit or upload."""
        for request in self.env.http_requests:
            assert secret not in repr(request.json), f"{request.method} {request.path} carried the secret"


@pytest.fixture
async def world(simcord_env: Env, bot_settings: Settings, knowledge_source: Path, shared_engine: Engine) -> World:
    env = simcord_env
    guild = env.create_guild("LiveChat developers")
    general = guild.create_text_channel("general")
    help_channel = guild.create_text_channel("auth-help")
    forum = guild.create_forum_channel("help-forum")
    mods = guild.create_role("Mods", permissions=discord.Permissions(manage_messages=True))
    support_team = guild.create_role("Support team")
    helpers = guild.create_role("Helpers")
    alice = guild.add_member(env.create_user("alice"))
    bob = guild.add_member(env.create_user("bob"))
    mod = guild.add_member(env.create_user("mod"), roles=[mods])
    supporter = guild.add_member(env.create_user("supporter"), roles=[support_team])
    other_bot = guild.add_member(env.create_user("otherbot", bot=True))
    # The channel and role ids exist only now, so restart the bot configured with them, as a real
    # deployment would be (this also gives it the message intents help-channel mode needs).
    settings = bot_settings.model_copy(
        update={
            "help_channel_ids": [help_channel.id, forum.id, *bot_settings.help_channel_ids],
            "moderator_role_ids": [support_team.id, *bot_settings.moderator_role_ids],
            "helper_role_id": helpers.id,
        }
    )
    first = env.bot
    await env.restart_bot(build_bot(settings, knowledge_source, shared_engine))
    await first.store.close()
    return World(
        env, guild, general, help_channel, forum, mods, support_team, helpers, alice, bob, mod, supporter, other_bot
    )
