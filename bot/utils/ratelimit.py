"""A sliding-window counter: at most `limit` events per `per` seconds for each key.

Used where discord.py's command cooldowns can't reach: messages in help channels (no command runs)
and helper-role pings (a button, limited per user *and* per guild). `time.monotonic` is read on each
call rather than captured, so a test clock that replaces it (simcord's virtual time) is honoured.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Hashable


class SlidingWindow:
    def __init__(self, limit: int, per: float) -> None:
        self.limit = limit
        self.per = per
        self._events: defaultdict[Hashable, deque[float]] = defaultdict(deque)

    def _recent(self, key: Hashable) -> deque[float]:
        events = self._events[key]
        horizon = time.monotonic() - self.per
        while events and events[0] <= horizon:
            events.popleft()
        if not events:
            del self._events[key]  # keys come and go with users: don't keep one per user forever
            return deque()
        return events

    def retry_after(self, key: Hashable) -> float:
        """Seconds until `key` may act again; 0 when it may act now."""
        if self.limit <= 0:
            return self.per  # a limit of 0 turns the action off
        events = self._recent(key)
        if len(events) < self.limit:
            return 0.0
        return max(0.0, events[0] + self.per - time.monotonic())

    def hit(self, key: Hashable) -> None:
        self._events[key].append(time.monotonic())

    def try_hit(self, key: Hashable) -> bool:
        """Record an event for `key` if it is within the limit; False (and nothing recorded) if not."""
        if self.retry_after(key):
            return False
        self.hit(key)
        return True

    def undo(self, key: Hashable) -> None:
        """Take back the last event of `key` (the action it allowed did not happen after all)."""
        events = self._events.get(key)
        if events:
            events.pop()
