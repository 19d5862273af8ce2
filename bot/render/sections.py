"""Step 5 (shared part): an `Answer` as ordered, plain-text sections that every renderer formats.

Terminal and Discord show the same things in the same order — findings about the user's own text
first, then the steps — and differ only in markup and size limits.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from bot.core.diagnosis import Answer


def confidence_label(confidence: float) -> str:
    if confidence >= 0.85:
        return "high"
    if confidence >= 0.65:
        return "medium"
    return "low"


@dataclass(frozen=True)
class Sections:
    title: str
    headline: str  # the key line; Discord also puts it in the message content
    findings: tuple[str, ...]
    steps: tuple[str, ...]
    example_title: str | None
    example_code: str | None
    example_language: str
    links: tuple[tuple[str, str], ...]
    confidence: str | None  # e.g. "high (0.91)"; None for an entry chosen by name
    runner_up: tuple[str, str] | None  # (id, title)
    related: tuple[str, ...]  # ids of related entries ("See also")
    notes: tuple[str, ...]
    entry_id: str | None
    abstained: bool
    hidden_steps: int = 0  # steps left out of a short answer ("Show all steps", --full)
    more: tuple[tuple[str, str, str], ...] = ()  # other questions of the message: (excerpt, entry id, title)
    uncovered: tuple[str, ...] = ()  # questions of the message no entry answers


def short(sections: Sections) -> Sections:
    """The first screen: the key line and the one step that applies — the finding about the user's own
    request when there is one, else the entry's first step — plus the most useful link; the rest of the
    steps, the example and "see also" wait behind "Show all steps" (Discord) or --full (terminal)."""
    if sections.abstained:
        return sections  # already short, and every line of it is the point
    shown_steps = () if sections.findings else sections.steps[:1]
    return replace(
        sections,
        findings=sections.findings[:1],
        steps=shown_steps,
        example_title=None,
        example_code=None,
        links=sections.links[:1],
        related=(),
        notes=sections.notes[-1:],  # the credential warning when there is one (it comes last)
        hidden_steps=len(sections.steps) - len(shown_steps),
    )


def answer_sections(answer: Answer) -> Sections:
    entry = answer.entry
    return Sections(
        title=entry.title if entry else (answer.title or "I'm not sure about this one"),
        headline=answer.headline,
        findings=tuple(f.message for f in answer.findings),
        steps=answer.steps,
        example_title=answer.example.title if answer.example else None,
        example_code=answer.example.code if answer.example else None,
        example_language=answer.example.language if answer.example else "",
        links=tuple((link.title, link.url) for link in answer.links),
        confidence=None
        if answer.confidence is None
        else f"{confidence_label(answer.confidence)} ({answer.confidence:.2f})",
        runner_up=(answer.runner_up.id, answer.runner_up.title) if answer.runner_up else None,
        related=tuple(entry.related) if entry else (),
        notes=answer.notes,
        entry_id=entry.id if entry else None,
        abstained=answer.abstained,
        more=tuple((question, e.id, e.title) for question, e in answer.more),
        uncovered=answer.uncovered,
    )
