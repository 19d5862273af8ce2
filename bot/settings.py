"""Configuration from the environment (and an optional .env file), validated by pydantic-settings.

Every field maps to an upper-case environment variable of the same name, e.g. `DISCORD_TOKEN`,
`HELP_CHANNEL_IDS=123,456`. `deploy/.env.example` documents each one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR

IdList = Annotated[list[int], NoDecode]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", env_file_encoding="utf-8", extra="ignore")

    # Discord connection
    discord_token: SecretStr | None = Field(default=None, description="Bot token; without it authbot opens the shell.")
    dev_guild_id: int | None = Field(default=None, description="Sync commands to this guild instantly (development).")
    shard_count: int | None = Field(default=None, ge=1, description="Total shards; switches to AutoShardedBot.")
    shard_ids: IdList = Field(default_factory=list, description="Shards this process runs (with SHARD_COUNT).")

    # Who is who
    moderator_role_ids: IdList = Field(default_factory=list, description="Roles that count as moderators.")
    helper_role_id: int | None = Field(default=None, description="Role mentioned when the bot cannot answer.")
    mod_log_channel_id: int | None = Field(default=None, description="Channel for leak-guard alerts.")

    # Features
    help_channel_ids: IdList = Field(
        default_factory=list, description="Channels/forums where the bot answers on its own."
    )
    help_channel_threshold: float = Field(default=0.75, ge=0, le=1, description="Confidence needed to auto-answer.")
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
    http_timeout: float = Field(default=5.0, gt=0, le=5.0, description="Seconds before a LiveChat call gives up.")

    # Storage and files
    knowledge_dir: Path = Field(default=DEFAULT_KNOWLEDGE_DIR, description="Folder of knowledge YAML files.")
    database_path: Path = Field(default=Path("authbot.sqlite3"), description="SQLite file for feedback and stats.")
    database_url: str | None = Field(default=None, description="Shared database URL for multi-process setups.")
    heartbeat_file: Path | None = Field(default=None, description="File the running bot touches on each heartbeat.")

    # Logging
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_json: bool = Field(default=False, description="Write logs as JSON lines.")

    @field_validator(
        "shard_ids", "moderator_role_ids", "help_channel_ids", "leak_guard_exempt_channel_ids", mode="before"
    )
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [int(part) for part in value.strip("[] ").replace(" ", "").split(",") if part]
        if isinstance(value, int):
            return [value]
        return value

    @field_validator("livechat_allowed_hosts", mode="before")
    @classmethod
    def _hosts(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.strip("[]").replace('"', "").split(",") if part.strip()]
        return value

    def redacted(self) -> dict[str, Any]:
        """Effective settings with secrets hidden, for `authbot config` and logs."""
        data = self.model_dump(mode="json")
        data["discord_token"] = "**********" if self.discord_token else None
        if self.database_url:
            data["database_url"] = "**********"
        return data
