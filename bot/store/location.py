"""Where the store lives: DATABASE_PATH, or DATABASE_URL when it is set.

Only SQLite is implemented. `DATABASE_URL=sqlite:///relative.sqlite3` or `sqlite:////abs/path.sqlite3`
(SQLAlchemy's spelling) is accepted so deployments can use one URL-shaped setting; any other scheme
(postgresql://, mysql://, …) raises `UnsupportedDatabase`, because silently falling back to a local
file would split the data of several shard processes without anyone noticing.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from bot.settings import Settings

SUPPORTED_SCHEMES = ("sqlite",)


class UnsupportedDatabase(ValueError):
    """DATABASE_URL names a database this build cannot use."""


def database_location(settings: Settings) -> Path:
    """The SQLite file to open. Raises `UnsupportedDatabase` for a DATABASE_URL we cannot serve."""
    if not settings.database_url:
        return settings.database_path
    return sqlite_path_from_url(settings.database_url)


def sqlite_path_from_url(url: str) -> Path:
    parts = urlsplit(url)
    scheme = parts.scheme.split("+", 1)[0].lower()  # "sqlite+pysqlite" is still SQLite
    if scheme not in SUPPORTED_SCHEMES:
        shown = scheme or "(none)"
        raise UnsupportedDatabase(
            f"DATABASE_URL scheme '{shown}' is not supported by this build; only sqlite:///path is. "
            "Unset DATABASE_URL to use DATABASE_PATH (see README, Deploy → Sharding)."
        )
    if parts.netloc:
        raise UnsupportedDatabase("DATABASE_URL: a SQLite URL has no host; write sqlite:///relative or sqlite:////abs")
    # urlsplit("sqlite:///a.db").path == "/a.db" (relative a.db); "sqlite:////abs.db" gives "//abs.db".
    path = unquote(parts.path)[1:]
    if not path:
        raise UnsupportedDatabase("DATABASE_URL: no file path after sqlite:///")
    return Path(path)
