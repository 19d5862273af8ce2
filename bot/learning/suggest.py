"""`authbot kb suggest`: moderators' labelled examples turned into phrasing proposals and eval cases.

A labelled example is a member's message (redacted) and the entry a moderator answered it with. Where
the bot abstained, answered another entry, or was unsure (confidence under the help channels' auto-answer
threshold), the message's wording is a phrasing the entry lacks. Proposals are short (one sentence of a
long message, never a log or code), scrubbed again, and dropped when the entry already has a phrasing
that close (rapidfuzz `token_sort_ratio` ≥ `DUPLICATE`) or another entry does (that would make
`authbot kb check` warn). Every example with a known entry also becomes an `authbot eval` case, so a
maintainer measures before and after pasting the phrasings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import yaml
from rapidfuzz import fuzz, utils

from bot.core.redact import scrub
from bot.core.tokens import without_redactions
from bot.knowledge.loader import KnowledgeBase
from bot.tools.evaluate import DEFAULT_THRESHOLD

#: A proposal is at most this long: phrasings are how people ask, not what they paste.
MAX_PHRASING = 160
MIN_WORDS = 3
SECRET_PLACEHOLDER = "<token>"  # where a proposal had a secret: the knowledge base keeps no piece of one
#: token_sort_ratio at or above which a proposal says what an existing phrasing already says.
DUPLICATE = 90
PHRASINGS_DIR = "phrasings"
EVAL_FILE = "labelled-examples.yaml"

_CODE_BLOCK = re.compile(r"```.*?(?:```|$)", re.DOTALL)
_SENTENCE_END = re.compile(r"(?<=[.?!])\s+")


class Labelled(Protocol):
    """What suggestions read of a labelled example (the store's rows fit)."""

    @property
    def id(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def chosen_entry(self) -> str: ...
    @property
    def bot_entry(self) -> str | None: ...
    @property
    def bot_confidence(self) -> float: ...
    @property
    def bot_abstained(self) -> bool: ...


@dataclass(frozen=True)
class Proposal:
    phrasing: str
    example_ids: tuple[int, ...]
    reason: str  # why the bot needed it: "abstained", "answered <entry>", "was unsure (0.62)"


@dataclass
class Suggestions:
    proposals: dict[str, list[Proposal]] = field(default_factory=dict)  # entry id -> proposals, in order
    cases: list[dict[str, object]] = field(default_factory=list)  # `authbot eval` cases
    skipped: Counter[str] = field(default_factory=Counter)  # reason -> examples given no proposal


def needs_phrasing(example: Labelled, threshold: float = DEFAULT_THRESHOLD) -> str | None:
    """Why the bot needed help with this example, or None when it answered the chosen entry confidently."""
    if example.bot_abstained:
        return "abstained"
    if example.bot_entry != example.chosen_entry:
        return f"answered {example.bot_entry}" if example.bot_entry else "abstained"
    if example.bot_confidence < threshold:
        return f"was unsure ({example.bot_confidence:.2f})"
    return None


def phrasing_of(text: str) -> str | None:
    """A short, redacted phrasing from a message: the whole message when short, else its first question
    (or first sentence) when that is short; None for a message that is mostly code or a paste."""
    prose = " ".join(_CODE_BLOCK.sub(" ", without_redactions(scrub(text), SECRET_PLACEHOLDER)).split())
    if len(prose) > MAX_PHRASING:
        sentences = [s for s in _SENTENCE_END.split(prose) if len(s) <= MAX_PHRASING]
        prose = next((s for s in sentences if s.endswith("?")), sentences[0] if sentences else "")
    return prose if len(prose.split()) >= MIN_WORDS else None


def _close(candidate: str, known: Iterable[str]) -> bool:
    key = utils.default_process(candidate)
    return any(fuzz.token_sort_ratio(key, utils.default_process(k)) >= DUPLICATE for k in known)


def suggest(examples: Sequence[Labelled], kb: KnowledgeBase, threshold: float = DEFAULT_THRESHOLD) -> Suggestions:
    result = Suggestions()
    for example in examples:
        entry = kb.get(example.chosen_entry)
        if entry is None:
            result.skipped["entry no longer in the knowledge base"] += 1
            continue
        result.cases.append(
            {"id": f"labelled-{example.id}", "kind": "labelled", "text": scrub(example.text), "expect": [entry.id]}
        )
        reason = needs_phrasing(example, threshold)
        phrasing = phrasing_of(example.text) if reason else None
        if reason is None:
            result.skipped["answered right and confidently"] += 1
        elif phrasing is None:
            result.skipped["no short phrasing in the message"] += 1
        elif _close(phrasing, [entry.title, entry.question, *entry.phrasings]):
            result.skipped["the entry already has that phrasing"] += 1
        elif _close(phrasing, (p for other in kb.entries.values() if other.id != entry.id for p in other.phrasings)):
            result.skipped["another entry has that phrasing"] += 1
        else:
            _add(result.proposals.setdefault(entry.id, []), Proposal(phrasing, (example.id,), reason))
    return result


def _add(proposals: list[Proposal], new: Proposal) -> None:
    """Append `new`, or fold it into a proposal that says the same (keeping both examples' ids)."""
    for number, old in enumerate(proposals):
        if _close(new.phrasing, [old.phrasing]):
            proposals[number] = Proposal(old.phrasing, old.example_ids + new.example_ids, old.reason)
            return
    proposals.append(new)


def phrasings_yaml(entry_id: str, proposals: list[Proposal]) -> str:
    """A fragment to paste under `phrasings:` in knowledge/<entry_id>.yaml, each line's origin in a comment."""
    lines = [
        f"# Proposed phrasings for knowledge/{entry_id}.yaml, from moderators' answers (authbot kb suggest).",
        "# Paste the items you agree with under `phrasings:`, then run `authbot kb check --strict` and",
        f"# `authbot eval {EVAL_FILE}` to compare before and after.",
        "phrasings:",
    ]
    for proposal in proposals:
        ids = ", ".join(str(i) for i in proposal.example_ids)
        item = yaml.safe_dump([scrub(proposal.phrasing)], allow_unicode=True, width=10_000).rstrip("\n")
        lines.append(f"  {item}  # example {ids}: the bot {proposal.reason}")
    return "\n".join(lines) + "\n"


def eval_yaml(cases: list[dict[str, object]]) -> str:
    header = (
        "# Labelled examples from moderators' answers, in `authbot eval` format (authbot kb suggest).\n"
        "# Redacted member messages: keep this file out of knowledge/ and of the shipped eval sets.\n"
    )
    return header + yaml.safe_dump(cases, allow_unicode=True, sort_keys=False, width=10_000)


def write_suggestions(suggestions: Suggestions, out: Path) -> list[Path]:
    """Write one phrasing fragment per entry and the eval file under `out`; return the files written."""
    (out / PHRASINGS_DIR).mkdir(parents=True, exist_ok=True)
    written = []
    for entry_id, proposals in sorted(suggestions.proposals.items()):
        path = out / PHRASINGS_DIR / f"{entry_id}.yaml"
        path.write_text(phrasings_yaml(entry_id, proposals), encoding="utf-8")
        written.append(path)
    path = out / EVAL_FILE
    path.write_text(eval_yaml(suggestions.cases), encoding="utf-8")
    written.append(path)
    return written
