"""A progress bar for long terminal work (`authbot bench`, `authbot eval` over many cases).

Drawn on stderr only when stderr is a terminal: piped or redirected output (CI logs, `> results.txt`)
gets nothing, not a stream of carriage returns. No dependency: one line of text, redrawn at most ten
times a second and erased when done, is all these commands need.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from typing import TextIO, TypeVar

T = TypeVar("T")
WIDTH = 30
REDRAW_SECONDS = 0.1


def track(items: Sequence[T], label: str, stream: TextIO | None) -> Iterator[T]:
    """Yield `items`, showing `label [####------] done/total` on `stream` if it is a terminal."""
    if stream is None or not stream.isatty() or not items:
        yield from items
        return
    last = 0.0
    try:
        for done, item in enumerate(items):
            now = time.monotonic()
            if now - last >= REDRAW_SECONDS:
                last = now
                filled = WIDTH * done // len(items)
                stream.write(f"\r{label} [{'#' * filled}{'-' * (WIDTH - filled)}] {done}/{len(items)}")
                stream.flush()
            yield item
    finally:
        stream.write("\r\x1b[K")  # erase the bar: the results print where it was
        stream.flush()
