"""`python -m bot` does what the `authbot` command does."""

from bot.cli import main

raise SystemExit(main())
