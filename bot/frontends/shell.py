"""`authbot shell`: a REPL that answers exactly as the Discord bot does, rendered for a terminal.

A message may span many lines. In a terminal, a paste ends when no more lines arrive for a moment
(and code fences are closed); from a pipe, messages are separated by blank lines.
"""

from __future__ import annotations

import argparse
import json
import select
import sys
from collections.abc import Iterator
from typing import Any, TextIO

from bot.core.answer import entry_answer
from bot.core.pipeline import Engine
from bot.core.redact import scrub
from bot.frontends.engine_args import add_knowledge_argument, engine_from_args
from bot.render.limits import truncate
from bot.render.terminal import render_answer

PASTE_GAP_SECONDS = 0.08
BANNER = """authbot — LiveChat authorization help, in your terminal.
Paste an error, a curl command, a traceback or ask a question. Commands: /full, /faq ID, /list, /json, /help, /quit"""
HELP = """/full     the last answer with every step and the example
/faq ID   show a knowledge entry (e.g. /faq invalid-access-token)
/list     list every entry
/json     toggle JSON output (the Diagnosis as the API sees it)
/quit     leave (Ctrl-D works too)"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--full", action="store_true", help="show every step of each answer, not the first screen")
    add_knowledge_argument(parser)


def _more_pending(stream: TextIO) -> bool:
    try:
        ready, _, _ = select.select([stream], [], [], PASTE_GAP_SECONDS)
    except (OSError, ValueError):
        return False
    return bool(ready)


def read_messages(stream: TextIO, interactive: bool) -> Iterator[str]:
    """Yield whole messages: multi-line pastes arrive as one message."""
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
        if interactive:
            if _more_pending(stream):
                continue
        elif buffer[-1].strip() and not buffer[-1].startswith("/"):
            continue  # piped: a blank line (or EOF) ends a message; commands end at their line
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


def run_shell(engine: Engine, stdin: TextIO, stdout: TextIO, interactive: bool, *, full: bool = False) -> int:
    state: dict[str, Any] = {"json": False, "last": None}
    color = interactive and stdout.isatty()
    if interactive:
        print(BANNER, file=stdout)
        print("authbot> ", end="", file=stdout, flush=True)
    for message in read_messages(stdin, interactive):
        if message.startswith("/") and "\n" not in message:
            reply = _command(engine, message, state)
            if reply is None:
                break
        else:
            diagnosis = engine.diagnose(message)
            state["last"] = diagnosis.answer
            reply = (
                json.dumps(diagnosis.to_public(), indent=2, ensure_ascii=False)
                if state["json"]
                else render_answer(diagnosis.answer, color=color, full=full)
            )
        print(reply, file=stdout)
        print("" if not interactive else "\nauthbot> ", end="" if interactive else "\n", file=stdout, flush=True)
    if interactive:
        print("bye", file=stdout)
    return 0


def main(args: argparse.Namespace) -> int:
    engine = engine_from_args(args)
    if engine is None:
        return 2
    return run_shell(engine, sys.stdin, sys.stdout, interactive=sys.stdin.isatty(), full=args.full)
