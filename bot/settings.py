"""Configuration from the environment (and an optional .env file), validated by pydantic-settings.

Every field maps to an upper-case environment variable of the same name, e.g. `DISCORD_TOKEN`,
`HELP_CHANNEL_IDS=123,456`. `deploy/.env.example` documents each one.

Where tokens may be sent has a floor that configuration alone can't lower: LiveChat's accounts hosts and
loopback (for tests). Any other host in LIVECHAT_ACCOUNTS_URL or LIVECHAT_ALLOWED_HOSTS is refused unless
LIVECHAT_ALLOW_CUSTOM_HOSTS=true, because a `.env` in an untrusted checkout could otherwise send every
checked token to its author.
"""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from platformdirs import user_state_path
from pydantic import Field, SecretStr, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR

IdList = Annotated[list[int], NoDecode]

#: The hosts of LiveChat's accounts API that the docs name (research section 3; livechatinc.com is the older
#: host some pages still use). Exact names only: a suffix match would let `evil.accounts.livechat.com.example`
#: or any other *.livechat.com service receive tokens.
LIVECHAT_ACCOUNTS_HOSTS = frozenset({"accounts.livechat.com", "accounts.livechatinc.com"})
_LOOPBACK_NAMES = frozenset({"localhost"})


def is_loopback(host: str) -> bool:
    """127.0.0.0/8, ::1 or `localhost`: the machine itself, where tests run their fake servers."""
    host = host.strip().lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_livechat_host(host: str) -> bool:
    """May a token go to `host` without the LIVECHAT_ALLOW_CUSTOM_HOSTS opt-in?"""
    host = host.strip().lower()
    return host in LIVECHAT_ACCOUNTS_HOSTS or is_loopback(host)


def user_state_dir() -> Path:
    """Where authbot keeps its own files for this user: XDG_STATE_HOME/authbot (~/.local/state/authbot) on
    Linux, the platform's equivalent elsewhere. Not the working directory, which may be a checkout."""
    return user_state_path("authbot", appauthor=False)


class Settings(BaseSettings):
    # env_ignore_empty: `DEV_GUILD_ID=` (as in .env.example and `authbot config` output) means "not set".
    # hide_input_in_errors: a model-level error's text otherwise holds every input, DISCORD_TOKEN included,
    # and an uncaught ValidationError prints it in the traceback.
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", env_ignore_empty=True, hide_input_in_errors=True
    )

    # Discord connection
    discord_token: SecretStr | None = Field(default=None, description="Bot token; without it authbot opens the shell.")
    dev_guild_id: int | None = Field(default=None, description="Sync commands to this guild instantly (development).")
    shard_count: int | None = Field(default=None, ge=1, description="Total shards; switches to AutoShardedBot.")
    shard_ids: IdList = Field(default_factory=list, description="Shards this process runs (with SHARD_COUNT).")

    # Who is who
    moderator_role_ids: IdList = Field(default_factory=list, description="Roles that count as moderators.")
    helper_role_id: int | None = Field(
        default=None, description='Role mentioned when the asker of an unanswered /diagnose clicks "Ask a helper".'
    )
    helper_pings_per_user_per_hour: int = Field(
        default=1, ge=0, description="How often one member may have the helper role pinged (0: never)."
    )
    helper_pings_per_guild_per_hour: int = Field(
        default=6, ge=0, description="How often the helper role may be pinged in one server, whoever asks."
    )
    mod_log_channel_id: int | None = Field(default=None, description="Channel for leak-guard alerts.")

    # Features
    help_channel_ids: IdList = Field(
        default_factory=list, description="Channels/forums where the bot answers on its own."
    )
    # 0.85: on real-shaped messages, unprompted answers at 0.75 were right 88 % of the time, at 0.85 95 %.
    help_channel_threshold: float = Field(default=0.85, ge=0, le=1, description="Confidence needed to auto-answer.")
    help_channel_user_seconds: float = Field(
        default=60.0, ge=0, description="A member gets at most one help-channel answer per this many seconds."
    )
    help_channel_answers_per_minute: int = Field(
        default=6, ge=0, description="At most this many help-channel answers per channel (or forum) per minute."
    )
    forum_solved_tag: str = Field(
        default="Solved", description="Forum tag applied when the asker clicks Solved (empty: no tag)."
    )
    leak_guard: bool = Field(default=True, description="Delete messages that contain LiveChat credentials.")
    leak_guard_exempt_channel_ids: IdList = Field(default_factory=list, description="Channels the leak guard skips.")
    leak_guard_foreign_secrets: bool = Field(
        default=True, description="The leak guard also removes other services' secrets (Stripe, GitHub, Discord …)."
    )
    live_token_checks: bool = Field(default=True, description="Allow /token-check to call LiveChat's accounts API.")

    # LiveChat
    livechat_accounts_url: str = Field(
        default="https://accounts.livechat.com", description="Accounts API base URL (tests point it at 127.0.0.1)."
    )
    livechat_allowed_hosts: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["accounts.livechat.com"],
        description="The only hosts a token is ever sent to.",
    )
    livechat_allow_custom_hosts: bool = Field(
        default=False,
        description="Allow LIVECHAT_ACCOUNTS_URL/LIVECHAT_ALLOWED_HOSTS to name hosts other than LiveChat's "
        "accounts hosts and loopback (logged as a warning at start-up).",
    )
    http_timeout: float = Field(default=5.0, gt=0, le=5.0, description="Seconds before a LiveChat call gives up.")

    # Storage and files
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE_DIR, description="Folder of knowledge YAML files.")
    database_path: Path = Field(
        default_factory=lambda: user_state_dir() / "authbot.sqlite3",
        description="SQLite file for feedback and stats (default: the user's state directory).",
    )
    database_url: str | None = Field(
        default=None,
        description="Database as a URL; wins over DATABASE_PATH: sqlite:///path or postgresql://user:pw@host/db.",
    )
    heartbeat_file: Path | None = Field(default=None, description="File the running bot touches on each heartbeat.")
    config_error_hold: bool = Field(
        default=False,
        description="After a configuration error (exit 2), wait for a stop signal instead of exiting, so a "
        "restart policy that can't skip status 2 (Docker's) does not retry a login Discord will refuse again.",
    )
    shutdown_grace: float = Field(
        default=8.0, ge=0, le=60, description="Seconds SIGTERM waits for in-flight replies before disconnecting."
    )

    # Metrics
    metrics_port: int | None = Field(
        default=None, ge=1, le=65535, description="Serve Prometheus metrics on this port (/metrics); off when unset."
    )
    metrics_host: str = Field(
        default="127.0.0.1", description="Address the metrics endpoint listens on (0.0.0.0 in a container)."
    )

    # Logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = Field(default=False, description="Write logs as JSON lines.")
    log_third_party_debug: bool = Field(
        default=False,
        description="With LOG_LEVEL=DEBUG, let discord.py/httpx/asyncio debug through too. It writes user "
        "messages and modal values (tokens) to the log; off by default.",
    )

    @field_validator(
        "shard_ids", "moderator_role_ids", "help_channel_ids", "leak_guard_exempt_channel_ids", mode="before"
    )
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            parts = [part for part in value.strip("[] ").replace(" ", "").split(",") if part]
            if not all(part.isdigit() for part in parts):
                # int()'s own message quotes the bad part, and settings errors never repeat a value.
                raise ValueError("expected Discord ids (numbers) separated by commas")
            return [int(part) for part in parts]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("livechat_allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.strip("[]").replace('"', "").split(",") if part.strip()]
        return value

    @model_validator(mode="after")
    def _hosts_have_a_floor(self) -> Settings:
        if self.livechat_allow_custom_hosts:
            return self
        for host in self.custom_livechat_hosts():
            # Only the host is named: the URL may carry a password or a query with a key in it.
            raise ValueError(
                f"LIVECHAT_ACCOUNTS_URL / LIVECHAT_ALLOWED_HOSTS name `{host}`, which is not a LiveChat accounts "
                f"host. Tokens go only to {', '.join(sorted(LIVECHAT_ACCOUNTS_HOSTS))} and loopback; set "
                "LIVECHAT_ALLOW_CUSTOM_HOSTS=true to allow other hosts."
            )
        return self

    def custom_livechat_hosts(self) -> list[str]:
        """Hosts in LIVECHAT_ACCOUNTS_URL / LIVECHAT_ALLOWED_HOSTS that are neither LiveChat's nor loopback."""
        hosts = [_url_host(self.livechat_accounts_url), *self.livechat_allowed_hosts]
        found: list[str] = []
        for host in hosts:
            host = host.strip().lower()
            if not is_livechat_host(host) and host not in found:
                found.append(host)
        return found

    @model_validator(mode="after")
    def _shards_fit(self) -> Settings:
        # A wrong shard layout would connect "fine" and silently leave guilds without a bot.
        if self.shard_ids and self.shard_count is None:
            raise ValueError("SHARD_IDS needs SHARD_COUNT (the total number of shards across all processes)")
        if self.shard_count is not None:
            outside = [i for i in self.shard_ids if not 0 <= i < self.shard_count]
            if outside:
                raise ValueError(f"SHARD_IDS {outside} are outside 0..{self.shard_count - 1} (SHARD_COUNT)")
            if len(set(self.shard_ids)) != len(self.shard_ids):
                raise ValueError("SHARD_IDS lists a shard twice")
        return self

    def redacted(self) -> dict[str, Any]:
        """Effective settings with secrets hidden, for `authbot config` and logs."""
        data = self.model_dump(mode="json")
        data["discord_token"] = SECRET_MASK if self.discord_token else None
        if self.database_url:
            data["database_url"] = redact_url(self.database_url)
        return data


SECRET_MASK = "**********"


def settings_problems(error: ValidationError) -> list[str]:
    """One line per invalid setting, named as its environment variable. The value itself is never
    repeated: a malformed value may be a secret pasted into the wrong variable."""
    problems = []
    for item in error.errors():
        name = ".".join(str(part) for part in item["loc"]).upper()
        message = item["msg"].removeprefix("Value error, ")
        problems.append(f"{name}: {message}" if name else message)
    return problems


def _url_host(url: str) -> str:
    """The host of `url` without user info or port ("" when there is none, which is not an allowed host)."""
    try:
        return (urlsplit(url.strip()).hostname or "").lower()
    except ValueError:  # e.g. an unbalanced `[` in the netloc
        return url.strip().lower()


def redact_url(url: str) -> str:
    """Keep what helps debugging (scheme, host, path); hide the password and the query string."""
    parts = urlsplit(url)
    if not parts.scheme:
        return SECRET_MASK  # not a URL we understand: it may be a secret in any shape
    netloc = parts.netloc
    if "@" in netloc:
        userinfo, host = netloc.rsplit("@", 1)
        user = userinfo.split(":", 1)[0]
        netloc = f"{user}:{SECRET_MASK}@{host}" if ":" in userinfo else f"{user}@{host}"
    # Built by hand: urlunsplit() drops the "//" of "sqlite:////abs/path" when the host is empty.
    return f"{parts.scheme}://{netloc}{parts.path}" + (f"?{SECRET_MASK}" if parts.query else "")
