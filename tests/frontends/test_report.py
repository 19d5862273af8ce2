"""`authbot report --unanswered --chart --html`: groups, the chart PNG and the self-contained page from a database."""

from __future__ import annotations

import io
import re

from PIL import Image

from bot.cli import main as authbot
from bot.store import Store, queries

GAPS = [
    "how do I export my chat transcripts to a spreadsheet",
    "how do I export the chat transcripts into a spreadsheet?",
    "is there a dark mode for the agent app",
]


def seed(path, engine) -> None:
    store = Store.open(path)
    for text in GAPS:
        store.record_diagnosis(engine.diagnose(text), source="diagnose", guild_id=1)
    store.run(queries.count, "entry", "pat-create", write=True)
    store.run(queries.record_vote, message_id=1, user_id=2, entry_id="pat-create", solved=False, guild_id=1, write=True)
    store.close()


def test_report_writes_groups_chart_and_html(tmp_path, engine, capsys):
    database, chart, site = tmp_path / "bot.sqlite3", tmp_path / "stats.png", tmp_path / "site"
    seed(database, engine)

    status = authbot([
        "report", "--database", str(database), "--unanswered", "--chart", str(chart), "--days", "7",
        "--html", str(site),
    ])

    assert status == 0
    grouped = capsys.readouterr().out.split("Unanswered questions, grouped (biggest first)\n")[1].splitlines()
    assert grouped[0].startswith("  2 questions · ") and "transcripts" in grouped[0]
    assert grouped[1].startswith("  1 question · ") and "dark mode" in grouped[1]
    image = Image.open(io.BytesIO(chart.read_bytes()))
    assert image.format == "PNG" and image.size == (800, 1050)
    page = (site / "index.html").read_text()
    assert page.count('src="data:image/png;base64,') == 1 and "charts cover the last 7 days" in page
    assert re.search(r"<td><code>pat-create</code></td><td>How can I get a Personal Access Token\?</td>"
                     r"<td class=n>1</td><td class=n>0</td><td class=n>1</td><td class=n>0%</td>", page)
    assert page.count("<tr><td class=n>") == 2  # the two groups


def test_days_must_be_positive(tmp_path, capsys):
    assert authbot(["report", "--database", str(tmp_path / "x.sqlite3"), "--days", "0"]) == 2
    assert "--days must be at least 1" in capsys.readouterr().err
