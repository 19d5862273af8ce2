"""Process logging for `authbot run` (and anything else that wants it), in discord.py's
`setup_logging` style: one handler on the root logger, so discord.py's records and ours share it.

- One line per event: a traceback or a multi-line message is folded onto its line (newlines become
  `\\n`), so journald, `docker logs` and log shippers never split one event into several.
- `LOG_JSON=true` writes JSON lines instead (time, level, logger, message, exc, plus the event's fields).
- Every record goes through the credential redaction (bot/core/log_filter.py) before a handler sees it.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from bot.core.diagnosis import Diagnosis
from bot.core.log_filter import install_redaction_filter
from bot.core.redact import redact_text

#: discord.py's own format (discord.utils.setup_logging), minus the colours.
PLAIN_FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
#: `extra={FIELDS: {...}}` attaches structured fields that JSON output shows as keys.
FIELDS = "authbot_fields"

diagnosis_log = logging.getLogger("bot.diagnosis")


class OneLineFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__(PLAIN_FORMAT, DATE_FORMAT, style="{")

    def format(self, record: logging.LogRecord) -> str:
        return _one_line(super().format(record))


class JsonLinesFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        fields = getattr(record, FIELDS, None)
        if isinstance(fields, dict):
            # Fields are ids and numbers by contract; redact anyway in case a caller slips.
            entry.update({k: redact_text(v) if isinstance(v, str) else v for k, v in fields.items() if k not in entry})
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            entry["exc"] = record.exc_text
        if record.stack_info:
            entry["stack"] = record.stack_info
        return json.dumps(entry, ensure_ascii=False, default=str)


def _one_line(text: str) -> str:
    return text.replace("\r", "").replace("\n", "\\n")


class _AuthbotHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Marks the handler we installed, so a second setup_logging() replaces it instead of doubling lines."""


def setup_logging(
    level: str | int = "INFO", *, json_lines: bool = False, stream: IO[str] | None = None
) -> logging.Handler:
    """Send every log record, one line each, to `stream` (stderr by default). Idempotent."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _AuthbotHandler)]:
        root.removeHandler(old)
    handler = _AuthbotHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if json_lines else OneLineFormatter())
    root.addHandler(handler)
    root.setLevel(level if isinstance(level, int) else getattr(logging, level.upper()))
    install_redaction_filter()  # after addHandler: it also puts the filter on the root's handlers
    return handler


def log_diagnosis(diagnosis: Diagnosis, *, source: str, guild_id: int | None) -> None:
    """One line per diagnosis: which entry, how sure, how fast, where. Never the user's text, not even
    redacted: ids and numbers are all an operator needs, and the database keeps the redacted text."""
    top = diagnosis.top
    fields = {
        "event": "diagnosis",
        "source": source,
        "guild_id": guild_id,
        "entry_id": top.entry_id if top else None,
        "confidence": round(top.score, 3) if top else 0.0,
        "abstained": diagnosis.abstained,
        "latency_ms": round(diagnosis.ms, 2),
        "credentials": len(diagnosis.credentials),
    }
    diagnosis_log.info(
        "diagnosis source=%s guild=%s entry=%s confidence=%.3f abstained=%s latency_ms=%.2f credentials=%d",
        source,
        guild_id if guild_id is not None else "dm",
        fields["entry_id"] or "-",
        fields["confidence"],
        "yes" if diagnosis.abstained else "no",
        fields["latency_ms"],
        fields["credentials"],
        extra={FIELDS: fields},
    )
