"""`authbot ask "TEXT"`: diagnose one message and print the answer (or the Diagnosis as JSON).

`--image FILE` adds a screenshot: its text is read with OCR (bot/inputs/ocr.py) and appended to the
message, so it goes through the engine's normaliser and redaction like anything typed.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.frontends.engine_args import add_knowledge_argument, engine_from_args
from bot.inputs.ocr import MAX_IMAGE_BYTES, OcrError, read_image_text
from bot.render.terminal import render_answer


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "text", nargs="?", default=None,
        help="the message to diagnose; '-' reads it from standard input (optional with --image)",
    )
    parser.add_argument(
        "--image", type=Path, default=None, metavar="FILE",
        help="a screenshot (PNG, JPEG or WebP, up to 8 MiB) whose text is read and added to the message",
    )
    parser.add_argument("--json", action="store_true", help="print the Diagnosis as JSON")
    parser.add_argument("--full", action="store_true", help="show every step and the example, not the first screen")
    add_knowledge_argument(parser)


def read_screenshot(path: Path) -> str:
    """The screenshot's text; raises OSError or OcrError with a message fit for the terminal."""
    with path.open("rb") as file:
        # One byte over the limit is enough to refuse it: a huge file is never read whole.
        data = file.read(MAX_IMAGE_BYTES + 1)
    return read_image_text(data)


def main(args: argparse.Namespace) -> int:
    if args.text is None and args.image is None:
        print("authbot ask: give the message, '-' to read it from standard input, or --image FILE", file=sys.stderr)
        return 2
    # The image first: a missing file or OCR engine fails in a moment, before the knowledge is loaded.
    image_text = ""
    if args.image is not None:
        try:
            image_text = read_screenshot(args.image)
        except OSError as error:
            print(f"authbot ask: {args.image}: {error.strerror or error}", file=sys.stderr)
            return 2
        except OcrError as error:
            print(f"authbot ask: {args.image}: {error}", file=sys.stderr)
            return 2
        # Never the text itself here: it is unredacted and may hold a token.
        print(f"Read {len(image_text)} characters from {args.image.name}.", file=sys.stderr)
    text = ""
    if args.text == "-":
        text = sys.stdin.buffer.read().decode("utf-8", errors="replace")
    elif args.text is not None:
        text = args.text
    message = "\n\n".join(part for part in (text, image_text) if part.strip()) if image_text else text
    if args.image is not None and not message.strip():
        print(f"authbot ask: found no text in {args.image} and no message was given", file=sys.stderr)
        return 2
    engine = engine_from_args(args)
    if engine is None:
        return 2
    diagnosis = engine.diagnose(message)
    if args.json:
        print(json.dumps(diagnosis.to_public(), indent=2, ensure_ascii=False))
    else:
        print(render_answer(diagnosis.answer, color=sys.stdout.isatty(), full=args.full, shell=False))
    return 0
