"""The terminal front ends, run as real subprocesses the way a user runs them."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys
import time

from tests.conftest import REPO, run_authbot
from tests.core import fakes


def test_ask_prints_the_answer_with_findings_first() -> None:
    result = run_authbot("ask", f"my PAT gives 401: -H 'Authorization: Bearer {fakes.PAT}'", "--full")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.index("About your request:") < out.index("What to do:")
    assert "PATs use the Basic scheme" in out
    assert "Confidence:" in out
    assert fakes.PAT not in out


def test_ask_json_reads_stdin_and_never_prints_a_raw_credential() -> None:
    paste = "\n".join(
        [f"Authorization: Bearer {fakes.AGENT_TOKEN}", f"client_secret={fakes.CLIENT_SECRET}",
         '{"error":{"type":"authentication","message":"Invalid access token"}}']
    )
    result = run_authbot("ask", "-", "--json", stdin=paste)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"abstained", "matches", "findings", "credentials", "answer"} <= set(data)
    assert data["matches"][0]["id"] == "invalid-access-token"
    assert {c["kind"] for c in data["credentials"]} == {"agent-access-token", "client-secret"}
    for raw in fakes.ALL_RAW:
        assert raw not in result.stdout and raw not in result.stderr


def test_shell_answers_multi_line_pastes_and_commands() -> None:
    session = (
        "How do I create a Personal Access Token?\n\n"
        "```\n{\"error\":{\"type\":\"authentication\",\n\n\"message\":\"Invalid access token\"}}\n```\n\n"
        "/faq contact-support\n"
        "/faq custmer token\n"
        "/list\n"
        "/quit\n"
        "this is never read\n"
    )
    result = run_authbot("shell", stdin=session)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "How can I get a Personal Access Token?" in out
    assert 'I get the "Invalid access token" error' in out  # the fenced paste with a blank line is one message
    assert "developers@text.com" in out  # /faq contact-support
    assert "Did you mean:" in out and "customer-token-refresh" in out
    assert "pat-quickstart" in out  # /list
    assert "never read" not in out


def test_bare_authbot_without_token_opens_the_shell() -> None:
    result = run_authbot(stdin="how do i reach the livechat devs\n")
    assert result.returncode == 0, result.stderr
    assert "Contact us" in result.stdout


def test_shell_in_a_terminal_treats_a_fast_paste_as_one_message() -> None:
    """A real pseudo-terminal: lines that arrive together are one message; Enter alone sends it."""
    pid, fd = pty.fork()
    if pid == 0:  # child: become `authbot shell` on the terminal
        env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
        os.chdir(REPO)
        os.execve(sys.executable, [sys.executable, "-m", "bot", "shell"], env)
    output = b""

    def read_until(marker: bytes, timeout: float = 20.0) -> None:
        nonlocal output
        deadline = time.monotonic() + timeout
        while marker not in output and time.monotonic() < deadline:
            ready, _, _ = select.select([fd], [], [], 0.2)
            if ready:
                try:
                    output += os.read(fd, 65536)
                except OSError:
                    break
        assert marker in output, output.decode(errors="replace")[-2000:]

    try:
        read_until(b"authbot> ")
        os.write(fd, b"My customer's access token has expired.\nDo I need to create a new customer?\n")
        read_until(b"customer-token-refresh")
        os.write(fd, b"/quit\n")
        read_until(b"bye")
    finally:
        os.close(fd)
        os.waitpid(pid, 0)
    text = output.decode(errors="replace")
    assert text.count("Confidence:") == 1  # two pasted lines, one answer


def test_broken_knowledge_is_reported_not_a_traceback(knowledge_copy) -> None:
    (knowledge_copy / "pat-create.yaml").write_text("id: [\n")
    result = run_authbot("ask", "hello", "--knowledge", str(knowledge_copy))
    assert result.returncode == 2
    assert "pat-create.yaml:" in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_bot_help() -> None:
    result = subprocess.run([sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=REPO)
    assert result.returncode == 0
    for command in ("shell", "ask", "eval", "bench", "kb", "run"):
        assert command in result.stdout


def test_shell_never_echoes_a_command_argument_raw() -> None:
    """`/faq <text>` with no matching entry quotes what was typed; people paste tokens into any box."""
    faq_token, command_token = "dal:FAKE_shell_faq_token_00000001", "dal:FAKE_shell_cmd_token_0000002"
    session = f"/faq my token {faq_token} is rejected\n/{command_token}\n/quit\n"
    result = run_authbot("shell", stdin=session)
    assert result.returncode == 0, result.stderr
    out = result.stdout + result.stderr
    assert "No entry '" in out and "Unknown command /" in out
    for token in (faq_token, command_token):
        body = token.split(":", 1)[1]
        assert all(body[i : i + 10] not in out for i in range(len(body) - 9)), out


def test_the_first_screen_is_short_and_full_shows_every_step() -> None:
    """Answers were 30–43 lines; the first screen is now the key line and the step that applies."""
    question = "how long does a LiveChat access token last and can I make it longer?"
    short = run_authbot("ask", question)
    full = run_authbot("ask", question, "--full")
    assert short.returncode == full.returncode == 0
    assert len(short.stdout.strip().splitlines()) <= 14 < len(full.stdout.strip().splitlines())
    assert "more steps" in short.stdout and "--full" in short.stdout
    assert "more steps" not in full.stdout
    session = run_authbot("shell", stdin=f"{question}\n\n/full\n/quit\n")
    assert session.stdout.count("How long access tokens last") == 2 and "more steps" in session.stdout


TITLE = b"How can I get a Personal Access Token?"  # pat-create's title


class Terminal:
    """`authbot shell` on a pseudo-terminal, as a person at a keyboard meets it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: become `authbot shell` on the terminal
            os.chdir(REPO)
            os.execve(sys.executable, [sys.executable, "-m", "bot", "shell"], env)
        self.output = b""

    def read_until(self, marker: bytes, count: int = 1, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.output.count(marker) < count and time.monotonic() < deadline:
            ready, _, _ = select.select([self.fd], [], [], 0.2)
            if ready:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    break
        assert self.output.count(marker) >= count, self.output.decode(errors="replace")[-2000:]

    def type(self, keys: bytes) -> None:
        os.write(self.fd, keys)
        time.sleep(0.3)  # keystrokes, not a paste

    def close(self) -> int:
        os.close(self.fd)
        return os.waitstatus_to_exitcode(os.waitpid(self.pid, 0)[1])


def test_shell_line_editing_history_ctrl_c_and_ctrl_d(tmp_path) -> None:
    """Issue 13 point 4: Enter on an empty line showed no prompt, arrows printed ^[[A, Ctrl-C quit with 130."""
    env = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN"}
    env.update(XDG_STATE_HOME=str(tmp_path), TERM="xterm")
    term = Terminal(env)
    try:
        term.read_until(b"authbot> ")
        term.type(b"\r")  # Enter alone: a fresh prompt, not a seemingly hung terminal
        term.read_until(b"authbot> ", count=2)
        term.type(b"/faq pat-create\r")
        term.read_until(b"authbot> ", count=3)
        term.type(b"\x1b[A\r")  # up arrow recalls /faq pat-create
        term.read_until(TITLE, count=2)
        term.read_until(b"authbot> ", count=4)
        term.type(b"my token dal:FAKE_history_token_000000042 is rejected")
        term.type(b"\x03")  # Ctrl-C cancels the line being typed; the shell stays
        term.read_until(b"authbot> ", count=5)
        term.type(b"my token dal:FAKE_history_token_000000042 is rejected\r")
        term.read_until(b"authbot> ", count=6)
        term.type(b"\x04")  # Ctrl-D quits
        term.read_until(b"bye")
    finally:
        status = term.close()
    text = term.output.decode(errors="replace")
    assert status == 0, text[-2000:]
    assert "^[[A" not in text and "Traceback" not in text
    history = (tmp_path / "authbot" / "history").read_text()
    assert history.count("/faq pat-create") == 1  # recalled and sent again: kept once
    assert "FAKE_history_token" not in history  # what people paste is radioactive on disk too
    assert oct((tmp_path / "authbot" / "history").stat().st_mode & 0o777) == "0o600"


def test_see_also_is_written_for_the_front_end_in_use() -> None:
    """`authbot ask` ended with "See also: /faq …", which only works inside the shell."""
    asked = run_authbot("ask", "how do I create a personal access token?", "--full")
    assert "See also (authbot shell, then /faq ID): " in asked.stdout and "See also: /faq" not in asked.stdout
    session = run_authbot("shell", "--full", stdin="how do I create a personal access token?\n\n/quit\n")
    assert "See also: /faq " in session.stdout
