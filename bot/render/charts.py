"""The stats chart (`/kb stats`, `authbot report --chart`, the HTML report): one PNG, three panels.

1. questions per day, answered vs not; 2. feedback votes per day, helpful vs not; 3. the most used entries.

Drawn with matplotlib's Agg backend through its object API (a `Figure` of our own, never pyplot's global
state), so a render can run in a worker thread: `render_chart_async` does, and renders go one at a time.
Readable in Discord's dark and light themes: the image is opaque, a dark card of its own whatever the
theme behind it, with text at WCAG contrast ≥ 4.5 and bars ≥ 3 against the card (Okabe-Ito colours, which
colour-blind readers tell apart too). tests/render/test_charts.py checks both.
"""

from __future__ import annotations

import asyncio
import io
import threading
from collections.abc import Sequence
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from bot.store.activity import Day

BACKGROUND = "#2b2d31"  # Discord's dark embed colour: blends into the dark theme, a clear card on the light one
TEXT = "#f2f3f5"
MUTED = "#b5bac1"  # axis labels and ticks
GRID = "#4e5058"
ANSWERED = "#56b4e9"  # Okabe-Ito sky blue
UNANSWERED = "#e69f00"  # orange
HELPFUL = "#009e73"  # bluish green
NOT_HELPFUL = "#d55e00"  # vermillion
USES = "#cc79a7"  # reddish purple

WIDTH_IN, HEIGHT_IN, DPI = 8.0, 10.5, 100  # 800 × 1050 px: sharp when Discord scales it to its preview width
MAX_BYTES = 1024 * 1024  # far under Discord's attachment limit; a chart is ~50 KB
TOP_ENTRIES = 6
DATE_LABELS = 6  # at most this many dates on an axis
# Points at 100 dpi; Discord shows the 800-pixel card at about half size in an embed, and full size on a click.
TITLE_SIZE, LABEL_SIZE = 18, 14

_render_lock = threading.Lock()


@dataclass(frozen=True)
class ChartData:
    days: Sequence[Day]  # oldest first, one per calendar day (days without activity included)
    top_entries: Sequence[tuple[str, int]]  # (entry id, uses), most used first


def render_chart(data: ChartData) -> bytes:
    """The chart as PNG bytes (blocking: call `render_chart_async` from the event loop)."""
    with _render_lock:
        figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI, facecolor=BACKGROUND, layout="constrained")
        figure.get_layout_engine().set(w_pad=0.15, h_pad=0.1)  # inches of margin: the card's edge
        FigureCanvasAgg(figure)
        questions, votes, entries = figure.subplots(3, 1, height_ratios=[1, 1, 1.3])
        labels = [d.day.strftime("%b %d") for d in data.days]
        _stacked(questions, "Questions per day", labels,
                 [("answered", [d.answered for d in data.days], ANSWERED),
                  ("not answered", [d.unanswered for d in data.days], UNANSWERED)])
        _stacked(votes, "Feedback votes per day", labels,
                 [("solved", [d.helpful for d in data.days], HELPFUL),
                  ("not solved", [d.not_helpful for d in data.days], NOT_HELPFUL)])
        _entries(entries, list(data.top_entries)[:TOP_ENTRIES])
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", facecolor=BACKGROUND, metadata={"Software": None})
    return buffer.getvalue()


async def render_chart_async(data: ChartData) -> bytes:
    return await asyncio.to_thread(render_chart, data)


def _style(axes: Axes, title: str) -> None:
    axes.set_facecolor(BACKGROUND)
    axes.set_title(title, color=TEXT, fontsize=TITLE_SIZE, loc="left", fontweight="bold")
    axes.tick_params(colors=MUTED, labelsize=LABEL_SIZE)
    for side, spine in axes.spines.items():
        spine.set_visible(side in ("left", "bottom"))
        spine.set_color(GRID)


def _empty(axes: Axes, message: str) -> None:
    axes.text(0.5, 0.5, message, transform=axes.transAxes, ha="center", va="center", color=MUTED, fontsize=LABEL_SIZE)
    axes.set_xticks([])
    axes.set_yticks([])


def _stacked(axes: Axes, title: str, labels: list[str], series: list[tuple[str, list[int], str]]) -> None:
    _style(axes, title)
    if not any(sum(values) for _, values, _ in series):
        _empty(axes, "nothing yet in this period")
        return
    positions = list(range(len(labels)))
    bottom = [0] * len(labels)
    for name, values, colour in series:
        axes.bar(positions, values, bottom=bottom, color=colour, label=f"{name} ({sum(values)})", width=0.8)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]
    step = -(-len(labels) // DATE_LABELS)  # every step-th day labelled, so labels never overlap
    axes.set_xticks(positions[::step], labels[::step])
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="y", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.set_ylim(0, max(bottom) * 1.3)  # headroom: the legend sits above the tallest bar, never over it
    legend = axes.legend(loc="upper left", frameon=False, fontsize=LABEL_SIZE, ncols=len(series))
    for text in legend.get_texts():
        text.set_color(TEXT)


def _entries(axes: Axes, entries: list[tuple[str, int]]) -> None:
    _style(axes, "Most used entries")
    if not entries:
        _empty(axes, "no entry used yet")
        return
    # Names above their bars rather than as tick labels, so a long entry id does not narrow the panels above.
    rows = list(range(len(entries)))[::-1]  # barh draws bottom-up: the most used on top
    bars = axes.barh(rows, [count for _, count in entries], color=USES, height=0.45)
    axes.bar_label(bars, color=TEXT, fontsize=LABEL_SIZE, padding=4)
    for row, (entry_id, _) in zip(rows, entries, strict=True):
        axes.text(0, row + 0.3, entry_id, color=TEXT, fontsize=LABEL_SIZE, va="bottom")
    axes.set_yticks([])
    axes.set_ylim(-0.5, len(entries) - 0.1)
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.grid(axis="x", color=GRID, linewidth=0.6)
    axes.set_axisbelow(True)
    axes.margins(x=0.12)  # room for the count after the longest bar
