"""`authbot report --html DIR`: the stats chart, the gap clusters and the per-entry table in one page.

Self-contained: the chart is an inline base64 PNG, the style is inline, and a Content-Security-Policy
forbids everything else (no script, no font, no request), so the file can be mailed or archived and
opened anywhere. Every piece of stored text is HTML-escaped (and scrubbed again: the file leaves the bot).
"""

from __future__ import annotations

import base64
import html
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Protocol

from bot.core.redact import scrub
from bot.learning.clusters import Cluster
from bot.render.gaps import one_line

PREVIEW = 300  # characters of a cluster's representative question
POLICY = "default-src 'none'; img-src data:; style-src 'unsafe-inline'"

STYLE = """
body { font: 15px/1.5 system-ui, sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem;
       color: #1f2328; background: #ffffff; }
h1 { font-size: 1.6rem; margin-bottom: 0.2rem; } h2 { margin-top: 2.2rem; font-size: 1.2rem; }
.muted { color: #59636e; } img { max-width: 100%; height: auto; border-radius: 8px; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; padding: 0.35rem 0.6rem;
       border-bottom: 1px solid #d1d9e0; vertical-align: top; } td.n, th.n { text-align: right; }
@media (prefers-color-scheme: dark) { body { color: #e6edf3; background: #0d1117; }
       .muted { color: #9198a1; } th, td { border-color: #3d444d; } }
"""


class EntryRow(Protocol):
    """What the page shows of an entry (the store's `EntryStats` fits)."""

    @property
    def entry_id(self) -> str: ...
    @property
    def uses(self) -> int: ...
    @property
    def solved(self) -> int: ...
    @property
    def not_solved(self) -> int: ...


def _text(value: object) -> str:
    return html.escape(scrub(str(value)))


def _ratio(solved: int, not_solved: int) -> str:
    return f"{solved / (solved + not_solved):.0%}" if solved + not_solved else "—"


def html_report(
    *,
    chart_png: bytes,
    clusters: Sequence[Cluster],
    entries: Sequence[EntryRow],
    titles: Mapping[str, str],
    generated: datetime,
    days: int,
) -> str:
    """The page; `titles` maps entry ids to their titles (an id no longer in the knowledge base shows alone)."""
    chart = base64.b64encode(chart_png).decode("ascii")
    cluster_rows = "".join(
        f"<tr><td class=n>{c.size}</td><td>{_text(one_line(c.representative, PREVIEW))}</td>"
        f"<td>{_text(c.nearest_entry or '—')}</td>"
        f"<td class=n>{f'{c.nearest_confidence:.2f}' if c.nearest_entry else '—'}</td></tr>"
        for c in clusters
    ) or "<tr><td colspan=4 class=muted>No unanswered questions.</td></tr>"
    entry_rows = "".join(
        f"<tr><td><code>{_text(e.entry_id)}</code></td><td>{_text(titles.get(e.entry_id, ''))}</td>"
        f"<td class=n>{e.uses}</td><td class=n>{e.solved}</td><td class=n>{e.not_solved}</td>"
        f"<td class=n>{_ratio(e.solved, e.not_solved)}</td></tr>"
        for e in entries
    ) or "<tr><td colspan=6 class=muted>No entry used yet.</td></tr>"
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{POLICY}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>authbot report</title>
<style>{STYLE}</style>
</head>
<body>
<h1>authbot report</h1>
<p class="muted">Generated {generated:%Y-%m-%d %H:%M} UTC · charts cover the last {days} days · text is redacted</p>
<h2>Activity</h2>
<img id="chart" alt="Questions per day (answered and not), feedback votes per day (solved and not) and the most
used entries" src="data:image/png;base64,{chart}">
<h2>Unanswered questions, grouped ({len(clusters)} groups)</h2>
<table id="clusters">
<thead><tr><th class=n>Questions</th><th>Representative question</th><th>Nearest entry</th>
<th class=n>Confidence</th></tr></thead>
<tbody>{cluster_rows}</tbody>
</table>
<h2>Entries</h2>
<table id="entries">
<thead><tr><th>Entry</th><th>Title</th><th class=n>Uses</th><th class=n>Solved</th><th class=n>Not solved</th>
<th class=n>Solved ratio</th></tr></thead>
<tbody>{entry_rows}</tbody>
</table>
</body>
</html>
"""
