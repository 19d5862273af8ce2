"""deploy/authbot.service: restart policy, hardening, state directory; `systemd-analyze verify`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from bot.settings import Settings
from tests.deploy.conftest import DEPLOY, REPO

UNIT = DEPLOY / "authbot.service"
INSTALLED_AUTHBOT = "/opt/authbot/.venv/bin/authbot"


def parse(text: str) -> dict[str, dict[str, list[str]]]:
    """systemd syntax: sections, repeatable keys (configparser rejects repeats)."""
    sections: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    section = ""
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        sections[section][key.strip()].append(value.strip())
    return sections


@pytest.fixture(scope="module")
def unit() -> dict[str, dict[str, list[str]]]:
    return parse(UNIT.read_text())


def one(unit, key: str) -> str:
    (value,) = unit["Service"][key]
    return value


def test_restarts_on_failure_but_not_on_bad_configuration(unit):
    assert one(unit, "Restart") == "on-failure"
    assert one(unit, "RestartPreventExitStatus") == "2"  # authbot run's "configuration cannot work"
    assert one(unit, "KillSignal") == "SIGTERM"
    assert float(one(unit, "TimeoutStopSec")) > Settings(_env_file=None).shutdown_grace


def test_hardening(unit):
    assert one(unit, "NoNewPrivileges") == "yes"
    assert one(unit, "ProtectSystem") == "strict"
    assert one(unit, "User") != "root" or one(unit, "DynamicUser") == "yes"
    assert one(unit, "CapabilityBoundingSet") == ""


def test_the_readme_settings_fit_the_directories_the_unit_grants(unit):
    """The README's step 2 appends the paths to the env file; ProtectSystem=strict makes anything
    outside StateDirectory/RuntimeDirectory read-only, so they must agree."""
    readme = (REPO / "README.md").read_text()
    paths = dict(re.findall(r"\b(DATABASE_PATH|HEARTBEAT_FILE|KNOWLEDGE_DIR)=(/\S+)", readme.split("### systemd")[1]))
    assert paths["DATABASE_PATH"].startswith(f"/var/lib/{one(unit, 'StateDirectory')}/")
    assert paths["HEARTBEAT_FILE"].startswith(f"/run/{one(unit, 'RuntimeDirectory')}/")
    assert paths["KNOWLEDGE_DIR"] == str(Path(INSTALLED_AUTHBOT).parents[2] / "knowledge")
    assert one(unit, "EnvironmentFile") == "/etc/authbot/authbot.env"
    assert "--env-file /etc/authbot/authbot.env health --running" in readme


def test_starts_with_a_health_check_then_runs(unit):
    assert one(unit, "ExecStartPre") == f"{INSTALLED_AUTHBOT} health"
    assert one(unit, "ExecStart") == f"{INSTALLED_AUTHBOT} run"


@pytest.fixture
def verifiable(tmp_path: Path) -> Path:
    """The unit with ExecStart pointing at this venv's authbot: verify checks that executables exist."""
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    authbot = Path(sys.executable).parent / "authbot"
    copy = tmp_path / "authbot.service"
    copy.write_text(UNIT.read_text().replace(INSTALLED_AUTHBOT, str(authbot)))
    return copy


def test_systemd_analyze_verify_is_silent(verifiable):
    # verify exits 0 even for unknown keys; any output at all is a finding.
    result = subprocess.run(["systemd-analyze", "verify", str(verifiable)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout == "" and result.stderr == "", result.stderr


def test_systemd_security_exposure_is_low(verifiable):
    result = subprocess.run(
        ["systemd-analyze", "security", "--offline=yes", "--no-pager", str(verifiable)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    match = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert match, result.stdout + result.stderr
    assert float(match.group(1)) <= 2.0, result.stdout
