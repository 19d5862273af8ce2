"""Entries too big for one embed are split across messages and never rejected by Discord."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from simcord import assert_responded

from bot.render.embed import CUT_NOTICE, MAX_PAGES

STEP = "Check the setting described here and compare it with your request. " * 7  # ~480 characters


def _entry(entry_id: str, steps: int, code_lines: int) -> dict:
    return {
        "id": entry_id,
        "title": ("A very long title about tokens " * 10)[:256],
        "question": f"What does the {entry_id} entry say?",
        "summary": ("The key line, long on purpose. " * 12)[:300],
        "phrasings": [f"{entry_id} question"],
        "steps": [f"{STEP}({number})" for number in range(steps)],
        "example": {
            "title": "A long request",
            "language": "shell",
            "code": "\n".join(
                f"curl https://api.livechatinc.com/v3.5/agent/action/list_chats  # line {n} ```"
                for n in range(code_lines)
            ),
        },
        "links": [{"title": f"Link {n}", "url": f"https://platform.text.com/docs/{n}"} for n in range(30)],
        "apis": ["agent-chat"],
        "source": ["https://platform.text.com/docs/"],
    }


@pytest.fixture
def settings_overrides(knowledge_copy: Path) -> dict:
    for entry in (_entry("huge-entry", steps=20, code_lines=40), _entry("enormous-entry", steps=60, code_lines=400)):
        (knowledge_copy / f"{entry['id']}.yaml").write_text(yaml.safe_dump(entry, sort_keys=False))
    return {"knowledge_dir": knowledge_copy}


def _assert_within_limits(body: dict) -> None:
    assert len(body.get("content") or "") <= 2000
    embeds = body.get("embeds") or []
    assert len(embeds) <= 10
    total = 0
    for embed in embeds:
        assert len(embed.get("title", "")) <= 256 and len(embed.get("description", "")) <= 4096
        assert len(embed.get("fields", [])) <= 25
        assert all(len(f["value"]) <= 1024 for f in embed.get("fields", []))
        total += sum(len(embed.get(key) or "") for key in ("title", "description"))
        total += len((embed.get("footer") or {}).get("text", ""))
        total += sum(len(f["name"]) + len(f["value"]) for f in embed.get("fields", []))
    assert total <= 6000


async def test_a_huge_entry_continues_in_followups_with_buttons_last(world):
    result = await world.alice.slash(world.general, "faq", topic="huge-entry")

    assert_responded(result, ephemeral=False)
    messages = [result.response, *result.followups]
    assert len(messages) > 1
    assert all(m.embeds[0].description.count("```") % 2 == 0 for m in messages)  # no broken code block
    assert [bool(m.components) for m in messages] == [False] * (len(messages) - 1) + [True]
    assert messages[-1].embeds[0].footer.text.endswith(f"Part {len(messages)}/{len(messages)}")
    for body in world.sent_bodies():
        _assert_within_limits(body)
    assert world.env.errors == []


async def test_an_enormous_entry_is_cut_with_a_notice(world):
    result = await world.alice.slash(world.general, "faq", topic="enormous-entry", private=True)

    messages = [result.response, *result.followups]
    assert len(messages) == MAX_PAGES
    assert messages[-1].embeds[0].description.endswith(CUT_NOTICE.strip())
    for body in world.sent_bodies():
        _assert_within_limits(body)


async def test_moderator_posting_a_huge_entry_replies_once_and_pings_once(world):
    question = await world.alice.send(world.general, "what does the huge entry say?")

    await world.mod.slash(world.general, "answer", topic="huge-entry", message=str(question.id))

    posted = [m for m in world.general.history() if m.author.id == world.bot.user.id]
    assert len(posted) > 1
    assert posted[0].reference.message_id == question.id
    assert all(m.reference is None for m in posted[1:])
    for body in world.sent_bodies():
        _assert_within_limits(body)
    policies = [body["allowed_mentions"] for body in world.sent_bodies()]
    assert policies[0] == {"parse": [], "users": [world.alice.id], "replied_user": True}
    assert all(not p.get("users") and not p.get("replied_user") for p in policies[1:])
