"""The stats chart: a PNG readable on Discord's dark and light themes, drawn off the event loop."""

from __future__ import annotations

import asyncio
import io
import threading
from datetime import date, timedelta

import pytest
from PIL import Image

from bot.render import charts
from bot.render.charts import ChartData, render_chart, render_chart_async
from bot.store.activity import Day

DISCORD_DARK, DISCORD_LIGHT = (49, 51, 56), (255, 255, 255)  # the themes' chat backgrounds

START = date(2026, 11, 1)
BUSY = ChartData(
    days=[Day(START + timedelta(n), answered=5 + n, unanswered=n % 3, helpful=n % 4, not_helpful=1) for n in range(14)],
    top_entries=[("pat-create", 12), ("invalid-access-token", 9), ("a-very-long-entry-identifier-for-layout", 2)],
)
QUIET = ChartData(days=[Day(START + timedelta(n)) for n in range(7)], top_entries=[])


def rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))  # type: ignore[return-value]


def contrast(a: str, b: str) -> float:
    def luminance(colour: str) -> float:
        channels = [c / 255 for c in rgb(colour)]
        r, g, b_ = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b_

    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def pixels_of(image: Image.Image, colour: str) -> int:
    target = rgb(colour)
    return sum(count for count, pixel in image.convert("RGB").getcolors(1 << 20) if pixel == target)


@pytest.fixture(scope="module")
def busy() -> Image.Image:
    return Image.open(io.BytesIO(render_chart(BUSY)))


def test_the_chart_is_an_opaque_png_that_looks_the_same_on_both_themes(busy):
    assert busy.format == "PNG"
    assert busy.size == (800, 1050)
    assert busy.convert("RGBA").getchannel("A").getextrema() == (255, 255)
    on_dark = Image.alpha_composite(Image.new("RGBA", busy.size, DISCORD_DARK), busy.convert("RGBA"))
    on_light = Image.alpha_composite(Image.new("RGBA", busy.size, DISCORD_LIGHT), busy.convert("RGBA"))
    assert on_dark.tobytes() == on_light.tobytes()
    for corner in [(0, 0), (799, 0), (0, 1049), (799, 1049)]:
        assert busy.convert("RGB").getpixel(corner) == rgb(charts.BACKGROUND)


def test_text_and_bars_stand_out_from_the_card():
    for text in (charts.TEXT, charts.MUTED):
        assert contrast(text, charts.BACKGROUND) >= 4.5  # WCAG AA for text
    for bar in (charts.ANSWERED, charts.UNANSWERED, charts.HELPFUL, charts.NOT_HELPFUL, charts.USES):
        assert contrast(bar, charts.BACKGROUND) >= 3  # WCAG AA for graphics


def test_every_series_is_drawn_and_an_empty_period_draws_no_bars(busy):
    series = (charts.ANSWERED, charts.UNANSWERED, charts.HELPFUL, charts.NOT_HELPFUL, charts.USES)
    assert all(pixels_of(busy, colour) > 500 for colour in series)
    quiet = Image.open(io.BytesIO(render_chart(QUIET)))
    assert all(pixels_of(quiet, colour) == 0 for colour in series)
    assert pixels_of(quiet, charts.MUTED) > 0  # the "nothing yet" notes


def test_the_png_fits_easily_in_a_discord_attachment():
    assert len(render_chart(BUSY)) < charts.MAX_BYTES


async def test_rendering_runs_in_a_worker_thread_and_can_overlap(monkeypatch):
    threads = []
    real = charts.render_chart

    def spy(data: ChartData) -> bytes:
        threads.append(threading.current_thread())
        return real(data)

    monkeypatch.setattr(charts, "render_chart", spy)
    first, second = await asyncio.gather(render_chart_async(BUSY), render_chart_async(QUIET))
    assert first == render_chart(BUSY) and second == render_chart(QUIET)  # deterministic, even concurrently
    assert threads and all(t is not threading.main_thread() for t in threads[:2])
