"""Several questions in one message: found, answered one entry each, and the rest named as not covered."""

from __future__ import annotations

from bot.core.questions import excerpt, split_questions

BUNDLE = """hi team, a few things:
1) list_archives / list_chats - how do I get the next page? passing next_page_id gives a validation error
2) how long does an agent access token last, and can it be made longer than 8 hours?
3) my personal access token gets 401 when I send it with the Bearer scheme, what is wrong?"""


def test_list_items_and_question_sentences_are_questions() -> None:
    assert len(split_questions(BUNDLE)) == 3
    prose = "My PAT gives 401 on list_chats. What am I doing wrong? Also, how long does a token last?"
    assert split_questions(prose) == ["My PAT gives 401 on list_chats. What am I doing wrong?",
                                      "Also, how long does a token last?"]
    assert len(split_questions("just the one question about tokens here?")) == 1


def test_code_blocks_are_context_not_questions() -> None:
    text = "Why 401?\n```\nis this a question? no, it's code?\nwhat about this?\n```\nthanks"
    assert split_questions(text) == []  # "Why 401?" is too short to stand alone; the fence is ignored


def test_excerpts_are_one_short_line() -> None:
    assert excerpt("a  b\nc") == "a b c"
    long = "word " * 40
    assert len(excerpt(long)) <= 90 and excerpt(long).endswith("…")


def test_each_authorization_question_gets_its_entry_and_the_rest_are_named(engine) -> None:
    diagnosis = engine.diagnose(BUNDLE)
    answer = diagnosis.answer
    assert not diagnosis.abstained
    answered = {diagnosis.top.entry_id, *(entry.id for _, entry in answer.more)}
    assert {"pat-auth-fails", "token-lifetime-limits"} <= answered
    assert len(answered) <= 3
    assert any("next page" in question for question in answer.uncovered)


def test_a_question_answers_when_the_whole_message_would_not(engine) -> None:
    text = (
        "Our widget looks odd on mobile, can we change its colours from the dashboard? "
        "And separately: where do I create a personal access token in the developer console?"
    )
    diagnosis = engine.diagnose(text)
    assert not diagnosis.abstained and diagnosis.top.entry_id in {"pat-create", "pat-quickstart"}
    assert any("colours" in question for question in diagnosis.answer.uncovered)


def test_a_question_of_a_message_about_another_product_stays_that_products(engine) -> None:
    """Split off on its own, "where does the token come from?" reads like a LiveChat question; in a message
    about another vendor's chat (whose own identifiers say "livechat") it is that vendor's, and a lone
    question must not answer for the whole."""
    text = (
        "Olark single sign-on for visitors\n\nWe show signed-in shoppers in Olark chat; their doc says to call "
        "`olark('livechat.identify', payload)` and the user list comes from their REST API. Which token do I use "
        "for the REST API? Does the widget need a reload after identify?"
    )
    diagnosis = engine.diagnose(text)
    assert diagnosis.abstained, diagnosis.top
