"""Moderators' answers become labelled examples, and `authbot kb suggest` learns from them (issue 15)."""

from __future__ import annotations

import yaml

from bot.cli import main as authbot

# Fresh wording: the bot abstains on it, and it carries a secret the example must never keep.
SECRET = "FAKE_pw_Zq7xLp2mN9vB4cR8tY"
QUESTION = f"which screen mints personal keys for scripts? password={SECRET}"
CONFIDENT = "I get unauthorized_client error when authorizing my app, what is wrong?"


def options(message) -> list[str]:
    return [o["value"] for row in message.components for c in row["components"] for o in c.get("options", [])]


async def answer_with_faq(world, channel, question, entry_id: str):
    picker = await world.mod.context_menu(channel, "Answer with FAQ", question)
    if entry_id not in options(picker.response):
        shown = await world.mod.click(picker.response, label="Search…")
        picker = await world.mod.submit_modal(shown, {"faq_search": entry_id.replace("-", " ")})
    return await world.mod.select(picker.response, [entry_id])


async def test_an_abstained_question_answered_with_faq_becomes_a_phrasing_and_an_eval_case(world, tmp_path, capsys):
    assert world.bot.engine.diagnose(QUESTION).abstained
    question = await world.alice.send(world.general, QUESTION)

    chosen = await answer_with_faq(world, world.general, question, "pat-create")

    [example] = await world.bot.store.examples()
    assert "Saved as labelled example #" in chosen.response.content
    assert (example.chosen_entry, example.source, example.labelled_by) == ("pat-create", "context_menu", world.mod.id)
    assert example.bot_abstained and example.message_id == question.id and example.linked_vote is None
    assert SECRET not in example.text and "[other-secret" in example.text
    world.assert_never_shown(SECRET)

    out = tmp_path / "suggestions"
    database = str(world.bot.settings.database_path)
    assert authbot(["kb", "suggest", "--database", database, "--out", str(out)]) == 0  # the command line, in-process
    proposal = (out / "phrasings" / "pat-create.yaml").read_text()
    # the asker's wording, with the secret's place held by a placeholder (no character of it)
    assert yaml.safe_load(proposal)["phrasings"] == ["which screen mints personal keys for scripts? password=<token>"]
    assert SECRET[-4:] not in proposal
    capsys.readouterr()
    assert authbot(["eval", str(out / "labelled-examples.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == ["cases", "1"]


async def test_answer_command_labels_the_message_it_replies_to(world):
    question = await world.alice.send(world.general, "where do the personal keys for my scripts come from")

    result = await world.mod.slash(world.general, "answer", topic="pat-create", message=str(question.id))

    [example] = await world.bot.store.examples()
    assert example.source == "slash" and example.chosen_entry == "pat-create"
    assert f"#{example.id}" in result.response.content


async def test_answers_without_a_question_message_label_nothing(world):
    await world.mod.slash(world.general, "answer", topic="pat-create", user=world.alice)
    assert await world.bot.store.examples() == []


async def test_a_not_solved_vote_before_the_moderator_answer_is_linked(world):
    question = await world.alice.send(world.help, CONFIDENT)
    bot_answer = world.help.last_message
    assert bot_answer.author.id == world.bot.user.id and bot_answer.reference.message_id == question.id
    await world.alice.click(bot_answer, label="Not solved")
    other = next(e for e in world.bot.engine.kb.entries if e != world.bot.engine.diagnose(CONFIDENT).top.entry_id)

    await answer_with_faq(world, world.help, question, other)

    [example] = await world.bot.store.examples()
    assert example.linked_vote is not None
    assert (example.linked_vote.message_id, example.linked_vote.user_id) == (bot_answer.id, world.alice.id)
    assert not example.bot_abstained and example.bot_entry != other


async def test_a_solved_vote_is_not_linked(world):
    question = await world.alice.send(world.help, CONFIDENT)
    await world.alice.click(world.help.last_message, label="Solved ✅")

    await answer_with_faq(world, world.help, question, "pat-create")

    [example] = await world.bot.store.examples()
    assert example.linked_vote is None
