"""Run `authbot` as a deployed process would: a controlled environment, no settings from this machine.

`run_authbot` in tests/conftest.py drops only DISCORD_TOKEN and runs in the repo; deployment tests
need more control: every setting removed from the inherited environment (a developer's LOG_LEVEL or
DATABASE_PATH must not change a result) and a scratch working directory, so no `.env` is read
unless the test writes one.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from bot.settings import Settings

SETTING_NAMES = frozenset(name.upper() for name in Settings.model_fields)
#: Obviously fake: it must never appear in any output.
FAKE_DISCORD_TOKEN = "FAKE.discord-token.never-real-0000000000000000000000"


def clean_env(**settings: str | os.PathLike[str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES}
    env.update({name.upper(): os.fspath(value) for name, value in settings.items()})
    return env


def run_cli(
    *args: str, cwd: Path, env: dict[str, str], timeout: float = 60, executable: str | None = None
) -> subprocess.CompletedProcess[str]:
    command = [executable] if executable else [sys.executable, "-m", "bot"]
    return subprocess.run(
        [*command, *args], capture_output=True, text=True, cwd=cwd, env=env, timeout=timeout, check=False
    )
