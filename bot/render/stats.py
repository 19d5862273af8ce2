"""Feedback and gap statistics as titled blocks of plain lines, shared by `/kb stats` and `authbot report`."""

from __future__ import annotations

from collections.abc import Callable

from bot.store.db import Stats

QUESTION_PREVIEW = 120  # enough to recognise a question in a list; the CSV export has it all


def _ratio(value: float | None) -> str:
    return "no votes" if value is None else f"{value:.0%} solved"


def stats_blocks(stats: Stats, *, escape: Callable[[str], str] = str) -> list[tuple[str, list[str]]]:
    """[(heading, lines)]; `escape` makes user text safe for the target (e.g. Discord markdown)."""
    overview = [
        f"Diagnoses: {stats.diagnoses}",
        f"Abstained (unanswered): {stats.abstained}",
        f"Feedback votes: {stats.votes}",
    ]
    if stats.median_latency_ms is not None:
        overview.append(f"Median diagnosis time: {stats.median_latency_ms:.1f} ms")
    top = [
        f"{e.entry_id}: {e.uses} uses, {_ratio(e.solved_ratio)} ({e.solved}✓ / {e.not_solved}✗)"
        for e in stats.top_entries
    ] or ["nothing answered yet"]
    recent = [
        f"{q.created_at[:16].replace('T', ' ')} · {escape(_preview(q.text))}" for q in stats.recent_unanswered
    ] or ["none"]
    return [("Overview", overview), ("Top entries", top), ("Recent unanswered questions", recent)]


def _preview(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= QUESTION_PREVIEW else flat[: QUESTION_PREVIEW - 1] + "…"
