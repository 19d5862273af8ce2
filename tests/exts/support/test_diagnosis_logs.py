"""Every path that diagnoses user text logs one line per diagnosis, without the user's text."""

from __future__ import annotations

import logging

import pytest

QUESTION = "I get unauthorized_client error when authorizing my app, what is wrong?"
TEXT_PIECE = "authorizing my app"


@pytest.fixture
def diagnosis_records(caplog):
    caplog.set_level(logging.INFO, logger="bot.diagnosis")

    def records() -> list[logging.LogRecord]:
        return [r for r in caplog.records if r.name == "bot.diagnosis"]

    return records


def fields(record: logging.LogRecord) -> dict:
    return record.authbot_fields


async def test_slash_diagnose_logs_entry_confidence_latency_and_guild(world, diagnosis_records):
    await world.alice.slash(world.general, "diagnose", text=QUESTION)

    (record,) = diagnosis_records()
    expected = world.bot.engine.diagnose(QUESTION).top
    assert fields(record) | {"latency_ms": 0} == {
        "event": "diagnosis",
        "source": "diagnose",
        "guild_id": world.guild.id,
        "entry_id": expected.entry_id,
        "confidence": round(expected.score, 3),
        "abstained": False,
        "latency_ms": 0,
        "credentials": 0,
    }
    assert TEXT_PIECE not in record.getMessage()


async def test_context_menu_and_help_channel_log_too(world, diagnosis_records):
    message = await world.alice.send(world.general, QUESTION)
    await world.mod.context_menu(world.general, "Diagnose message", message)
    await world.bob.send(world.help, QUESTION)
    picked_from = await world.alice.send(world.general, QUESTION)
    await world.mod.context_menu(world.general, "Answer with FAQ", picked_from)

    sources = [fields(r)["source"] for r in diagnosis_records()]
    assert sources == ["context-menu", "help-channel", "answer-with-faq"]
    assert all(TEXT_PIECE not in r.getMessage() for r in diagnosis_records())
