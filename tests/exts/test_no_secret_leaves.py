"""End to end over (simulated) Discord: a generated leaked credential never leaves the bot.

`tests/secret_cases.py` generates credentials of every family, written in every encoding (invisible
characters, fullwidth, percent/JSON/HTML escapes, look-alike region prefixes, wrapped lines…) inside every
context a paste puts them in (headers, JSON, .env, cookies, URL userinfo, Basic values…). The property
tests in tests/core check the engine and the store in-process; these drive the real bot through simcord,
so every layer that touches the text on the way out is included — the cogs, rendering, discord.py's
serialisation, the leak guard's notices and DMs, logging and the SQLite file.

Three paths, each for the same sample of cases (one fresh server, bot and database per case, so each
case's outputs are checked alone):
1. `/diagnose text:<paste>`: the answer is private, and no piece of the secret is in it or anywhere else;
2. the paste posted in a help channel where the bot holds Manage Messages: the leak guard deletes it,
   and nothing the bot sent (what another member sees, the author's DMs, the mod log), logged or stored
   holds a piece;
3. the same in a help channel where it doesn't: the message stays, the bot posts nothing there, and the
   DM and mod-log alert hold no piece either.

"A piece" is 10 consecutive characters of the secret part, found as written or once the output is
normalised (`leaked_pieces`): an output that re-encodes the token (`%3A`, `\\u003a`) leaks it as well.
Where the paste holds the secret only inside a Basic value (base64 of `account_id:PAT`), the part of that
value which encodes the PAT counts as a secret too: echoing the Basic value leaks the PAT as surely.
Failures name the case recipe (`str(case)`) and where, never the piece.
"""

from __future__ import annotations

import base64
import json
import logging
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import discord
import pytest
from simcord.builders import ChannelHandle

from tests.exts.credentials.exposure import bot_outputs
from tests.secret_cases import ACCOUNT_ID, WHOLE_VALUE_CONTEXTS, Case, Secret, leaked_pieces, sample_cases

#: Enough to cover every context (23) and every encoding (17) at least once; ~0.4 s per case and path.
CASES = sample_cases(25)
CASE_IDS = [f"{i:02d}-{case}" for i, case in enumerate(CASES)]

Output = tuple[str, str]  # (where, text)


def secrets_of(case: Case) -> list[Secret]:
    """What must not come out: the secret, and in a Basic-value context the base64 that carries it.

    base64 turns 3 bytes into 4 characters, so the first 36 bytes (`<36-character account id>`) are the
    first 48 characters and encode the public account id alone: a redacted form may keep a prefix of
    those. Everything from character 48 on encodes `:` and the PAT."""
    secrets = [case.secret]
    if case.context in WHOLE_VALUE_CONTEXTS:
        assert len(ACCOUNT_ID) == 36
        basic = base64.b64encode(f"{ACCOUNT_ID}:{case.secret.value}".encode()).decode()
        secrets.append(Secret("basic-value", basic[48:].rstrip("=")))
    return secrets


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"leak_guard": True}  # on, as it is by default in a real deployment


@pytest.fixture(autouse=True)
def _debug_logs(caplog: pytest.LogCaptureFixture) -> None:
    # DEBUG for every logger, the bot's and discord.py's: the log filter and levels are under test too.
    caplog.set_level(logging.DEBUG)


# -- collecting outputs ----------------------------------------------------------------------------------


def as_json(value: object) -> str:
    # ensure_ascii=False keeps text as sent; leaked_pieces also normalises, which undoes \\u escapes anyway.
    return json.dumps(value, ensure_ascii=False, default=repr)


def request_outputs(world) -> list[Output]:
    """Every request the bot made (bodies as JSON and as repr), and every message it authored as the
    simulated backend stores them in any channel, DMs and the mod log included (exposure.bot_outputs)."""
    outputs = bot_outputs(world)
    outputs += [(f"{r.method} {r.path} (json)", as_json([r.path, r.params, r.json])) for r in world.env.http_requests]
    return outputs


def message_outputs(where: str, messages: list[discord.Message]) -> list[Output]:
    return [
        (f"{where}: message {m.id}", m.content + as_json([e.to_dict() for e in m.embeds]) + as_json(m.components))
        for m in messages
    ]


def log_outputs(caplog: pytest.LogCaptureFixture) -> list[Output]:
    return [("captured logs", caplog.text), *((f"log record of {r.name}", r.getMessage()) for r in caplog.records)]


def database_outputs(world) -> list[Output]:
    """Every row of every table in the bot's SQLite file (tests/exts/conftest.py puts it in tmp_path), read
    through a second connection: WAL mode lets it see every committed write while the bot's is open."""
    path = Path(world.bot.settings.database_path)
    assert path.exists(), "the bot wrote no database: nothing was checked"
    outputs: list[Output] = []
    # closing(): sqlite3's own context manager ends a transaction but leaves the connection open.
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()  # table names come from sqlite_master
            outputs += [(f"database table {table}", as_json(row)) for row in rows]
    assert "diagnoses" in tables
    return outputs


def raw_file_hits(world, case: Case) -> list[str]:
    """The database files byte for byte (main file and WAL): a value written and later overwritten may
    linger in a free page. Secrets are ASCII, stored as UTF-8, so a plain byte search is exact."""
    path = Path(world.bot.settings.database_path)
    values = [secret.canonical.encode() for secret in secrets_of(case)]
    pieces = {value[i : i + 10] for value in values for i in range(len(value) - 9)}
    return [f.name for f in path.parent.glob(path.name + "*") if any(p in f.read_bytes() for p in pieces)]


def assert_nothing_holds_a_piece(world, caplog, case: Case, outputs: list[Output]) -> None:
    """The messages a test collected, plus every request, log line, database row and database file."""
    assert_no_piece(case, outputs + request_outputs(world) + log_outputs(caplog) + database_outputs(world))
    assert not raw_file_hits(world, case), f"{case}: a piece of the secret is in the database files"


def assert_no_piece(case: Case, outputs: list[Output]) -> None:
    assert outputs, "nothing was collected: the check would pass vacuously"
    secrets = secrets_of(case)
    where = [place for place, text in outputs if any(leaked_pieces(secret, text) for secret in secrets)]
    if where:  # pytest.fail, not assert: the report must not reprint the secret
        pytest.fail(f"{case}: a 10-character piece of the secret reached {sorted(set(where))}")


# -- the world -------------------------------------------------------------------------------------------


def dm_of(world, member) -> ChannelHandle:
    return ChannelHandle(world.env, None, world.env.backend.get_dm_channel(member.id))


def mod_log(world) -> ChannelHandle:
    modlog = world.guild.create_text_channel("mod-log")
    world.bot.settings.mod_log_channel_id = modlog.id  # read when an alert is due
    return modlog


def locked_help_channel(world) -> ChannelHandle:
    """A help channel where the bot lacks Manage Messages: it can answer there but not delete."""
    locked = world.guild.create_text_channel(
        "locked-help", overwrites={world.guild.roles["TestBot"]: discord.PermissionOverwrite(manage_messages=False)}
    )
    world.bot.settings.help_channel_ids = [*world.bot.settings.help_channel_ids, locked.id]  # read per message
    return locked


def bot_messages(channel: ChannelHandle, viewer) -> list[discord.Message]:
    return [m for m in channel.history(viewer=viewer) if m.author.bot]


# -- the check itself ---------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_the_check_sees_the_secret_in_the_paste_itself(case: Case) -> None:
    """Guards against a vacuous pass: the paste, as an output, must fail the check for every case, so an
    echo of it anywhere below would be caught, whatever its encoding."""
    visible = secrets_of(case)[1:] if case.context in WHOLE_VALUE_CONTEXTS else [case.secret]
    assert all(leaked_pieces(secret, case.text) for secret in visible), f"{case}: the check can't see the secret"
    with pytest.raises(pytest.fail.Exception):
        assert_no_piece(case, [("the paste", case.text)])


# -- 1. /diagnose --------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_diagnose_answers_privately_and_repeats_no_piece(world, caplog, case: Case):
    result = await world.alice.slash(world.general, "diagnose", text=case.text)

    assert world.env.errors == []
    assert result.acknowledged and result.response is not None
    # The paste held a credential: the answer must not be public, whatever the engine made of the rest.
    assert result.ephemeral and result.response.ephemeral, f"{case}: /diagnose answered publicly"
    assert world.general.history(viewer=world.bob) == [], f"{case}: another member sees the answer"
    responses = [result.response, *result.followups]
    outputs: list[Output] = [
        (f"response {r.id}", r.content + as_json([e.to_dict() for e in r.embeds]) + as_json(r.components))
        for r in responses
    ]
    outputs += message_outputs("#general as the asker sees it", world.general.history(viewer=world.alice))
    outputs += message_outputs("#general, all messages", world.general.history())
    assert_nothing_holds_a_piece(world, caplog, case, outputs)


# -- 2. help channel, Manage Messages: the leak guard deletes -----------------------------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_help_channel_paste_is_deleted_and_nothing_repeats_a_piece(world, caplog, case: Case):
    modlog = mod_log(world)

    leaked = await world.alice.send(world.help, case.text)

    assert world.env.errors == []
    seen_by_bob = world.help.history(viewer=world.bob)
    assert all(m.id != leaked.id for m in seen_by_bob), f"{case}: the leak guard did not delete the paste"
    # Whatever is left is the bot's: the notice, and maybe an answer that refers to no message.
    assert all(m.author.bot for m in seen_by_bob)
    assert all(m.reference is None for m in seen_by_bob), f"{case}: a message points at the deleted paste"
    dms = dm_of(world, world.alice).history()
    assert dms, f"{case}: the author got no DM about the leak"
    outputs = message_outputs("#auth-help as another member sees it", seen_by_bob)
    outputs += message_outputs("DM to the author", dms)
    outputs += message_outputs("mod log", modlog.history())
    assert_nothing_holds_a_piece(world, caplog, case, outputs)


# -- 3. help channel, no Manage Messages: the paste stays, the bot says nothing there -------------------


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_help_channel_paste_that_stays_gets_no_public_word(world, caplog, case: Case):
    locked = locked_help_channel(world)
    modlog = mod_log(world)

    leaked = await world.alice.send(locked, case.text)

    assert world.env.errors == []
    assert any(m.id == leaked.id for m in locked.history())  # the bot can't delete it...
    # ...so nothing public may point at it: no answer, no reply, no notice.
    assert bot_messages(locked, world.bob) == [], f"{case}: the bot posted next to a live credential"
    assert not [r for r in world.env.http_requests if r.path == f"/channels/{locked.id}/messages"]
    dms, alerts = dm_of(world, world.alice).history(), modlog.history()
    assert dms and alerts, f"{case}: the author or the moderators were not told"
    outputs = message_outputs("DM to the author", dms) + message_outputs("mod log", alerts)
    assert_nothing_holds_a_piece(world, caplog, case, outputs)
