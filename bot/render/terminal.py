"""Step 5 for the terminal: numbered steps, findings first, links, confidence and the runner-up."""

from __future__ import annotations

import textwrap

from bot.core.diagnosis import Answer
from bot.core.redact import scrub
from bot.render.sections import Sections, answer_sections, short

WIDTH = 100


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return textwrap.fill(
        text, width=WIDTH, initial_indent=first if first is not None else indent, subsequent_indent=indent
    )


def render_answer(answer: Answer, *, color: bool = False, full: bool = False, shell: bool = True) -> str:
    """Short by default (the key line and the step that applies); `full` shows every step and the example.
    `shell`: the reader can type `/faq ID`; elsewhere (`authbot ask`) entries are named as shell commands."""
    sections = answer_sections(answer)
    faq = _FAQ_IN_SHELL if shell else _FAQ_ELSEWHERE
    if full or sections.abstained:
        lines = _full_lines(sections, color, faq)
    else:
        lines = _short_lines(short(sections), color, faq)
    return scrub("\n".join(lines))  # the last check on the way out: no secret reaches the terminal


def _bold(text: str, color: bool) -> str:
    return f"\033[1m{text}\033[0m" if color else text


def _footer(s: Sections) -> str:
    footer = [f"Confidence: {s.confidence}"] if s.confidence else []
    footer += [f"entry: {s.entry_id}"] if s.entry_id else []
    return " · ".join(footer)


_FAQ_IN_SHELL = "/faq {}"
_FAQ_ELSEWHERE = "authbot shell, then /faq {}"


def _other_questions(s: Sections, faq: str) -> list[str]:
    lines = [_wrap(f"Also asked: “{q}” → {title} ({faq.format(e)})", "    ", "  ") for q, e, title in s.more]
    return lines + [_wrap(f"Not covered: “{question}”", "    ", "  ") for question in s.uncovered]


def _short_lines(s: Sections, color: bool, faq: str) -> list[str]:
    """The first screen, about eight lines: no headings, no blank lines."""
    lines = [_bold(s.title, color), _wrap(s.headline)]
    lines += [_wrap(f, "    ", "  ! ") for f in s.findings]
    lines += [_wrap(step, "     ", f"  {n}. ") for n, step in enumerate(s.steps, 1)]
    if s.hidden_steps:
        noun = "step" if s.hidden_steps == 1 else "steps"
        lines.append(f"  … {s.hidden_steps} more {noun} and the example: --full (in the shell: /full)")
    lines += [f"  → {title}: {url}" for title, url in s.links]
    lines += _other_questions(s, faq)
    if s.runner_up:
        lines.append(f"Close second: {s.runner_up[1]} ({s.runner_up[0]})")
    lines += [_wrap(note, "  ", "note: ") for note in s.notes]
    return [*lines, _footer(s)] if _footer(s) else lines


def _full_lines(s: Sections, color: bool, faq: str) -> list[str]:
    lines = [_bold(s.title, color), _wrap(s.headline)]
    if s.findings:
        lines += ["", _bold("About your request:", color)]
        lines += [_wrap(f, "    ", "  ! ") for f in s.findings]
    if s.steps:
        lines += ["", _bold("What to do:" if not s.abstained else "What you can do:", color)]
        lines += [_wrap(step, "     ", f"  {n}. ") for n, step in enumerate(s.steps, 1)]
    if s.example_code:
        lines += ["", _bold(s.example_title or "Example:", color)]
        lines += [f"    {line}" for line in s.example_code.splitlines()]
    if s.links:
        lines += ["", _bold("Links:", color)]
        lines += [f"  - {title}: {url}" for title, url in s.links]
    if s.more or s.uncovered:
        lines += ["", *_other_questions(s, faq)]
    if _footer(s):
        lines += ["", _footer(s)]
    if s.related:
        if faq == _FAQ_IN_SHELL:
            lines.append("See also: " + ", ".join(faq.format(entry_id) for entry_id in s.related))
        else:
            lines.append(f"See also ({faq.format('ID')}): " + ", ".join(s.related))
    if s.runner_up:
        lines.append(f"Close second: {s.runner_up[1]} ({s.runner_up[0]}) — {faq.format(s.runner_up[0])} shows it.")
    lines += [_wrap(note, "  ", "note: ") for note in s.notes]
    return lines
