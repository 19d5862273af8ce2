"""Hold a SQLite file's write lock from another connection, as a second process writing would."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def hold_write_lock(path: Path | None) -> Iterator[None]:
    assert path is not None, "a SQLite store"
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("BEGIN IMMEDIATE")  # every other writer now waits (busy timeout), readers don't (WAL)
        yield
        conn.execute("ROLLBACK")
    finally:
        conn.close()
