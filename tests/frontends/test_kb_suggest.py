"""`authbot kb suggest` on a seeded database: proposal files per entry and an eval file `authbot eval` reads.

The command line runs in-process (`bot.cli.main`): the same code as the installed command, without a
interpreter start per call."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import yaml
from sqlalchemy import update

from bot.cli import main as authbot
from bot.store import Store, queries
from bot.store.schema import labelled_examples

FAKE = "dal:FAKE_test_token_000000000000"


def label(store: Store, message_id: int, text: str, chosen: str, *, bot_entry=None, confidence=0.1, abstained=True):
    return store.run(
        queries.record_example,
        guild_id=1, channel_id=2, message_id=message_id, text=text, chosen_entry=chosen, bot_entry=bot_entry,
        bot_confidence=confidence, bot_abstained=abstained, labelled_by=99, source="context_menu", write=True,
    )


def seed(path):
    store = Store.open(path)
    label(store, 10, f"which page of the console mints the personal token? mine {FAKE} expired", "pat-create")
    label(store, 11, "is one bearer token enough for both chat apis, agent side and customer side", "token-per-api",
          bot_entry="customer-chat-api-auth", confidence=0.9, abstained=False)
    old = label(store, 12, "an old question about minting personal tokens in the console menu", "pat-create")
    store.run(lambda conn: conn.execute(update(labelled_examples).where(labelled_examples.c.id == old)
                                        .values(created_at=datetime.now(UTC) - timedelta(days=40))), write=True)
    store.close()


def test_suggest_writes_proposals_and_an_eval_file(tmp_path, capsys):
    database, out = tmp_path / "bot.sqlite3", tmp_path / "out"
    seed(database)

    status = authbot(["kb", "suggest", "--database", str(database), "--out", str(out)])

    assert status == 0
    assert "3 labelled example(s): 3 phrasing(s) proposed for 2 entries, 3 eval case(s)." in capsys.readouterr().out
    pat = yaml.safe_load((out / "phrasings" / "pat-create.yaml").read_text())
    assert pat["phrasings"][0] == (
        "which page of the console mints the personal token? mine <token> expired"
    )
    assert "answered customer-chat-api-auth" in (out / "phrasings" / "token-per-api.yaml").read_text()
    assert all(FAKE not in p.read_text() for p in out.rglob("*.yaml"))

    assert authbot(["eval", str(out / "labelled-examples.yaml")]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == ["cases", "3"]


def test_since_keeps_recent_examples_only(tmp_path):
    database, out = tmp_path / "bot.sqlite3", tmp_path / "out"
    seed(database)
    since = (datetime.now(UTC) - timedelta(days=7)).date().isoformat()

    assert authbot(["kb", "suggest", "--database", str(database), "--out", str(out), "--since", since]) == 0
    cases = yaml.safe_load((out / "labelled-examples.yaml").read_text())
    assert len(cases) == 2 and all("old question" not in c["text"] for c in cases)


def test_suggest_without_examples_writes_nothing(tmp_path, capsys):
    database, out = tmp_path / "bot.sqlite3", tmp_path / "out"
    Store.open(database).close()

    assert authbot(["kb", "suggest", "--database", str(database), "--out", str(out)]) == 0
    assert "No labelled examples yet" in capsys.readouterr().out
    assert not out.exists()
