"""The redaction filter: no credential survives into a log record, whichever logger or handler."""

from __future__ import annotations

import logging

import pytest

from bot.core.log_filter import RedactingFilter, install_redaction_filter

TOKEN = "dal:FAKE_log_token_000000000001"
SECRET = "client_secret=FAKEclientsecret000000002"


@pytest.fixture(autouse=True)
def _installed():
    install_redaction_filter()
    install_redaction_filter()  # idempotent


def test_message_and_args(caplog):
    caplog.set_level(logging.DEBUG)
    logging.getLogger("discord.gateway").info("sending %s with %r", f"Bearer {TOKEN}", {"body": SECRET})
    logging.getLogger("some.library").warning("token=" + TOKEN)
    assert TOKEN not in caplog.text and "FAKEclientsecret" not in caplog.text
    assert "[agent-access-token dal:…0001]" in caplog.text
    assert all(TOKEN not in r.getMessage() for r in caplog.records)


def test_exception_text(caplog):
    try:
        raise RuntimeError(f"upstream said no for Authorization: Bearer {TOKEN}")
    except RuntimeError:
        logging.getLogger("bot.exts").exception("check failed")
    assert TOKEN not in caplog.text
    assert "RuntimeError: upstream said no" in caplog.text


def test_bad_format_string_does_not_break_logging(caplog):
    logging.getLogger("bot").error("oops %s %s", TOKEN)
    assert caplog.records and TOKEN not in caplog.text


def test_filter_on_a_handler_alone():
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "t=%s", (TOKEN,), None)
    record.msg, record.args = "t=%s", (TOKEN,)  # as if created before installation
    record._authbot_redacted = False
    assert RedactingFilter().filter(record) is True
    assert TOKEN not in record.getMessage()


def test_installed_on_root_and_discord_loggers():
    fil = install_redaction_filter()
    assert fil in logging.getLogger().filters and fil in logging.getLogger("discord").filters
