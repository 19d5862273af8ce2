"""`authbot config`: the settings this process would run with, secrets redacted.

Values come from the environment, then `.env` in the working directory, then the defaults (see
deploy/.env.example). The text form is `NAME=value`, one per line, in the same order and spelling
as .env.example, so the two can be compared side by side; `--json` is for scripts.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pydantic import ValidationError

from bot.settings import Settings, settings_problems


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of NAME=value lines")


def main(args: argparse.Namespace) -> int:
    try:
        settings = Settings()
    except ValidationError as error:
        for problem in settings_problems(error):
            print(f"authbot config: {problem}", file=sys.stderr)
        return 2
    values = settings.redacted()
    if args.json:
        print(json.dumps(values, indent=2))
    else:
        for name, value in values.items():
            print(f"{name.upper()}={env_value(value)}")
    return 0


def env_value(value: Any) -> str:
    """How the value would be written in .env: lists comma-separated, nothing for None."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)
