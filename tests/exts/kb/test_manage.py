"""/kb stats, /kb unanswered and /kb reload."""

from __future__ import annotations

import csv
import io
import random
import string
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image
from simcord import SetupError, assert_responded
from sqlalchemy import insert

from bot.render import charts
from bot.store.schema import diagnoses
from tests.render.test_charts import rgb

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


async def test_stats_attach_the_chart_after_acknowledging(world):
    answer = (await world.alice.slash(world.general, "diagnose", text=CLEAR)).response
    await world.alice.click(answer, label="Solved ✅")

    result = await world.mod.slash(world.general, "kb stats")

    callbacks = [r.json for r in world.env.http_requests if r.path.endswith("/callback")]
    assert callbacks[-1] == {"type": 5, "data": {"flags": 64}}  # deferred (thinking, private) before drawing
    [attachment] = result.response.attachments
    assert attachment.filename == "kb-stats.png" and attachment.content_type == "image/png"
    assert result.response.embeds[0].image.url == "attachment://kb-stats.png"
    data = await attachment.read()
    assert len(data) < charts.MAX_BYTES
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG" and image.size == (800, 1050)
    colours = {colour for _, colour in image.convert("RGB").getcolors(1 << 20)}
    assert rgb(charts.ANSWERED) in colours and rgb(charts.HELPFUL) in colours  # today's bars drawn


async def test_unanswered_groups_similar_questions_biggest_first(world):
    for text in (
        "does anybody know how to export my chat transcripts to a spreadsheet",
        "does anyone know how to export the chat transcripts to a spreadsheet?",
        "how can I export chat transcripts to a spreadsheet file",
        UNANSWERED,
    ):
        await world.alice.slash(world.general, "diagnose", text=text, private=True)

    result = await world.mod.slash(world.general, "kb unanswered")

    embed = result.response.embeds[0]
    assert embed.title == "4 unanswered question(s) in 2 group(s)"
    first, second = embed.description.splitlines()
    assert first.startswith("1. 3 questions · ") and "transcripts" in first
    assert second.startswith("2. 1 question · ") and "pizza place" in second
    assert result.response.attachments[0].filename == "unanswered.csv"


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


async def test_hundreds_of_groups_stay_within_embed_limits(world):
    def words(seed: int) -> str:  # unlike any other row's: 300 groups of one
        rng = random.Random(seed)
        return " ".join("".join(rng.choices(string.ascii_lowercase, k=6)) for _ in range(10))

    rows = [
        {"created_at": datetime.now(UTC), "source": "diagnose", "confidence": 0.1, "abstained": True,
         "text": f"{words(n)} @everyone"}
        for n in range(300)
    ]
    await world.bot.store.run(lambda conn: conn.execute(insert(diagnoses), rows), write=True)

    result = await world.mod.slash(world.general, "kb unanswered")

    embed = result.response.embeds[0]
    assert embed.title == "300 unanswered question(s) in 300 group(s)"
    assert len(embed.description) <= 4096 and len(embed) <= 6000
    assert embed.description.splitlines()[-1].startswith("…and ") and "@everyone" not in embed.description
