"""The store for the command line and tests: synchronous, one short transaction per call.

The bot itself uses `bot.store.async_store.AsyncStore`; both run the same functions from
`bot.store.queries`, so a query exists once. Opening runs the migrations (bot/store/migrate.py).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Engine

from bot.core.diagnosis import Diagnosis
from bot.store import queries
from bot.store.engines import WRITE, make_sync_engine
from bot.store.location import Location, location_from_url, sqlite_location
from bot.store.migrate import upgrade
from bot.store.models import Stats, UnansweredQuestion

T = TypeVar("T")


def as_location(where: Location | Path | str) -> Location:
    """A Location, a SQLite file path, or a database URL (sqlite:///…, postgresql://…)."""
    if isinstance(where, Location):
        return where
    if isinstance(where, str) and "://" in where:
        return location_from_url(where)
    return sqlite_location(where)


class Store:
    def __init__(self, engine: Engine, location: Location, revision: str) -> None:
        self.engine = engine
        self.location = location
        self.schema_revision = revision

    @classmethod
    def open(cls, where: Location | Path | str) -> Store:
        """Open (creating and migrating if needed) the database."""
        location = as_location(where)
        engine = make_sync_engine(location)
        try:
            revision = upgrade(engine)
        except BaseException:
            engine.dispose()
            raise
        return cls(engine, location, revision)

    def close(self) -> None:
        self.engine.dispose()

    def run(self, query: Callable[..., T], *args: Any, write: bool = False, **kwargs: Any) -> T:
        """`query(connection, *args, **kwargs)` in one transaction (a write transaction when `write`)."""
        with self.engine.connect() as conn:
            if write:
                conn = conn.execution_options(**WRITE)
            with conn.begin():
                return query(conn, *args, **kwargs)

    def record_diagnosis(self, diagnosis: Diagnosis, *, source: str, guild_id: int | None) -> None:
        self.run(queries.record_diagnosis, diagnosis, source=source, guild_id=guild_id, write=True)

    def unanswered(self, limit: int = 1000) -> list[UnansweredQuestion]:
        return self.run(queries.unanswered, limit)

    def stats(self, *, top: int = 10, recent: int = 5) -> Stats:
        return self.run(queries.stats, top=top, recent=recent)
