"""The plugin in tests/asyncio_leaks.py names the test that leaves an asyncio task pending (issue 13, point 13)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]

LEAKY = '''
import asyncio


def test_leaves_a_server_task_pending():
    loop = asyncio.new_event_loop()

    async def forever():
        await asyncio.Event().wait()

    loop.run_until_complete(asyncio.sleep(0))
    loop.create_task(forever())
    loop.run_until_complete(asyncio.sleep(0.01))  # the task starts and waits; nobody ends it
    loop.close()


async def test_tidy():
    await asyncio.sleep(0)
'''


def test_a_test_that_leaves_a_task_pending_fails_by_name(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONPATH", str(REPO))  # the subprocess imports the plugin from this checkout
    pytester.makeconftest('pytest_plugins = ("tests.asyncio_leaks",)')
    pytester.makepyfile(test_leaky=LEAKY)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "-o", "asyncio_mode=auto")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*test_leaves_a_server_task_pending left 1 asyncio task(s) pending*"])
    assert "test_tidy left" not in result.stdout.str()
