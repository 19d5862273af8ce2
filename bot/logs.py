"""Process logging for `authbot run` (and anything else that wants it), in discord.py's
`setup_logging` style: one handler on the root logger, so discord.py's records and ours share it.

- One line per event: a traceback or a multi-line message is folded onto its line (newlines become
  `\\n`), so journald, `docker logs` and log shippers never split one event into several.
- `LOG_JSON=true` writes JSON lines instead (time, level, logger, message, exc, plus the event's fields).
- Every record goes through the credential redaction (bot/core/log_filter.py) before a handler sees it.
- `LOG_LEVEL=DEBUG` is for authbot's own loggers. The libraries' loggers stay at INFO or above: at DEBUG,
  discord.gateway writes every gateway event as received (messages, modal values such as a refresh token
  or `account_id:PAT` typed into /token-check) and httpx/httpcore write request details. The redaction
  filter is a second line of defence, not a reason to log user content. `LOG_THIRD_PARTY_DEBUG=true`
  lets their DEBUG through, with a warning at start-up.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import IO, Any

from pydantic import ValidationError

from bot.core.diagnosis import Diagnosis
from bot.core.log_filter import install_redaction_filter
from bot.core.redact import redact_text
from bot.settings import Settings

#: discord.py's own format (discord.utils.setup_logging), minus the colours.
PLAIN_FORMAT = "[{asctime}] [{levelname:<8}] {name}: {message}"
DATE_FORMAT = "%Y-%m-%d %H:%M:%S"
#: `extra={FIELDS: {...}}` attaches structured fields that JSON output shows as keys.
FIELDS = "authbot_fields"

diagnosis_log = logging.getLogger("bot.diagnosis")
log = logging.getLogger(__name__)

#: Libraries whose DEBUG output carries user content. "discord" covers every discord.* logger not listed;
#: the named ones are the known offenders, set explicitly in case something sets their level on its own.
THIRD_PARTY_LOGGERS = (
    "discord",
    "discord.gateway",
    "discord.http",
    "discord.client",
    "discord.state",
    "discord.webhook",
    "aiohttp",
    "httpx",
    "httpcore",
    "asyncio",
)
THIRD_PARTY_DEBUG_WARNING = (
    "LOG_THIRD_PARTY_DEBUG is on: discord.py, httpx and asyncio debug logs will hold user messages and modal "
    "values (tokens included, where the redaction misses them). Turn it off after debugging."
)


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
    level: str | int = "INFO",
    *,
    json_lines: bool = False,
    stream: IO[str] | None = None,
    third_party_debug: bool | None = None,
) -> logging.Handler:
    """Send every log record, one line each, to `stream` (stderr by default). Idempotent.

    `third_party_debug` lets the libraries' DEBUG records through; None reads LOG_THIRD_PARTY_DEBUG."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _AuthbotHandler)]:
        root.removeHandler(old)
    handler = _AuthbotHandler(stream or sys.stderr)
    handler.setFormatter(JsonLinesFormatter() if json_lines else OneLineFormatter())
    root.addHandler(handler)
    root_level = level if isinstance(level, int) else getattr(logging, level.upper())
    root.setLevel(root_level)
    install_redaction_filter()  # after addHandler: it also puts the filter on the root's handlers
    if third_party_debug is None:
        third_party_debug = root_level <= logging.DEBUG and _third_party_debug_setting()
    # A logger's own level decides before the root's, so the floor is max(root, INFO), not INFO: INFO on
    # discord.gateway under a WARNING root would let its INFO lines through.
    library_level = logging.NOTSET if third_party_debug else max(root_level, logging.INFO)
    for name in THIRD_PARTY_LOGGERS:
        logging.getLogger(name).setLevel(library_level)
    if third_party_debug and root_level <= logging.DEBUG:
        log.warning(THIRD_PARTY_DEBUG_WARNING)
    return handler


def _third_party_debug_setting() -> bool:
    """LOG_THIRD_PARTY_DEBUG as the settings read it (environment, then .env), for callers that don't pass it.
    Invalid settings mean "off": the safe side, and the caller reports the settings error itself."""
    try:
        return Settings().log_third_party_debug
    except ValidationError:
        return False


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
