"""The one way the Discord cogs run a diagnosis: the engine, then the per-diagnosis log line.

Every cog that diagnoses user text calls `run_diagnosis()` so the log line (entry, confidence, latency,
guild — never the text) and the metrics (outcome, latency) cannot be forgotten on a new path. Storing the
diagnosis stays with the caller, because only the caller knows whether it was answered (help channels
store only replies).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import metrics
from bot.core.diagnosis import Diagnosis
from bot.logs import log_diagnosis

if TYPE_CHECKING:
    from bot.app import AuthBot


def run_diagnosis(bot: AuthBot, text: str, *, source: str, guild_id: int | None) -> Diagnosis:
    diagnosis = bot.engine.diagnose(text)
    log_diagnosis(diagnosis, source=source, guild_id=guild_id)
    metrics.record_diagnosis(
        abstained=diagnosis.abstained, escalate=diagnosis.answer.escalate, seconds=diagnosis.ms / 1000
    )
    return diagnosis
