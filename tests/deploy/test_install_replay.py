"""The Dockerfile's own build steps, replayed in a fresh venv (no Docker here), then the image's
HEALTHCHECK and `authbot config` run from that venv with the image's ENV.

This is what catches a Dockerfile that builds but cannot work: a file missing from COPY that
`pip install` needs (README.md is the package's readme), a dependency missing from pyproject.toml
(the venv starts empty), a KNOWLEDGE_DIR/DATABASE_PATH that does not fit the layout, or a package
that only works from a source checkout (the sources are deleted after installing, as in the image).

It downloads the dependencies from the package registry, like `docker build` would: ~30 s.
"""

from __future__ import annotations

import os
import subprocess
import time
import venv

import pytest
from dockerfile_parse import DockerfileParser

from tests.cli_env import FAKE_DISCORD_TOKEN, SETTING_NAMES
from tests.deploy.conftest import DEPLOY, REPO
from tests.deploy.replay import Replay

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def replayed(tmp_path_factory: pytest.TempPathFactory) -> Replay:
    root = tmp_path_factory.mktemp("image")
    venv.create(root / "venv", with_pip=True)
    started = time.monotonic()
    replay = Replay(DEPLOY / "Dockerfile", REPO, root / "rootfs", root / "venv").run(timeout=240)
    replay.log.append(f"replayed in {time.monotonic() - started:.1f} s")
    return replay


def container_env(replay: Replay, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SETTING_NAMES and k != "PYTHONPATH"}
    return {**env, **replay.env, "PATH": f"{replay.venv / 'bin'}:{env.get('PATH', '')}", **extra}


def run(replay: Replay, argv: list[str], **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        argv,
        cwd=replay.path(replay.workdir),
        env=container_env(replay, **extra),
        capture_output=True,
        text=True,
        timeout=60,
    )


def healthcheck(replay: Replay) -> list[str]:
    (value,) = [i["value"] for i in DockerfileParser(str(replay.dockerfile)).structure if i["instruction"] == "HEALTHCHECK"]
    return replay.exec_form(value)


def test_the_install_steps_ran_and_only_root_only_steps_were_skipped(replayed):
    assert replayed.skipped == ["apt-get", "apt-get", "useradd", "chown"], replayed.log
    assert not replayed.path("/src").exists()  # sources removed, as in the image
    assert (replayed.venv / "bin" / "authbot").is_file()


def test_the_installed_package_runs_outside_the_repository(replayed):
    done = run(replayed, [str(replayed.venv / "bin" / "python"), "-c", "import bot; print(bot.__file__)"])
    assert done.returncode == 0 and str(replayed.venv) in done.stdout, done.stderr


def test_healthcheck_passes_for_a_connected_bot_and_fails_without_one(replayed):
    command = healthcheck(replayed)
    assert command[1:] == ["health", "--running"]

    not_running = run(replayed, command)
    assert not_running.returncode == 1
    assert "ok   knowledge:" in not_running.stdout and "ok   database:" in not_running.stdout
    assert "FAIL heartbeat: no heartbeat at" in not_running.stderr

    # What the bot's heartbeat cog writes once it is connected.
    heartbeat = replayed.path("/tmp/authbot-heartbeat")
    heartbeat.parent.mkdir(parents=True, exist_ok=True)
    heartbeat.write_text("2026-01-01T00:00:00+00:00 latency=0.050\n")
    running = run(replayed, command, DISCORD_TOKEN=FAKE_DISCORD_TOKEN)
    assert running.returncode == 0, running.stderr
    # A health check creates nothing (issue 13 point 5); `authbot run` creates the file in the volume.
    assert "/data/authbot.sqlite3 not created yet" in running.stdout and not replayed.path("/data/authbot.sqlite3").exists()


def test_config_shows_the_image_settings_and_hides_the_token(replayed):
    done = run(replayed, [str(replayed.venv / "bin" / "authbot"), "config"], DISCORD_TOKEN=FAKE_DISCORD_TOKEN)
    assert done.returncode == 0, done.stderr
    values = dict(line.split("=", 1) for line in done.stdout.splitlines())
    assert values["KNOWLEDGE_DIR"] == str(replayed.path("/app/knowledge"))
    assert values["DATABASE_PATH"] == str(replayed.path("/data/authbot.sqlite3"))
    assert FAKE_DISCORD_TOKEN not in done.stdout
