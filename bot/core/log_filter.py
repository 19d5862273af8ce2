"""Belt and braces: no log record leaves the process with a credential in it.

The code never logs raw tokens on purpose; this filter catches the accidents (an exception message with
a header in it, a library logging a URL with `?code=`). It formats the record's message with its args,
redacts it with the core's finder, and does the same for exception and stack text.

Why three places in `install_redaction_filter()`: a filter on a *logger* only sees records created by
that exact logger (not its children), and a filter on a *handler* only sees that handler. So we also wrap
the log-record factory: every record, from any logger, to any handler (pytest's caplog included), is
redacted as it is created.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from bot.core.redact import scrub

#: Loggers that see HTTP traffic or user text.
NAMED_LOGGERS = ("discord", "discord.client", "discord.gateway", "discord.http", "httpx", "httpcore", "bot")
_formatter = logging.Formatter()


def _safe_message(record: logging.LogRecord) -> str:
    try:
        return record.getMessage()
    except Exception:  # a bad format string must not break logging; keep the pieces, redacted below
        return f"{record.msg} {record.args!r}"


class RedactingFilter(logging.Filter):
    """Replace credentials in the message, args, exception and stack text. Never drops a record."""

    def filter(self, record: logging.LogRecord) -> bool:
        redact_record(record)
        return True


def redact_record(record: logging.LogRecord) -> logging.LogRecord:
    if getattr(record, "_authbot_redacted", False):
        return record
    record.msg = scrub(_safe_message(record))
    record.args = None
    if record.exc_info:
        # Formatters use exc_text when it is set; dropping exc_info stops others from re-rendering it raw.
        record.exc_text = scrub(_formatter.formatException(record.exc_info))
        record.exc_info = None
    elif record.exc_text:
        record.exc_text = scrub(record.exc_text)
    if record.stack_info:
        record.stack_info = scrub(record.stack_info)
    record._authbot_redacted = True  # type: ignore[attr-defined]
    return record


_installed_filter = RedactingFilter()


def _wrap_factory(factory: Callable[..., logging.LogRecord]) -> Callable[..., logging.LogRecord]:
    def make_record(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return redact_record(factory(*args, **kwargs))

    make_record._authbot_redacting = True  # type: ignore[attr-defined]
    return make_record


def install_redaction_filter(extra_loggers: tuple[str, ...] = ()) -> RedactingFilter:
    """Install the redaction everywhere it can hook in. Idempotent: safe to call from every app factory."""
    factory = logging.getLogRecordFactory()
    if not getattr(factory, "_authbot_redacting", False):
        logging.setLogRecordFactory(_wrap_factory(factory))
    for name in ("", *NAMED_LOGGERS, *extra_loggers):
        logger = logging.getLogger(name)
        if _installed_filter not in logger.filters:
            logger.addFilter(_installed_filter)
        for handler in logger.handlers:
            if _installed_filter not in handler.filters:
                handler.addFilter(_installed_filter)
    return _installed_filter
