"""Step 4: compose the answer — the user's own findings first, then the entry's steps; or an honest abstain."""

from __future__ import annotations

from bot.core.diagnosis import Answer, Credential, Finding, Match
from bot.core.text import MAX_INPUT_CHARS, CleanText
from bot.core.topic import Topic
from bot.knowledge.loader import KnowledgeBase

CONTACT_ENTRY = "contact-support"


def _notes(cleaned: CleanText | None, credentials: list[Credential]) -> tuple[str, ...]:
    notes = []
    if cleaned is not None and cleaned.truncated:
        limit = f"{MAX_INPUT_CHARS:,}"
        notes.append(f"Your message was longer than {limit} characters; I read only the first {limit}.")
    if cleaned is not None and cleaned.evidence_lines is not None:
        notes.append(
            f"Your message was long ({cleaned.original_length:,} characters): I read its first and last lines and "
            f"{cleaned.evidence_lines} lines in between with errors, status codes, headers or URLs."
        )
    if credentials:
        kinds = ", ".join(sorted({c.kind.value for c in credentials}))
        notes.append(
            f"Your text contained a credential ({kinds}); I only ever show it redacted. "
            "If it was posted publicly, revoke or rotate it."
        )
    return tuple(notes)


def compose_answer(
    kb: KnowledgeBase,
    matches: list[Match],
    findings: list[Finding],
    *,
    abstained: bool,
    near_tie: bool,
    topic: Topic,
    cleaned: CleanText | None,
    credentials: list[Credential],
    thanks: bool = False,
) -> Answer:
    notes = _notes(cleaned, credentials)
    if abstained:
        contact = kb.get(CONTACT_ENTRY)
        if thanks:
            headline = "Glad it's sorted! If something else about LiveChat authorization breaks, paste it here."
        elif topic.foreign:
            headline = (
                f"This looks like a question about {', '.join(topic.other_platforms)}, not LiveChat's APIs, "
                "so I can't answer it from LiveChat's Authorization FAQ."
            )
        else:
            headline = "I don't know this one — nothing in LiveChat's Authorization FAQ fits it well enough."
        steps = () if thanks else (
            "Rephrase with the exact error text, the HTTP status and the API you call.",
            *(contact.steps[:1] if contact else ()),
        )
        return Answer(
            abstained=True,
            headline=headline,
            findings=tuple(findings),
            entry=None,
            steps=steps,
            links=tuple(contact.links) if contact and not thanks else (),
            example=None,
            confidence=None if thanks else (matches[0].score if matches else 0.0),
            runner_up=None,
            notes=notes,
            escalate=not thanks,
        )
    top = kb.entries[matches[0].entry_id]
    runner_up = kb.entries[matches[1].entry_id] if near_tie and len(matches) > 1 else None
    return Answer(
        abstained=False,
        headline=top.summary,
        findings=tuple(findings),
        entry=top,
        steps=tuple(top.steps),
        links=tuple(top.links),
        example=top.example,
        confidence=matches[0].score,
        runner_up=runner_up,
        notes=notes,
    )


def entry_answer(kb: KnowledgeBase, entry_id: str) -> Answer:
    """The answer for an entry chosen by name (/faq, moderator answers): no findings, no confidence."""
    entry = kb.entries[entry_id]
    return Answer(
        abstained=False,
        headline=entry.summary,
        findings=(),
        entry=entry,
        steps=tuple(entry.steps),
        links=tuple(entry.links),
        example=entry.example,
        confidence=None,
        runner_up=None,
        notes=(),
    )
