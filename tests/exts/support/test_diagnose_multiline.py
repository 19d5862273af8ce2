"""Multi-line pastes keep their lines (issue 10, point 13): `/diagnose` without text opens a modal with a
paragraph field, and the context menu reads a long paste that Discord turned into `message.txt`."""

from __future__ import annotations

from simcord import assert_responded

# A LiveChat log (its token endpoint named): a help channel answers it unasked. A bare OAuth error with no
# LiveChat mark is everybody's, and the calibrated confidence for it sits at the threshold.
PASTE = (
    "POST https://accounts.livechat.com/v2/token grant_type=authorization_code\n"
    "Traceback (most recent call last):\n"
    '  File "app.py", line 12, in <module>\n'
    "    resp.raise_for_status()\n"
    "requests.exceptions.HTTPError: 401 Client Error: Unauthorized\n"
    '{"error": "unauthorized_client", "error_description": "The client is not authorized"}'
)


async def test_diagnose_without_text_opens_a_paragraph_modal(world):
    shown = await world.alice.slash(world.general, "diagnose")

    assert shown.modal is not None and len(shown.modal["title"]) <= 45
    field = shown.modal["components"][0]["components"][0]
    assert field["style"] == 2  # paragraph: lines survive

    submitted = await world.alice.submit_modal(shown, {"diagnose_text": PASTE})
    await world.bot.recorder.flush()

    expected = world.bot.engine.diagnose(PASTE)
    assert_responded(submitted, embed_title=world.bot.engine.kb.entries[expected.top.entry_id].title)
    ((stored,),) = await world.sql("SELECT text FROM diagnoses")
    assert stored.count("\n") == PASTE.count("\n")


async def test_diagnose_modal_has_the_private_choice_of_the_command(world):
    shown = await world.alice.slash(world.general, "diagnose", private=True)
    submitted = await world.alice.submit_modal(shown, {"diagnose_text": PASTE})
    assert submitted.response.ephemeral


async def test_context_menu_reads_a_text_attachment(world):
    message = await world.alice.send(world.general, "see the log", attachments=[("message.txt", PASTE.encode())])

    result = await world.bob.context_menu(world.general, "Diagnose message", message)

    expected = world.bot.engine.diagnose("see the log\n\n" + PASTE)
    assert_responded(result, ephemeral=True, embed_title=world.bot.engine.kb.entries[expected.top.entry_id].title)


async def test_help_channel_reads_a_text_attachment(world):
    question = await world.alice.send(world.help, "here is my log", attachments=[("message.txt", PASTE.encode())])

    answers = [m for m in world.help.history() if m.author.id == world.bot.user.id]
    assert len(answers) == 1 and answers[0].reference.message_id == question.id
