"""`authbot health` as a supervisor runs it: a subprocess, its exit status, one line per check."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

import pytest

from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR
from bot.store import Store
from tests.cli_env import FAKE_DISCORD_TOKEN, clean_env, run_cli


@pytest.fixture
def good(tmp_path: Path) -> dict[str, str]:
    """Settings of a healthy installation: the real knowledge, a database in a scratch folder."""
    return {"knowledge_dir": str(DEFAULT_KNOWLEDGE_DIR), "database_path": str(tmp_path / "data" / "authbot.sqlite3")}


def health(tmp_path: Path, *args: str, **settings: str | Path):
    result = run_cli("health", *args, cwd=tmp_path, env=clean_env(**settings))
    assert FAKE_DISCORD_TOKEN not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def failures(result) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("FAIL ")]


def test_a_good_installation_is_healthy(tmp_path, good):
    result = health(tmp_path, **good)
    assert result.returncode == 0, result.stderr
    assert [line.split(":")[0] for line in result.stdout.splitlines()] == [
        "ok   config",
        "ok   knowledge",
        "ok   database",
    ]
    assert not Path(good["database_path"]).exists()  # a check creates nothing; the bot creates it on start


def test_the_default_database_is_in_the_user_state_dir_and_health_creates_nothing(tmp_path):
    """Issue 13 point 5: `health` and `run` left authbot.sqlite3 in whatever directory they ran from."""
    work, state = tmp_path / "work", tmp_path / "state"
    work.mkdir()
    env = clean_env(knowledge_dir=DEFAULT_KNOWLEDGE_DIR, XDG_STATE_HOME=state)
    result = run_cli("health", cwd=work, env=env)
    assert result.returncode == 0, result.stderr
    expected = state / "authbot" / "authbot.sqlite3"
    assert f"ok   database: {expected} not created yet" in result.stdout
    assert list(work.iterdir()) == [] and not expected.exists()
    config = run_cli("config", "--json", cwd=work, env=env)
    assert config.returncode == 0 and str(expected) in config.stdout


def test_bad_setting_values_are_named_not_echoed(tmp_path, good):
    result = health(tmp_path, **good, shard_count="0", dev_guild_id=FAKE_DISCORD_TOKEN)
    assert result.returncode == 1
    (line,) = failures(result)
    assert line.startswith("FAIL config: ")
    assert "SHARD_COUNT: Input should be greater than or equal to 1" in line and "DEV_GUILD_ID: " in line


def test_missing_knowledge_folder(tmp_path, good):
    result = health(tmp_path, **{**good, "knowledge_dir": str(tmp_path / "nowhere")})
    assert result.returncode == 1
    assert failures(result) == [
        f"FAIL knowledge: {tmp_path / 'nowhere'}:1: knowledge directory not found; "
        f"run `authbot kb check {tmp_path / 'nowhere'}`"
    ]
    assert "ok   database" in result.stdout  # the other checks still ran


def test_broken_yaml_names_file_and_line(tmp_path, good, knowledge_copy):
    (knowledge_copy / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")
    result = health(tmp_path, **{**good, "knowledge_dir": str(knowledge_copy)})
    assert result.returncode == 1
    (line,) = failures(result)
    assert line.startswith("FAIL knowledge: broken.yaml:") and "YAML syntax error" in line


@pytest.mark.parametrize("where", ["parent-is-a-file", "path-is-a-directory"])
def test_unwritable_database_path(tmp_path, good, where):
    # Both fail for root too (tests may run as root, where chmod does not stop writes).
    blocker = tmp_path / "blocker"
    if where == "parent-is-a-file":
        blocker.write_text("not a folder")
        path = blocker / "authbot.sqlite3"
    else:
        path = blocker
        path.mkdir()
    result = health(tmp_path, **{**good, "database_path": str(path)})
    assert result.returncode == 1
    (line,) = failures(result)
    assert line.startswith(f"FAIL database: cannot open {path}: ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only files")
def test_read_only_database_file(tmp_path, good):
    path = Path(good["database_path"])
    Store.open(path).close()
    path.chmod(0o444)
    path.parent.chmod(0o555)
    try:
        result = health(tmp_path, **good)
    finally:
        path.parent.chmod(0o755)
    assert result.returncode == 1 and failures(result)[0].startswith("FAIL database: ")


def test_unsupported_database_url_fails_instead_of_being_ignored(tmp_path, good):
    result = health(tmp_path, **good, database_url="mysql://authbot:hunter2@db:3306/authbot")
    assert result.returncode == 1
    (line,) = failures(result)
    assert "scheme 'mysql' is not supported" in line and "hunter2" not in result.stdout + result.stderr


@pytest.mark.postgres
def test_a_postgresql_database_is_checked_and_its_password_never_shown(tmp_path, good, postgres_server):
    url = postgres_server.fresh_database()
    result = health(tmp_path, **good, database_url=url)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "ok   database: postgresql+psycopg://authbot@127.0.0.1" in result.stdout and "writable" in result.stdout

    unreachable = url.replace(f":{postgres_server.port}/", ":9/").replace("authbot@", "authbot:hunter2@")
    result = health(tmp_path, **good, database_url=unreachable)
    assert result.returncode == 1
    (line,) = failures(result)
    assert line.startswith("FAIL database: cannot open postgresql+psycopg://authbot:***@127.0.0.1:9/")
    assert "hunter2" not in result.stdout + result.stderr


def test_a_sqlite_database_url_is_used(tmp_path, good):
    target = tmp_path / "from-url.sqlite3"
    Store.open(target).close()
    result = health(tmp_path, **good, database_url=f"sqlite:///{target}")
    assert result.returncode == 0, result.stderr
    assert target.is_file() and f"{target} writable" in result.stdout


# -- --running: the heartbeat -------------------------------------------------------------------


@pytest.fixture
def running(tmp_path, good) -> dict[str, str]:
    return {**good, "discord_token": FAKE_DISCORD_TOKEN, "heartbeat_file": str(tmp_path / "heartbeat")}


def beat(path: Path, seconds_ago: float) -> None:
    path.write_text("2026-01-01T00:00:00+00:00 latency=0.050\n")
    moment = time.time() - seconds_ago
    os.utime(path, (moment, moment))


def test_a_fresh_heartbeat_is_healthy(tmp_path, running):
    beat(Path(running["heartbeat_file"]), seconds_ago=5)
    result = health(tmp_path, "--running", **running)
    assert result.returncode == 0, result.stderr
    # the subprocess needs a moment to start, so the beat is 5 s old or a little more by the time it looks
    assert re.search(r"ok   heartbeat: last beat [5-9] s ago", result.stdout), result.stdout


def test_a_stale_heartbeat_is_unhealthy(tmp_path, running):
    beat(Path(running["heartbeat_file"]), seconds_ago=200)
    result = health(tmp_path, "--running", **running)
    assert result.returncode == 1
    # the subprocess takes a moment to start on a busy machine: 200 s or a little more
    [failure] = failures(result)
    assert re.fullmatch(r"FAIL heartbeat: last beat 20\d s ago \(limit 90 s\): the bot is not connected", failure)
    # A longer allowance accepts the same file.
    assert health(tmp_path, "--running", "--max-age", "300", **running).returncode == 0


def test_no_heartbeat_yet_or_no_token(tmp_path, running):
    result = health(tmp_path, "--running", **{**running, "discord_token": ""})
    assert result.returncode == 1
    assert failures(result) == [
        "FAIL config: DISCORD_TOKEN is not set, so no bot can be running",
        f"FAIL heartbeat: no heartbeat at {running['heartbeat_file']}: the bot is not connected (not yet, or stopped)",
    ]


def test_running_without_a_heartbeat_file_setting(tmp_path, running):
    result = health(tmp_path, "--running", **{**running, "heartbeat_file": ""})
    assert failures(result) == ["FAIL heartbeat: --running needs HEARTBEAT_FILE, which the bot touches every 30 s"]
