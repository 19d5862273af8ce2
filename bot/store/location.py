"""Where the store lives: DATABASE_URL when it is set, else the SQLite file DATABASE_PATH.

Two backends: `sqlite:///relative.sqlite3` / `sqlite:////abs/path.sqlite3` (SQLAlchemy's spelling),
and `postgresql://user:password@host:5432/db` (also `postgres://`, `postgresql+psycopg://`). Any
other scheme raises `UnsupportedDatabase`: silently falling back to a local file would split the data
of several shard processes without anyone noticing. The password never appears in an error.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from bot.settings import Settings

SUPPORTED = "sqlite:///path or postgresql://user:password@host/database"


class UnsupportedDatabase(ValueError):
    """DATABASE_URL names a database this build cannot use."""


@dataclass(frozen=True)
class Location:
    """One database, with the driver each side uses: stdlib sqlite3 / aiosqlite, or psycopg 3 for both."""

    sync_url: URL
    async_url: URL

    @property
    def backend(self) -> str:
        return self.sync_url.get_backend_name()  # "sqlite" | "postgresql"

    @property
    def path(self) -> Path | None:
        """The SQLite file; None for PostgreSQL."""
        return Path(self.sync_url.database or "") if self.backend == "sqlite" else None

    def __str__(self) -> str:
        return str(self.path) if self.path is not None else self.sync_url.render_as_string(hide_password=True)


def sqlite_location(path: Path | str) -> Location:
    url = URL.create("sqlite", database=str(path))
    return Location(url, url.set(drivername="sqlite+aiosqlite"))


def database_location(settings: Settings) -> Location:
    """The database to open. Raises `UnsupportedDatabase` for a DATABASE_URL we cannot serve."""
    if not settings.database_url:
        return sqlite_location(settings.database_path)
    return location_from_url(settings.database_url)


def location_from_url(raw: str) -> Location:
    scheme = raw.split(":", 1)[0].split("+", 1)[0].lower() if ":" in raw else ""
    if scheme not in ("sqlite", "postgresql", "postgres"):
        raise UnsupportedDatabase(
            f"DATABASE_URL scheme '{scheme or '(none)'}' is not supported; use {SUPPORTED} "
            "(see README, Deploy → Scaling out)."
        )
    try:
        url = make_url(raw)
    except ArgumentError:
        raise UnsupportedDatabase(f"DATABASE_URL is not a valid URL; use {SUPPORTED}") from None
    if scheme == "sqlite":
        if url.host:
            raise UnsupportedDatabase(
                "DATABASE_URL: a SQLite URL has no host; write sqlite:///relative or sqlite:////abs"
            )
        if not url.database:
            raise UnsupportedDatabase("DATABASE_URL: no file path after sqlite:///")
        return sqlite_location(unquote(url.database))
    if not url.host or not url.database:
        raise UnsupportedDatabase("DATABASE_URL: a PostgreSQL URL needs a host and a database name")
    if "@" in url.host:  # the password had an '@': the rest of it would be taken for the host, and shown
        raise UnsupportedDatabase("DATABASE_URL: write an '@' in the user name or password as %40")
    # psycopg 3 serves both sides: sync for migrations and the command line, async for the bot.
    url = url.set(drivername="postgresql+psycopg")
    return Location(url, url)
