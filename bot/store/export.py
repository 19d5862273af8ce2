"""The unanswered questions as CSV, for `/kb unanswered` and `authbot report --csv`."""

from __future__ import annotations

import csv
import io

from bot.core.redact import scrub
from bot.store.db import UnansweredQuestion

COLUMNS = ("created_at", "guild_id", "source", "best_guess", "confidence", "text")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # spreadsheet apps would run these cells as formulas


def _cell(value: object) -> str:
    text = "" if value is None else scrub(str(value))  # the last check before a file leaves the bot
    return f"'{text}" if text.startswith(FORMULA_START) else text


def unanswered_csv(questions: list[UnansweredQuestion]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for q in questions:
        writer.writerow(
            _cell(value) for value in (q.created_at, q.guild_id, q.source, q.best_guess, f"{q.confidence:.3f}", q.text)
        )
    return buffer.getvalue().encode("utf-8")
