"""The store's dependencies install what it needs on every platform the bot runs on."""

from __future__ import annotations

import tomllib
from pathlib import Path

from packaging.requirements import Requirement

PYPROJECT = Path(__file__).parents[2] / "pyproject.toml"


def _requirement(name: str) -> Requirement:
    dependencies = tomllib.loads(PYPROJECT.read_text())["project"]["dependencies"]
    return next(r for r in map(Requirement, dependencies) if r.name == name)


def test_sqlalchemy_brings_greenlet_everywhere():
    """The async store needs greenlet; SQLAlchemy requires it by default only on some machines (x86_64,
    aarch64, …), not on a Mac's arm64, where the bot would fail at its first query. The asyncio extra
    requires it everywhere."""
    assert "asyncio" in _requirement("sqlalchemy").extras
