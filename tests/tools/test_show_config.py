"""`authbot config`: every effective setting, secrets redacted, in .env form or JSON."""

from __future__ import annotations

import json

from bot.settings import SECRET_MASK, Settings
from tests.cli_env import FAKE_DISCORD_TOKEN, clean_env, run_cli


def config(tmp_path, *args: str, **settings: str):
    result = run_cli("config", *args, cwd=tmp_path, env=clean_env(**settings))
    assert FAKE_DISCORD_TOKEN not in result.stdout + result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    return result


def test_every_setting_is_printed_and_the_token_is_not(tmp_path):
    result = config(tmp_path, discord_token=FAKE_DISCORD_TOKEN, shard_count="4", shard_ids="2,3", log_json="1")
    assert result.returncode == 0, result.stderr
    values = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert list(values) == [name.upper() for name in Settings.model_fields]
    assert values["DISCORD_TOKEN"] == SECRET_MASK
    assert (values["SHARD_COUNT"], values["SHARD_IDS"], values["LOG_JSON"]) == ("4", "2,3", "true")
    assert values["DEV_GUILD_ID"] == "" and values["LEAK_GUARD"] == "true"


def test_json_output_redacts_the_token_and_the_database_password(tmp_path):
    result = config(
        tmp_path, "--json", discord_token=FAKE_DISCORD_TOKEN, database_url="postgresql://bot:hunter2@db/authbot"
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["discord_token"] == SECRET_MASK
    assert values["database_url"] == f"postgresql://bot:{SECRET_MASK}@db/authbot"
    assert "hunter2" not in result.stdout


def test_dot_env_in_the_working_directory_is_read_and_empty_means_unset(tmp_path):
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={FAKE_DISCORD_TOKEN}\nDEV_GUILD_ID=\nHELP_CHANNEL_IDS=1, 2\n")
    result = config(tmp_path, "--json")
    values = json.loads(result.stdout)
    assert (values["discord_token"], values["dev_guild_id"], values["help_channel_ids"]) == (SECRET_MASK, None, [1, 2])


def test_invalid_settings_are_listed_without_their_values(tmp_path):
    # Someone pasted the token into the wrong variable: say which variable, never echo the value.
    result = config(tmp_path, dev_guild_id=FAKE_DISCORD_TOKEN, log_level="LOUD")
    assert result.returncode == 2 and result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith("authbot config: DEV_GUILD_ID: Input should be a valid integer")
    assert lines[1].startswith("authbot config: LOG_LEVEL: Input should be 'DEBUG'")


def test_env_file_option_reads_a_settings_file_below_the_environment(tmp_path):
    settings_file = tmp_path / "authbot.env"
    settings_file.write_text(f"DISCORD_TOKEN={FAKE_DISCORD_TOKEN}\nLOG_LEVEL=DEBUG\nHEARTBEAT_FILE=/run/authbot/heartbeat\n")
    result = run_cli("--env-file", str(settings_file), "config", "--json", cwd=tmp_path, env=clean_env(log_level="ERROR"))
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["discord_token"] == SECRET_MASK and values["heartbeat_file"] == "/run/authbot/heartbeat"
    assert values["log_level"] == "ERROR"  # the real environment wins, as with .env
    assert FAKE_DISCORD_TOKEN not in result.stdout


def test_a_missing_env_file_is_an_error(tmp_path):
    result = run_cli("--env-file", str(tmp_path / "nope.env"), "config", cwd=tmp_path, env=clean_env())
    assert result.returncode == 2 and "nope.env does not exist" in result.stderr
