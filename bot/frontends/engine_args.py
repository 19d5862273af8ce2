"""Options every terminal front end shares: which knowledge folder to load, with clear errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot.core.pipeline import Engine
from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeError, load_knowledge


def add_knowledge_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", type=Path, default=None, metavar="DIR",
        help=f"knowledge folder (default: KNOWLEDGE_DIR or {DEFAULT_KNOWLEDGE_DIR})",
    )


def engine_from_args(args: argparse.Namespace) -> Engine | None:
    """Build the engine, or print every knowledge problem as file:line and return None."""
    directory = args.knowledge
    if directory is None:
        from bot.settings import Settings

        directory = Settings().knowledge_dir
    try:
        return Engine(load_knowledge(directory))
    except KnowledgeError as error:
        print("The knowledge base has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
