"""The terminal front ends, run as real subprocesses, never print a piece of a pasted secret: generated cases
(tests/secret_cases.py, every context, rotating encodings) through `authbot ask`, `ask --json` and the shell,
on stdout and stderr alike."""

from __future__ import annotations

import pytest

from tests.conftest import run_authbot
from tests.secret_cases import Case, leaked_pieces, sample_cases

CASES = sample_cases(24, seed=21)


def _assert_clean(case: Case, where: str, output: str) -> None:
    assert not leaked_pieces(case.secret, output), f"{case}: a piece of the secret reached {where}"


@pytest.mark.parametrize("case", CASES, ids=str)
def test_ask_prints_no_piece_of_the_secret(case: Case) -> None:
    flags = ("--json",) if CASES.index(case) % 2 else ()
    result = run_authbot("ask", "-", *flags, stdin=case.text)
    assert result.returncode == 0, f"{case}: exit {result.returncode}"
    _assert_clean(case, "stdout", result.stdout)
    _assert_clean(case, "stderr", result.stderr)


def test_the_shell_prints_no_piece_of_any_secret() -> None:
    # Each paste, then the same text as a command argument: both paths must stay clean.
    session = "".join(f"{case.text}\n\n/faq {case.text.splitlines()[0]}\n\n" for case in CASES[:12]) + "/quit\n"
    result = run_authbot("shell", stdin=session)
    assert result.returncode == 0
    for case in CASES[:12]:
        _assert_clean(case, "the shell's stdout", result.stdout)
        _assert_clean(case, "the shell's stderr", result.stderr)
