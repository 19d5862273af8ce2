"""/kb stats, /kb unanswered and /kb reload."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from simcord import SetupError, assert_responded

CLEAR = "unauthorized_client error when authorizing my app"
UNANSWERED = "hello everyone, does anyone know a good pizza place?"


@pytest.fixture
def settings_overrides(knowledge_copy: Path) -> dict:
    return {"knowledge_dir": knowledge_copy}  # reload tests edit files: never the real folder


async def test_stats_show_top_entries_solved_ratio_abstains_and_recent_questions(world):
    answer = (await world.alice.slash(world.general, "diagnose", text=CLEAR)).response
    await world.alice.click(answer, label="Solved ✅")
    await world.mod.click(answer, label="Not solved")  # only the asker and moderators vote
    await world.alice.slash(world.general, "diagnose", text=UNANSWERED, private=True)
    entry_id = world.bot.engine.diagnose(CLEAR).top.entry_id

    result = await world.mod.slash(world.general, "kb stats")

    assert_responded(result, ephemeral=True, embed_title="Knowledge base stats")
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert "Diagnoses: 2" in fields["Overview"] and "Abstained (unanswered): 1" in fields["Overview"]
    assert f"{entry_id}: 1 uses, 50% solved (1✓ / 1✗)" in fields["Top entries"]
    assert "pizza place" in fields["Recent unanswered questions"]


async def test_unanswered_exports_redacted_csv(world, fake_token):
    await world.alice.slash(world.general, "diagnose", text=UNANSWERED, private=True)
    await world.alice.slash(world.general, "diagnose", text=f"=pizza? token {fake_token}", private=True)

    result = await world.mod.slash(world.general, "kb unanswered")

    assert_responded(result, ephemeral=True)
    attachment = result.response.attachments[0]
    assert attachment.filename == "unanswered.csv"
    rows = list(csv.DictReader(io.StringIO((await attachment.read()).decode())))
    texts = [row["text"] for row in rows]
    assert any("pizza place" in text for text in texts)
    assert all(fake_token not in text for text in texts)
    assert all(not text.startswith("=") for text in texts)  # no spreadsheet formulas


async def test_unanswered_when_there_are_none(world):
    result = await world.mod.slash(world.general, "kb unanswered")
    assert_responded(result, ephemeral=True, content="No unanswered questions yet.")


async def test_members_cannot_see_kb_commands(world):
    with pytest.raises(SetupError):
        await world.alice.slash(world.general, "kb stats")


async def test_reload_picks_up_a_new_entry(world, knowledge_copy: Path):
    source = (knowledge_copy / "pat-create.yaml").read_text()
    (knowledge_copy / "pat-create-copy.yaml").write_text(source.replace("id: pat-create", "id: pat-create-copy", 1))

    result = await world.mod.slash(world.general, "kb reload")

    assert "Added: pat-create-copy" in result.response.content
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create-copy"), ephemeral=False)


async def test_reload_with_a_broken_file_keeps_the_old_knowledge(world, knowledge_copy: Path):
    before = world.bot.engine
    (knowledge_copy / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n")

    result = await world.mod.slash(world.general, "kb reload")

    assert_responded(result, ephemeral=True)
    embed = result.response.embeds[0]
    assert "old knowledge base is still running" in embed.title
    assert "broken.yaml:3: YAML syntax error" in embed.description
    assert len(embed.description) <= 4096
    assert world.bot.engine is before
    assert_responded(await world.alice.slash(world.general, "faq", topic="pat-create"), ephemeral=False)


async def test_reload_with_hundreds_of_problems_stays_within_limits(world, knowledge_copy: Path):
    for number in range(300):
        (knowledge_copy / f"bad-{number}.yaml").write_text(f"id: bad-{number}\n")

    result = await world.mod.slash(world.general, "kb reload")

    description = result.response.embeds[0].description
    assert len(description) <= 4096 and "more" in description.splitlines()[-1]
