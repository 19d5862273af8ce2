"""Step 5 (shared part): an `Answer` as ordered, plain-text sections that every renderer formats.

Terminal and Discord show the same things in the same order — findings about the user's own text
first, then the steps — and differ only in markup and size limits.
"""

from __future__ import annotations

from dataclasses import dataclass

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
    )
