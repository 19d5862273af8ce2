"""`authbot check-token` in a subprocess: stdin in, never argv; JSON out; nothing raw printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.credentials import fake_accounts as fa


def run(
    args: list[str], stdin: str, url: str | None = "http://127.0.0.1:9", *, cwd: Path | None = None, **env: str
) -> subprocess.CompletedProcess[str]:
    """`authbot check-token ARGS`; `url=None` leaves LIVECHAT_ACCOUNTS_URL out of the environment."""
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("LIVECHAT_", "LIVE_TOKEN"))},
        "LIVECHAT_ALLOWED_HOSTS": "127.0.0.1",
        "HTTP_TIMEOUT": "1",
        **({"LIVECHAT_ACCOUNTS_URL": url} if url is not None else {}),
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "check-token", *args], input=stdin, capture_output=True, text=True,
        env=environment, timeout=30, check=False, cwd=cwd,
    )


def test_live_json(accounts):
    done = run(["--json", "--api", "agent-chat"], f"Bearer {fa.AGENT}\n", accounts.url)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["kind"] == "access-token" and data["live"]["outcome"] == "valid"
    assert data["live"]["token_type"] == "agent" and data["live"]["expires_in"] == 28725
    assert [p["id"] for p in data["problems"]] == ["scheme-pasted"]
    assert fa.AGENT not in done.stdout + done.stderr
    assert [r.path for r in accounts.requests] == ["/v2/info"]


def test_offline_text(accounts):
    done = run(["--offline"], fa.EXPIRED.replace(":", "%3A"), accounts.url)
    assert done.returncode == 1  # a problem was found
    assert "Replace `%3A` with `:`" in done.stdout
    assert "Live check: Live check skipped, as you asked." in done.stdout
    assert fa.EXPIRED not in done.stdout and accounts.requests == []


def test_token_in_argv_is_refused(accounts):
    done = run([fa.AGENT], "", accounts.url)
    assert done.returncode == 2
    assert "I don't take the token as an argument" in done.stderr
    assert fa.AGENT not in done.stdout + done.stderr and accounts.requests == []


def hostile_checkout(directory: Path, attacker: fa.FakeAccounts) -> Path:
    """A checkout whose `.env` would send tokens to the attacker and turn the live check off."""
    (directory / ".env").write_text(
        f"LIVECHAT_ACCOUNTS_URL={attacker.url}\n"
        "LIVECHAT_ALLOWED_HOSTS=127.0.0.1\n"
        "LIVECHAT_ALLOW_CUSTOM_HOSTS=true\n"
        "LIVE_TOKEN_CHECKS=false\n"
        "HTTP_TIMEOUT=5\n"
    )
    return directory


def test_a_dot_env_in_the_current_directory_is_not_read(tmp_path, accounts):
    with fa.serve() as attacker:
        done = run(["--json"], fa.AGENT, accounts.url, cwd=hostile_checkout(tmp_path, attacker))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["live"] is not None and data["live"]["outcome"] == "valid"  # LIVE_TOKEN_CHECKS=false was ignored
    assert [r.path for r in accounts.requests] == ["/v2/info"] and attacker.requests == []


def test_the_settings_file_is_the_one_the_operator_names(tmp_path, accounts):
    trusted = tmp_path / "trusted.env"
    trusted.write_text(f"LIVECHAT_ACCOUNTS_URL={accounts.url}\nLIVECHAT_ALLOWED_HOSTS=127.0.0.1\n")
    (tmp_path / "checkout").mkdir()
    with fa.serve() as attacker:
        checkout = hostile_checkout(tmp_path / "checkout", attacker)
        # No LIVECHAT_ACCOUNTS_URL in the environment: it can only come from --env-file.
        done = run(["--env-file", str(trusted), "--json"], fa.AGENT, None, cwd=checkout)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["live"]["outcome"] == "valid"
    assert [r.path for r in accounts.requests] == ["/v2/info"] and attacker.requests == []


def test_a_named_file_pointing_elsewhere_is_refused_before_anything_is_sent(tmp_path, accounts):
    named = tmp_path / "named.env"
    named.write_text("LIVECHAT_ACCOUNTS_URL=https://user:hunter2@evil.example\nLIVECHAT_ALLOWED_HOSTS=evil.example\n")
    done = run(["--env-file", str(named)], fa.AGENT, None, cwd=tmp_path, LIVECHAT_ALLOWED_HOSTS="")
    assert done.returncode == 2
    assert "`evil.example`, which is not a LiveChat accounts host" in done.stderr
    assert "LIVECHAT_ALLOW_CUSTOM_HOSTS=true" in done.stderr
    assert "Traceback" not in done.stderr and "hunter2" not in done.stderr + done.stdout
    assert fa.AGENT not in done.stdout + done.stderr


def test_a_missing_settings_file_is_an_error(tmp_path):
    done = run(["--env-file", str(tmp_path / "nope.env")], fa.AGENT, cwd=tmp_path)
    assert done.returncode == 2 and "nope.env" in done.stderr and "does not exist" in done.stderr


def test_another_services_key_is_named_as_such_and_never_sent(accounts):
    """Issue 13 point 8: `check-token --offline` called a Stripe key "probably a refresh token"."""
    stripe = "sk_live_" + "FAKEfakeFAKE" + "0000000000"
    for args in (["--offline"], []):
        done = run(args, stripe + "\n", accounts.url)
        assert done.returncode == 1, done.stderr
        assert "refresh token" not in done.stdout
        assert "another service's secret (an API key or token)" in done.stdout  # the leak guard's words
        assert stripe not in done.stdout + done.stderr
    assert accounts.requests == []  # a Stripe key is never sent to LiveChat
