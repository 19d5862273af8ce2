"""Process logging: one line per event, JSON lines, level, redaction, and the per-diagnosis line."""

from __future__ import annotations

import io
import json
import logging

import pytest

from bot.logs import log_diagnosis, setup_logging
from bot.settings import Settings

FAKE_TOKEN = "dal:FAKE_test_token_000000000000"
QUESTION = "my PAT gives 401 when I send it as Bearer"


LIBRARY_LOGGERS = (
    "discord", "discord.gateway", "discord.http", "discord.client", "discord.state", "discord.webhook",
    "discord.ext.commands.bot", "httpx", "httpcore", "asyncio",
)


@pytest.fixture
def capture():
    """setup_logging() changes the root logger and the library loggers; give each test a stream and put
    them back after."""
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    library_levels = {name: logging.getLogger(name).level for name in LIBRARY_LOGGERS}
    stream = io.StringIO()
    yield stream
    for handler in root.handlers[:]:
        if handler not in handlers:
            root.removeHandler(handler)
    root.setLevel(level)
    for name, library_level in library_levels.items():
        logging.getLogger(name).setLevel(library_level)


def lines(stream: io.StringIO) -> list[str]:
    return stream.getvalue().splitlines()


def test_plain_lines_look_like_discord_py_and_fold_tracebacks(capture):
    setup_logging("INFO", stream=capture)
    log = logging.getLogger("bot.test")
    log.debug("hidden at INFO")
    log.info("first\nsecond")
    try:
        raise RuntimeError("boom")
    except RuntimeError:
        log.exception("it failed")

    out = lines(capture)
    assert len(out) == 2, out
    assert out[0].endswith("] [INFO    ] bot.test: first\\nsecond")
    assert "it failed\\nTraceback (most recent call last):" in out[1] and "RuntimeError: boom" in out[1]


def test_level_comes_from_the_argument(capture):
    setup_logging("WARNING", stream=capture)
    logging.getLogger("bot.test").info("quiet")
    logging.getLogger("discord.gateway").warning("loud")
    assert [line.split("] ", 2)[2] for line in lines(capture)] == ["discord.gateway: loud"]


def test_calling_setup_twice_does_not_double_lines(capture):
    setup_logging("INFO", stream=io.StringIO())
    setup_logging("INFO", stream=capture)
    logging.getLogger("bot.test").info("once")
    assert len(lines(capture)) == 1


def test_json_lines_carry_fields_and_exceptions(capture):
    setup_logging("INFO", json_lines=True, stream=capture)
    log = logging.getLogger("bot.test")
    log.info("hello %s", "world", extra={"authbot_fields": {"guild_id": 5}})
    try:
        raise ValueError("bad\nvalue")
    except ValueError:
        log.exception("oops")

    first, second = (json.loads(line) for line in lines(capture))
    assert first["message"] == "hello world" and first["level"] == "INFO" and first["logger"] == "bot.test"
    assert first["guild_id"] == 5 and first["time"].endswith("+00:00")
    assert second["message"] == "oops" and "ValueError: bad\nvalue" in second["exc"]


@pytest.mark.parametrize("json_lines", [False, True], ids=["plain", "json"])
def test_credentials_never_reach_the_output(capture, json_lines):
    setup_logging("DEBUG", json_lines=json_lines, stream=capture)
    log = logging.getLogger("discord.http")  # a library logger, not only ours
    log.debug("GET /me with Authorization: Bearer %s", FAKE_TOKEN)
    try:
        raise PermissionError(f"token {FAKE_TOKEN} refused")
    except PermissionError:
        log.exception("request failed")
    text = capture.getvalue()
    assert "request failed" in text and "PermissionError" in text
    assert FAKE_TOKEN not in text and "FAKE_test_token" not in text


@pytest.mark.parametrize("json_lines", [False, True], ids=["plain", "json"])
def test_a_diagnosis_line_has_ids_and_numbers_but_never_the_text(capture, engine, json_lines):
    setup_logging("INFO", json_lines=json_lines, stream=capture)
    diagnosis = engine.diagnose(f"{QUESTION}: Authorization: Bearer {FAKE_TOKEN}")

    log_diagnosis(diagnosis, source="diagnose", guild_id=1234)

    (line,) = lines(capture)
    assert "PAT gives 401" not in line and "Bearer" not in line and "FAKE" not in line
    if json_lines:
        entry = json.loads(line)
        assert entry["event"] == "diagnosis" and entry["source"] == "diagnose" and entry["guild_id"] == 1234
        assert entry["entry_id"] == diagnosis.top.entry_id
        assert entry["confidence"] == round(diagnosis.top.score, 3)
        assert entry["latency_ms"] >= 0 and entry["credentials"] == 1 and entry["abstained"] is False
    else:
        assert f"entry={diagnosis.top.entry_id} " in line and "guild=1234 " in line and "latency_ms=" in line


def test_a_direct_message_diagnosis_says_dm(capture, engine):
    setup_logging("INFO", stream=capture)
    log_diagnosis(engine.diagnose("hello there"), source="diagnose", guild_id=None)
    assert "guild=dm " in capture.getvalue()


# -- LOG_LEVEL=DEBUG is for authbot's own loggers: libraries log user content at DEBUG ----------------------

MODAL_VALUE = "the refresh token typed into a modal"


def test_library_loggers_stay_at_info_when_log_level_is_debug(capture):
    """discord.gateway logs every event it receives at DEBUG (messages, modal values); httpx logs requests."""
    setup_logging("DEBUG", stream=capture, third_party_debug=False)
    for name in LIBRARY_LOGGERS:
        logging.getLogger(name).debug("%s: %s", name, MODAL_VALUE)
        logging.getLogger(name).info("%s: connected", name)
    logging.getLogger("bot.exts.test").debug("our own debug line")
    text = capture.getvalue()
    assert MODAL_VALUE not in text
    assert all(f"{name}: connected" in text for name in LIBRARY_LOGGERS)
    assert "our own debug line" in text


def test_library_loggers_follow_a_stricter_level(capture):
    setup_logging("WARNING", stream=capture)
    logging.getLogger("discord.gateway").info("shard connected")
    logging.getLogger("httpx").warning("slow")
    assert [line.split("] ", 2)[2] for line in lines(capture)] == ["httpx: slow"]


def test_the_separate_setting_lets_library_debug_through_and_says_so(capture):
    setup_logging("DEBUG", stream=capture, third_party_debug=True)
    logging.getLogger("discord.gateway").debug("event %s", MODAL_VALUE)
    out = lines(capture)
    assert out[0].endswith(
        "[WARNING ] bot.logs: LOG_THIRD_PARTY_DEBUG is on: discord.py, httpx and asyncio debug logs will hold user "
        "messages and modal values (tokens included, where the redaction misses them). Turn it off after debugging."
    )
    assert out[1].endswith(f"discord.gateway: event {MODAL_VALUE}")


def test_without_an_argument_the_setting_decides(capture, monkeypatch):
    monkeypatch.setenv("LOG_THIRD_PARTY_DEBUG", "true")
    setup_logging("DEBUG", stream=capture)
    logging.getLogger("httpx").debug("request %s", MODAL_VALUE)
    assert MODAL_VALUE in capture.getvalue()


def test_the_setting_is_off_by_default(capture, monkeypatch):
    monkeypatch.delenv("LOG_THIRD_PARTY_DEBUG", raising=False)
    assert Settings(_env_file=None).log_third_party_debug is False
    setup_logging("DEBUG", stream=capture)
    logging.getLogger("httpx").debug("request %s", MODAL_VALUE)
    assert MODAL_VALUE not in capture.getvalue()
