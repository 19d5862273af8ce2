"""Gap clusters as plain lines, biggest first, shared by `/kb unanswered` and `authbot report --unanswered`."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from bot.core.redact import scrub
from bot.learning.clusters import Cluster
from bot.render.limits import truncate

PREVIEW = 120  # characters of the representative question: enough to recognise it


def one_line(text: str, limit: int) -> str:
    """Redacted text on one line, cut to `limit` characters."""
    return truncate(" ".join(scrub(text).split()), limit)


def cluster_lines(
    clusters: Sequence[Cluster], *, escape: Callable[[str], str] = str, preview: int = PREVIEW
) -> list[str]:
    """One line per cluster: size, nearest entry and confidence, and the representative question, quoted."""
    lines = []
    for cluster in clusters:
        nearest = "no entry near"
        if cluster.nearest_entry:
            nearest = f"nearest {cluster.nearest_entry} ({cluster.nearest_confidence:.2f})"
        asked = "1 question" if cluster.size == 1 else f"{cluster.size} questions"
        lines.append(f"{asked} · {nearest} · “{escape(one_line(cluster.representative, preview))}”")
    return lines
