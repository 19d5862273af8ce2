"""`authbot check-token` in a subprocess: stdin in, never argv; JSON out; nothing raw printed."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.credentials import fake_accounts as fa


def run(args: list[str], stdin: str, url: str = "http://127.0.0.1:9", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ,
        "LIVECHAT_ACCOUNTS_URL": url,
        "LIVECHAT_ALLOWED_HOSTS": "127.0.0.1",
        "HTTP_TIMEOUT": "1",
        **env,
    }
    return subprocess.run(
        [sys.executable, "-m", "bot", "check-token", *args], input=stdin, capture_output=True, text=True,
        env=environment, timeout=30, check=False,
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
