"""Help-channel mode: answer clear questions once, stay silent otherwise."""

from __future__ import annotations

CLEAR = "I get unauthorized_client error when authorizing my app, what is wrong?"
ALSO_CLEAR = "customer token refresh: how do I refresh a LiveChat customer access token?"
# Confidently about authorization, but nothing says LiveChat: a help channel must not answer it unprompted.
NO_EVIDENCE = "how do I refresh an expired OAuth access token with my refresh token before it runs out?"
CHIT_CHAT = "hello everyone, nice weather today"


def answers_in(world, channel) -> list:
    return [m for m in channel.history() if m.author.id == world.bot.user.id]


async def test_clear_question_is_answered_once_as_a_reply_pinging_only_the_asker(world):
    question = await world.alice.send(world.help, CLEAR)

    answers = answers_in(world, world.help)
    assert len(answers) == 1
    assert answers[0].reference.message_id == question.id
    assert answers[0].embeds and answers[0].content
    world.assert_mentions_at_most(users={world.alice.id})
    assert await world.bot.store.is_answered(question.id)


async def test_chit_chat_bots_and_other_channels_get_silence(world):
    await world.alice.send(world.help, CHIT_CHAT)
    await world.other_bot.send(world.help, CLEAR)
    await world.alice.send(world.general, CLEAR)

    assert answers_in(world, world.help) == []
    assert answers_in(world, world.general) == []


async def test_threshold_decides_between_silence_and_an_answer(world):
    confidence = world.bot.engine.diagnose(ALSO_CLEAR).top.score
    world.bot.settings.help_channel_threshold = confidence + 0.001  # read on every message

    await world.alice.send(world.help, ALSO_CLEAR)
    assert answers_in(world, world.help) == []

    world.bot.settings.help_channel_threshold = confidence
    await world.alice.send(world.help, ALSO_CLEAR)
    assert len(answers_in(world, world.help)) == 1


async def test_forum_post_is_answered_once_per_thread(world):
    thread, starter = await world.forum_post(world.alice, "Auth trouble", CLEAR)
    assert len(answers_in(world, thread)) == 1
    assert answers_in(world, thread)[0].reference.message_id == starter.id

    await world.alice.send(thread, ALSO_CLEAR)  # a second clear question in the same thread

    assert len(answers_in(world, thread)) == 1


async def test_forum_thread_with_vague_start_is_answered_when_the_owner_gets_specific(world):
    thread, _ = await world.forum_post(world.alice, "help pls", "hi, can someone help me?")
    assert answers_in(world, thread) == []

    await world.bob.send(thread, CLEAR)  # not the asker: not the question
    assert answers_in(world, thread) == []

    await world.alice.send(thread, CLEAR)
    assert len(answers_in(world, thread)) == 1


async def test_never_answers_after_a_moderator_did(world):
    thread, _ = await world.forum_post(world.alice, "help pls", "hi, can someone help me?")
    await world.mod.send(thread, "Hi! What error do you get exactly?")

    await world.alice.send(thread, CLEAR)

    assert answers_in(world, thread) == []


async def test_configured_moderator_role_counts_as_moderator(world):
    thread, _ = await world.forum_post(world.alice, "help pls", "hi, can someone help me?")
    await world.supporter.send(thread, "Looking into it.")

    await world.alice.send(thread, CLEAR)

    assert answers_in(world, thread) == []


async def test_discord_500_on_send_is_survived(world):
    world.env.inject_error("POST", "/channels/*/messages", status=500)

    await world.alice.send(world.help, CLEAR)  # the reply fails
    assert answers_in(world, world.help) == []
    assert world.env.errors == []  # handled, not crashed

    retry = await world.alice.send(world.help, CLEAR)  # the next question is answered normally
    answers = answers_in(world, world.help)
    assert len(answers) == 1 and answers[0].reference.message_id == retry.id


# -- throttles (issue 10, point 9) ------------------------------------------------------------------


async def test_repeated_pastes_get_one_answer_per_user(world):
    for _ in range(3):
        await world.alice.send(world.help, CLEAR)

    assert len(answers_in(world, world.help)) == 1

    await world.env.advance_time(world.bot.settings.help_channel_user_seconds + 1)
    await world.alice.send(world.help, CLEAR)
    assert len(answers_in(world, world.help)) == 2


async def test_a_busy_channel_is_throttled(world):
    await world.restart(help_channel_answers_per_minute=1)

    await world.alice.send(world.help, CLEAR)
    await world.bob.send(world.help, ALSO_CLEAR)  # another member, same minute: over the channel's limit
    assert len(answers_in(world, world.help)) == 1

    await world.env.advance_time(61)
    await world.bob.send(world.help, ALSO_CLEAR)
    assert len(answers_in(world, world.help)) == 2


# -- forum titles (issue 10, point 4) -------------------------------------------------------------------

VAGUE_BODY = "Help please, what am I doing wrong? Code below"


async def test_a_forum_post_is_read_with_its_title(world):
    title = "unauthorized_client when exchanging the code"
    thread, starter = await world.forum_post(world.alice, title, VAGUE_BODY)

    (answer,) = answers_in(world, thread)
    assert answer.reference.message_id == starter.id
    expected = world.bot.engine.diagnose(f"{title}\n\n{VAGUE_BODY}").top.entry_id
    assert answer.embeds[0].title == world.bot.engine.kb.entries[expected].title


async def test_the_title_counts_only_for_the_first_message(world):
    thread, _ = await world.forum_post(world.alice, "unauthorized_client when exchanging the code", "hi")
    answers_before = len(answers_in(world, thread))
    # A later vague message in an answered thread gets nothing, whatever the title says.
    await world.alice.send(thread, VAGUE_BODY)
    assert len(answers_in(world, thread)) == answers_before


# -- follow-ups in an answered thread (issue 10, point 10) --------------------------------------------

FOLLOW_UP = "now I get invalid_client with redirect_uri mismatch after changing the app settings"


async def test_a_follow_up_is_answered_only_when_it_asks_the_bot(world):
    thread, _ = await world.forum_post(world.alice, "Auth trouble", CLEAR)
    (first,) = answers_in(world, thread)

    await world.alice.send(thread, FOLLOW_UP)  # not addressed to the bot: people talk in threads
    assert len(answers_in(world, thread)) == 1

    await world.env.advance_time(world.bot.settings.help_channel_user_seconds + 1)
    asked = await world.alice.send(thread, FOLLOW_UP, reply_to=first)
    answers = answers_in(world, thread)
    assert len(answers) == 2 and answers[-1].reference.message_id == asked.id

    await world.env.advance_time(world.bot.settings.help_channel_user_seconds + 1)
    await world.alice.send(thread, f"{world.bot.user.mention} {ALSO_CLEAR}")
    assert len(answers_in(world, thread)) == 3
    world.assert_mentions_at_most(users={world.alice.id})


async def test_without_livechat_evidence_a_confident_guess_stays_unposted(world):
    """On real traffic half of the unsolicited answers were wrong, mostly other products' questions."""
    diagnosis = world.bot.engine.diagnose(NO_EVIDENCE)
    assert not diagnosis.abstained and not diagnosis.livechat_evidence
    world.bot.settings.help_channel_threshold = 0.0

    await world.alice.send(world.help, NO_EVIDENCE)
    assert answers_in(world, world.help) == []

    await world.alice.send(world.help, f"<@{world.bot.user.id}> {NO_EVIDENCE}")  # asked directly: answered
    assert len(answers_in(world, world.help)) == 1
