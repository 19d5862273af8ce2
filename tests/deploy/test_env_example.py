"""deploy/.env.example documents every setting, with the real defaults, and loads as-is."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.settings import Settings
from bot.tools.show_config import env_value
from tests.deploy.conftest import DEPLOY

EXAMPLE = DEPLOY / ".env.example"
ASSIGNMENT = re.compile(r"^(#\s*)?([A-Z][A-Z0-9_]*)=(.*)$")
#: Defaults that depend on where authbot is installed, so the example names them symbolically.
MACHINE_DEPENDENT = {"KNOWLEDGE_DIR"}


def assignments() -> list[tuple[int, bool, str, str]]:
    """(line index, commented out, NAME, value) for every NAME=value line."""
    found = []
    for index, line in enumerate(EXAMPLE.read_text().splitlines()):
        match = ASSIGNMENT.match(line)
        if match:
            found.append((index, bool(match.group(1)), match.group(2), match.group(3)))
    return found


def test_every_setting_is_in_the_example_and_nothing_else():
    names = [name for _, _, name, _ in assignments()]
    fields = [name.upper() for name in Settings.model_fields]
    missing = sorted(set(fields) - set(names))
    assert not missing, f"deploy/.env.example lacks {missing}: add each with a comment saying what it does"
    assert sorted(set(names) - set(fields)) == [], "deploy/.env.example names settings that do not exist"
    assert len(names) == len(set(names)), "a setting appears twice"


def test_every_setting_has_a_comment_above_it():
    lines = EXAMPLE.read_text().splitlines()
    for index, _, name, _ in assignments():
        above = index - 1
        while above >= 0 and ASSIGNMENT.match(lines[above]):  # grouped settings share one comment
            above -= 1
        assert above >= 0 and lines[above].startswith("# ") and len(lines[above]) > 3, f"{name} has no comment"


def test_commented_values_are_the_real_defaults():
    defaults = Settings(_env_file=None).redacted()
    for _, commented, name, value in assignments():
        if commented and value and name not in MACHINE_DEPENDENT:
            assert value == env_value(defaults[name.lower()]), f"{name}: example says {value!r}"


@pytest.mark.parametrize("secret", ["DISCORD_TOKEN"])
def test_secrets_are_left_empty(secret):
    assert [value for _, _, name, value in assignments() if name == secret] == [""]


def test_the_example_loads_as_an_env_file(monkeypatch, tmp_path: Path):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    settings = Settings(_env_file=EXAMPLE)
    assert settings == Settings(_env_file=None)  # nothing set = all defaults


def test_container_paths_are_commented_out():
    # An uncommented `DATABASE_PATH=` in an env file would override the image's /data path with "".
    uncommented = {name for _, commented, name, _ in assignments() if not commented}
    assert not uncommented & {"KNOWLEDGE_DIR", "DATABASE_PATH", "HEARTBEAT_FILE"}
