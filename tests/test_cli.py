"""The command line as a newcomer meets it (issue 13): bad settings, `.env`, pipes. Real subprocesses."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.cli_env import FAKE_DISCORD_TOKEN, clean_env, run_cli
from tests.conftest import REPO

BAD_SETTINGS = {
    "LOG_LEVEL": "nonsense",
    "HELP_CHANNEL_IDS": "abc,12",
    "HTTP_TIMEOUT": "abc",
    "LEAK_GUARD": "maybe",
    "SHUTDOWN_GRACE": "999",
}


@pytest.mark.parametrize("command", [(), ("shell",), ("ask", "pat 401"), ("eval", "tests/eval/core.yaml"), ("config",)])
def test_bad_settings_are_one_line_each_and_exit_2(tmp_path, command):
    """Issue 13 point 1: a 15-line pydantic traceback and exit 1 before; one `NAME: reason` line per setting."""
    env = clean_env(KNOWLEDGE_DIR=REPO / "knowledge", **{k.lower(): v for k, v in BAD_SETTINGS.items()})
    result = run_cli(*command, cwd=tmp_path, env=env)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(BAD_SETTINGS), lines
    for name, value in BAD_SETTINGS.items():
        (line,) = [line for line in lines if f": {name}: " in line]
        reason = line.split(f"{name}: ", 1)[1]
        assert all(part not in reason for part in value.split(","))  # never the value: it may be a secret


def test_bare_authbot_uses_the_token_from_dot_env(tmp_path):
    """Point 2: `authbot config` saw DISCORD_TOKEN in .env, but bare `authbot` opened the shell."""
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={FAKE_DISCORD_TOKEN}\nDATABASE_URL=mysql://db/x\n")
    result = run_cli(cwd=tmp_path, env=clean_env(KNOWLEDGE_DIR=REPO / "knowledge"), timeout=30)
    # `run` chosen (the unsupported database stops it before any network); the shell would exit 0.
    assert result.returncode == 2, result.stdout
    assert result.stderr.startswith("authbot run: DATABASE_URL scheme 'mysql'"), result.stderr
    assert FAKE_DISCORD_TOKEN not in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("args", "stdin"), [(("ask", "-"), "my PAT gives 401 with Bearer\n" * 50), ((), "pat 401\n\n" * 20)]
)
def test_a_closed_pipe_is_not_a_traceback(tmp_path, args, stdin):
    """Point 3: `authbot ask - < file | head -1` and `echo pat | authbot | head` died with BrokenPipeError."""
    env = clean_env(KNOWLEDGE_DIR=REPO / "knowledge")
    command = " ".join([sys.executable, "-m", "bot", *args])
    result = subprocess.run(
        f"{command} | true; echo status=${{PIPESTATUS[0]}}",  # `true` is gone before the first write
        shell=True, executable="/bin/bash", input=stdin, capture_output=True, text=True,
        cwd=tmp_path, env=env, timeout=60, check=False,
    )
    assert "Error" not in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert result.stdout.strip() in {"status=0", "status=141"}


@pytest.mark.parametrize(
    "command", [("health",), ("kb", "check"), ("kb", "links"), ("run",), ("ask", "pat 401"), ("bench", "--rounds", "1")]
)
def test_every_command_that_reads_knowledge_takes_the_knowledge_option(tmp_path, knowledge_copy, command):
    """Point 6: `--knowledge DIR` was refused by health, run and kb check (a bare positional there)."""
    (knowledge_copy / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    env = clean_env(DISCORD_TOKEN=FAKE_DISCORD_TOKEN, DATABASE_PATH=tmp_path / "db.sqlite3")
    result = run_cli(*command, "--knowledge", str(knowledge_copy), cwd=tmp_path, env=env)
    output = result.stdout + result.stderr
    assert "unrecognized arguments" not in output and "Traceback" not in output, output
    if command == ("kb", "links"):  # lists the URLs of the files that parse
        assert result.returncode == 0 and "pat-create.yaml:" in result.stdout
    else:
        assert result.returncode in {1, 2} and "broken.yaml:" in output, output


def test_kb_check_documents_its_positional_folder(tmp_path):
    result = run_cli("kb", "check", "--help", cwd=tmp_path, env=clean_env())
    assert "DIR" in result.stdout and "the same as --knowledge DIR" in result.stdout
