"""A test that leaves an asyncio task pending fails, naming itself (issue 13, point 13).

"Task was destroyed but it is pending!" used to appear after the pytest summary in some runs: asyncio
says so when a task that never finished is garbage-collected, which happened at interpreter exit, long
after the test that started it, so nobody could tell which one. Here garbage is collected after each test
that made an event loop, and a task destroyed while pending turns that test's teardown into an error.
"""

from __future__ import annotations

import asyncio
import gc
import logging
from collections.abc import Generator

import pytest

PENDING = "Task was destroyed but it is pending"


class _PendingTasks(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if PENDING in message:
            self.messages.append(message)


_pending = _PendingTasks()
logging.getLogger("asyncio").addHandler(_pending)


class _LoopCounter:
    """Counts event loops as they are made (pytest-asyncio's, simcord's, a stub server's own), so garbage
    is collected only after the tests that made one: a full collection after each of 900 tests costs more
    than the whole suite's async tests."""

    made = 0
    seen = 0
    _init = asyncio.BaseEventLoop.__init__

    @classmethod
    def install(cls) -> None:
        def counting_init(loop: asyncio.BaseEventLoop, *args: object, **kwargs: object) -> None:
            cls.made += 1
            cls._init(loop, *args, **kwargs)

        asyncio.BaseEventLoop.__init__ = counting_init  # type: ignore[method-assign]

    @classmethod
    def new_since_last_look(cls) -> bool:
        new, cls.seen = cls.made != cls.seen, cls.made
        return new


_LoopCounter.install()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Generator[None, None, None]:
    result = yield
    if _LoopCounter.new_since_last_look():
        gc.collect()  # the test's loop is closed by now: whatever it left pending is destroyed here
    if _pending.messages:
        messages, _pending.messages[:] = list(_pending.messages), []
        raise AssertionError(f"{item.nodeid} left {len(messages)} asyncio task(s) pending:\n" + "\n".join(messages))
    return result
