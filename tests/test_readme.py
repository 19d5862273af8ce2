"""Sentences of the README that a newcomer acts on, checked against the code (issue 13, point 12)."""

from __future__ import annotations

import re

from bot.settings import Settings
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


def test_the_number_of_slow_tests_is_the_one_the_readme_gives() -> None:
    """It said "one test, marked slow" while `-m "not slow"` deselected four."""
    (stated,) = re.findall(r"The (\d+) tests marked `slow`", README)
    slow = 0
    for path in (REPO / "tests").rglob("test_*.py"):
        if path.name == "test_readme.py":  # these patterns, not marks
            continue
        text = path.read_text(encoding="utf-8")
        if "pytestmark = pytest.mark.slow" in text:
            slow += len(re.findall(r"^(?:async )?def test_", text, re.M))
        else:
            slow += len(re.findall(r"^@pytest\.mark\.slow\n(?:@.*\n)*(?:async )?def test_", text, re.M))
    assert int(stated) == slow


def test_the_message_content_step_says_the_defaults_need_it() -> None:
    """It read as optional although the leak guard, on by default, reads messages."""
    assert Settings(_env_file=None).leak_guard is True
    assert "**Privileged intent — needed with the default settings.**" in README


def test_the_invite_step_says_where_the_application_id_comes_from() -> None:
    assert "Application ID" in README and "first dot-separated part is the id" in README
