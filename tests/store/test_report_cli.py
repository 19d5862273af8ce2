"""`authbot report` prints the /kb stats numbers from the database (a SQLite file or PostgreSQL)."""

from __future__ import annotations

from bot.store import Store, queries
from tests.conftest import run_authbot


def test_report_prints_stats_and_exports_csv(tmp_path, engine, database_url):
    store = Store.open(database_url)
    store.record_diagnosis(engine.diagnose("does anyone know a good pizza place?"), source="diagnose", guild_id=1)
    store.run(queries.count, "entry", "pat-create", write=True)
    store.run(queries.record_vote, message_id=1, user_id=2, entry_id="pat-create", solved=True, guild_id=1, write=True)
    store.close()
    csv_path = tmp_path / "unanswered.csv"

    done = run_authbot("report", "--csv", str(csv_path), env={"DATABASE_URL": database_url})

    assert done.returncode == 0, done.stderr
    assert "Abstained (unanswered): 1" in done.stdout
    assert "pat-create: 1 uses, 100% solved (1✓ / 0✗)" in done.stdout
    assert "pizza place" in done.stdout
    assert "pizza place" in csv_path.read_text()


def test_report_without_a_database_says_so(tmp_path):
    done = run_authbot("report", "--database", str(tmp_path / "missing.sqlite3"))
    assert done.returncode == 1 and "no database" in done.stderr


def test_run_without_a_token_explains_what_to_do(tmp_path):
    done = run_authbot("run", env={"DISCORD_TOKEN": "", "DATABASE_PATH": str(tmp_path / "x.sqlite3")})
    assert done.returncode == 2
    assert "DISCORD_TOKEN" in done.stderr and "authbot shell" in done.stderr
