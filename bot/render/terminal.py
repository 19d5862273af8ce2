"""Step 5 for the terminal: numbered steps, findings first, links, confidence and the runner-up."""

from __future__ import annotations

import textwrap

from bot.core.diagnosis import Answer
from bot.core.redact import scrub
from bot.render.sections import answer_sections

WIDTH = 100


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    )


def render_answer(answer: Answer, *, color: bool = False) -> str:
    s = answer_sections(answer)

    def bold(text: str) -> str:
        return f"\033[1m{text}\033[0m" if color else text

    lines = [bold(s.title), _wrap(s.headline)]
    if s.findings:
        lines += ["", bold("About your request:")]
        lines += [_wrap(f, "    ", "  ! ") for f in s.findings]
    if s.steps:
        lines += ["", bold("What to do:" if not s.abstained else "What you can do:")]
        lines += [_wrap(step, "     ", f"  {n}. ") for n, step in enumerate(s.steps, 1)]
    if s.example_code:
        lines += ["", bold(s.example_title or "Example:")]
        lines += [f"    {line}" for line in s.example_code.splitlines()]
    if s.links:
        lines += ["", bold("Links:")]
        lines += [f"  - {title}: {url}" for title, url in s.links]
    footer = [f"Confidence: {s.confidence}"] if s.confidence else []
    footer += [f"entry: {s.entry_id}"] if s.entry_id else []
    if footer:
        lines += ["", " · ".join(footer)]
    if s.related:
        lines.append("See also: " + ", ".join(f"/faq {entry_id}" for entry_id in s.related))
    if s.runner_up:
        lines.append(f"Close second: {s.runner_up[1]} ({s.runner_up[0]}) — type '/faq {s.runner_up[0]}' to see it.")
    lines += [_wrap(note, "  ", "note: ") for note in s.notes]
    return scrub("\n".join(lines))  # the last check on the way out: no secret reaches the terminal
