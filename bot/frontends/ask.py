"""`authbot ask "TEXT"`: diagnose one message and print the answer (or the Diagnosis as JSON)."""

from __future__ import annotations

import argparse
import json
import sys

from bot.frontends.engine_args import add_knowledge_argument, engine_from_args
from bot.render.terminal import render_answer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("text", help="the message to diagnose; '-' reads it from standard input")
    parser.add_argument("--json", action="store_true", help="print the Diagnosis as JSON")
    parser.add_argument("--full", action="store_true", help="show every step and the example, not the first screen")
    add_knowledge_argument(parser)


def main(args: argparse.Namespace) -> int:
    engine = engine_from_args(args)
    if engine is None:
        return 2
    text = sys.stdin.buffer.read().decode("utf-8", errors="replace") if args.text == "-" else args.text
    diagnosis = engine.diagnose(text)
    if args.json:
        print(json.dumps(diagnosis.to_public(), indent=2, ensure_ascii=False))
    else:
        print(render_answer(diagnosis.answer, color=sys.stdout.isatty(), full=args.full))
    return 0
