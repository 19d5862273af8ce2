"""Fixtures every test may use: the real knowledge base, one engine, and scratch knowledge folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import hypothesis
import pytest

from bot.core.pipeline import Engine
from bot.core.redact import redact_text
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, load_knowledge
from tests.credentials.fake_accounts import FakeAccounts, serve
from tests.postgres import postgres_server  # noqa: F401  (a session fixture: one PostgreSQL server per run)

# A test that leaves an asyncio task pending fails by name, instead of a warning after the summary.
pytest_plugins = ("tests.asyncio_leaks", "pytester")

# Under CI the generated cases are the same on every run, so a red build is a reproducible failure, not a
# lucky draw; a local run explores new cases each time (and keeps what it finds in .hypothesis/).
hypothesis.settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis.settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
KNOWLEDGE_DIR = DEFAULT_KNOWLEDGE_DIR


def pytest_make_parametrize_id(config: pytest.Config, val: object, argname: str) -> str | None:
    """Test ids show parameters; a fake credential must not be printed there either."""
    if not isinstance(val, str):
        return None
    shown = redact_text(val)
    if "FAKE" in shown:  # a fragment the finder cannot recognise on its own (a token cut mid-way)
        return f"{argname}-with-secret"
    return shown if shown != val else None


@pytest.fixture(scope="session")
def kb() -> KnowledgeBase:
    return load_knowledge(KNOWLEDGE_DIR)


@pytest.fixture(scope="session")
def engine(kb: KnowledgeBase) -> Engine:
    return Engine(kb)


@pytest.fixture
def accounts() -> Iterator[FakeAccounts]:
    """A fake LiveChat accounts server on 127.0.0.1 (tests/credentials/fake_accounts.py)."""
    with serve() as server:
        yield server
    # Whatever the test did: the server never saw a host outside the allow-list.
    assert server.hosts <= {"127.0.0.1"}, server.hosts


@pytest.fixture
def knowledge_copy(tmp_path: Path) -> Path:
    """A writable copy of knowledge/ for tests that break or extend it."""
    target = tmp_path / "knowledge"
    shutil.copytree(KNOWLEDGE_DIR, target)
    return target


def run_authbot(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    """Run the real command line as a user would, without DISCORD_TOKEN leaking in from the machine."""
    environment = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=REPO,
        env=environment,
        timeout=60,
    )
