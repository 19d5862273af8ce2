"""`authbot shell`: a REPL that answers exactly as the Discord bot does, rendered for a terminal.

A message may span many lines. In a terminal, a paste ends when no more lines arrive for a moment
(and code fences are closed); from a pipe, messages are separated by blank lines.

In a terminal the stdlib `readline` gives line editing and history (kept, scrubbed, in the user's state
directory); Ctrl-C cancels the line being typed or the answer being computed, Ctrl-D quits.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import select
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any, TextIO

from bot.core.answer import entry_answer
from bot.core.pipeline import Engine
from bot.core.redact import scrub
from bot.frontends.engine_args import add_knowledge_argument, engine_from_args
from bot.render.limits import truncate
from bot.render.terminal import render_answer
from bot.settings import user_state_dir

PASTE_GAP_SECONDS = 0.08
PROMPT = "authbot> "
HISTORY_LENGTH = 1000
BANNER = """authbot — LiveChat authorization help, in your terminal.
Paste an error, a curl command, a traceback or ask a question. Commands: /full, /faq ID, /list, /json, /help, /quit"""
HELP = """/full     the last answer with every step and the example
/faq ID   show a knowledge entry (e.g. /faq invalid-access-token)
/list     list every entry
/json     toggle JSON output (the Diagnosis as the API sees it)
/quit     leave (Ctrl-D works too; Ctrl-C cancels the line you are typing)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--full", action="store_true", help="show every step of each answer, not the first screen")
    add_knowledge_argument(parser)


def _more_pending(stream: TextIO) -> bool:
    try:
        ready, _, _ = select.select([stream], [], [], PASTE_GAP_SECONDS)
    except (OSError, ValueError):
        return False
    return bool(ready)


def read_messages(stream: TextIO) -> Iterator[str]:
    """Whole messages from a pipe: a blank line (or EOF) ends a message; a /command ends at its line."""
    buffer: list[str] = []
    while True:
        line = stream.readline()
        if not line:
            break
        outside_fence = sum(part.count("```") for part in buffer) % 2 == 0
        if line.startswith("/") and outside_fence and buffer:
            # a command on its own line ends the message before it
            message = "\n".join(buffer).strip()
            buffer = []
            if message:
                yield message
        buffer.append(line.rstrip("\n"))
        fences_open = sum(part.count("```") for part in buffer) % 2 == 1
        if fences_open:
            continue
        if buffer[-1].strip() and not buffer[-1].startswith("/"):
            continue
        message = "\n".join(buffer).strip()
        buffer = []
        if message:
            yield message
    message = "\n".join(buffer).strip()
    if message:
        yield message


def _echo(typed: str) -> str:
    """What the user typed, as we may quote it back: scrubbed and shortened, like /faq in Discord
    (bot/exts/support/faq.py). People paste tokens into any box, commands included."""
    return truncate(scrub(typed), 100)


def _command(engine: Engine, message: str, state: dict[str, Any]) -> str | None:
    """Handle /commands; None means 'quit'."""
    name, _, argument = message[1:].partition(" ")
    argument = argument.strip()
    if name in {"quit", "exit", "q"}:
        return None
    if name == "help":
        return HELP
    if name == "json":
        state["json"] = not state["json"]
        return f"JSON output {'on' if state['json'] else 'off'}."
    if name == "full":
        last = state.get("last")
        return render_answer(last, full=True) if last is not None else "No answer yet: paste something first."
    if name == "list":
        return "\n".join(f"  {e.id:34} {e.title}" for e in engine.kb.entries.values())
    if name == "faq":
        if argument in engine.kb.entries:
            return render_answer(entry_answer(engine.kb, argument), full=True)  # asked for by name: all of it
        found = engine.matcher.search(argument, limit=5)
        suggestions = ", ".join(e.id for e in found) or "none"
        return f"No entry '{_echo(argument)}'. Did you mean: {suggestions}"
    return f"Unknown command /{_echo(name)}. Type /help."


def history_file() -> Path:
    return user_state_dir() / "history"


def _readline() -> ModuleType | None:
    """The stdlib readline, set up for pastes: None where Python was built without it."""
    try:
        import readline
    except ImportError:
        return None
    # With bracketed paste on, readline holds a multi-line paste as one line until another Enter; off, each
    # pasted line arrives by itself and the paste-gap check below joins them into one message.
    readline.parse_and_bind("set enable-bracketed-paste off")
    # History is added by hand, scrubbed: people paste tokens, and the file outlives the session.
    readline.set_auto_history(False)
    readline.set_history_length(HISTORY_LENGTH)
    with contextlib.suppress(OSError):
        readline.read_history_file(history_file())
    return readline


def _save_history(readline: ModuleType) -> None:
    path = history_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600, exist_ok=True)  # what people type is theirs alone, scrubbed or not
        readline.write_history_file(path)
    except OSError:
        pass  # a read-only home costs the history, never the session


def typed_messages(readline: ModuleType | None, stdin: TextIO) -> Iterator[str]:
    """Whole messages typed or pasted at a terminal. Ctrl-C drops the message being typed; Ctrl-D ends."""
    while True:
        lines: list[str] = []
        try:
            lines.append(input(PROMPT))
            while sum(line.count("```") for line in lines) % 2 == 1 or _more_pending(stdin):
                lines.append(input(""))
        except KeyboardInterrupt:
            print()  # the terminal echoed ^C; the next prompt starts on a fresh line
            continue
        except EOFError:
            print()
            return
        message = "\n".join(lines).strip()
        if not message:
            continue  # Enter alone: input() shows the prompt again
        if readline is not None and "\n" not in message:
            entry = scrub(message)
            if readline.get_history_item(readline.get_current_history_length()) != entry:  # no repeats
                readline.add_history(entry)
        yield message


def run_shell(
    engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool, *, full: bool = False, color: bool = False
) -> int:
    state: dict[str, Any] = {"json": False, "last": None}
    readline = _readline() if interactive else None
    if interactive:
        print(BANNER, file=stdout)
    messages = typed_messages(readline, stdin) if interactive else read_messages(stdin)
    try:
        for message in messages:
            try:
                reply = _reply(engine, message, state, color=color, full=full)
            except KeyboardInterrupt:
                reply = "(cancelled)"
            if reply is None:
                break
            print(reply, file=stdout, flush=True)
            if interactive:
                print(file=stdout)
    finally:
        if readline is not None:
            _save_history(readline)
    if interactive:
        print("bye", file=stdout)
    return 0


def _reply(engine: Engine, message: str, state: dict[str, Any], *, color: bool, full: bool) -> str | None:
    if message.startswith("/") and "\n" not in message:
        return _command(engine, message, state)
    diagnosis = engine.diagnose(message)
    state["last"] = diagnosis.answer
    if state["json"]:
        return json.dumps(diagnosis.to_public(), indent=2, ensure_ascii=False)
    return render_answer(diagnosis.answer, color=color, full=full)


def wants_color(stream: TextIO) -> bool:
    """Colours on a terminal unless NO_COLOR is set to anything (https://no-color.org)."""
    return stream.isatty() and not os.environ.get("NO_COLOR")


def main(args: argparse.Namespace) -> int:
    engine = engine_from_args(args)
    if engine is None:
        return 2
    interactive = sys.stdin.isatty()
    return run_shell(engine, sys.stdin, sys.stdout, interactive, full=args.full, color=wants_color(sys.stdout))
