"""`Matcher.search` serves autocomplete and /faq: ids, a few words or a question."""

from __future__ import annotations

import pytest

from bot.core.answer import entry_answer


@pytest.mark.parametrize(
    ("typed", "expected_first"),
    [
        ("inv", "invalid-access-token"),
        ("create a personal access token", "pat-create"),
        ("refresh customer token", "customer-token-refresh"),
        ("wrong region", "wrong-region"),
        ("redirect uri", "invalid-client-redirect-uri"),
        ("helpdesk", "helpdesk-auth"),
    ],
)
def test_search_ranks_the_obvious_entry_first(engine, typed: str, expected_first: str) -> None:
    assert engine.matcher.search(typed, 25)[0].id == expected_first


def test_search_limits_and_nonsense(engine) -> None:
    assert len(engine.matcher.search("", 25)) == min(25, len(engine.kb))
    assert len(engine.matcher.search("token", 3)) == 3
    assert engine.matcher.search("xyzzy", 25) == []


def test_an_entry_chosen_by_name_has_no_confidence(kb) -> None:
    answer = entry_answer(kb, "pat-create")
    assert answer.confidence is None and not answer.abstained and answer.findings == ()
