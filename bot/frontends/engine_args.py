"""Options every terminal front end shares: which knowledge folder to load, with clear errors."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from bot.knowledge.loader import DEFAULT_KNOWLEDGE_DIR, KnowledgeBase, KnowledgeError, load_knowledge

if TYPE_CHECKING:  # the engine is imported when built: `authbot health` only needs the option
    from bot.core.pipeline import Engine


def add_knowledge_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--knowledge", type=Path, default=None, metavar="DIR",
        help=f"knowledge folder (default: KNOWLEDGE_DIR or {DEFAULT_KNOWLEDGE_DIR})",
    )


def engine_from_args(args: argparse.Namespace) -> Engine | None:
    """Build the engine, or print every knowledge problem as file:line and return None."""
    from bot.core.pipeline import Engine

    kb = knowledge_from_args(args)
    return None if kb is None else Engine(kb)


def knowledge_from_args(args: argparse.Namespace) -> KnowledgeBase | None:
    """Load `--knowledge` (default: KNOWLEDGE_DIR), or print every problem as file:line and return None."""
    directory = args.knowledge
    if directory is None:
        from bot.settings import Settings

        directory = Settings().knowledge_dir
    try:
        return load_knowledge(directory)
    except KnowledgeError as error:
        print("The knowledge base has problems:", file=sys.stderr)
        for problem in error.problems:
            print(f"  {problem}", file=sys.stderr)
        return None
