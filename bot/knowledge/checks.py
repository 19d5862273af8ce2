"""`authbot kb check`: every problem in a knowledge folder as `file:line: message`.

Loading already reports YAML syntax, missing/unknown fields, wrong types, duplicate ids and unknown
`related` ids. On a tree that loads, this adds Discord's limits as the answer would be rendered, and
warnings for entries the matcher would confuse.
"""

from __future__ import annotations

from itertools import combinations
from pathlib import Path

from rapidfuzz import fuzz

from bot.knowledge.loader import KnowledgeBase, Problem, read_knowledge
from bot.knowledge.schema import Entry

# Discord's limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits)
EMBED_TITLE = 256
EMBED_DESCRIPTION = 4096
EMBED_FIELD = 1024
EMBED_TOTAL = 6000
AUTOCOMPLETE_NAME = 100
# Room the renderer needs around an entry's own text (headers, numbering, code fences, footer,
# and findings about the user's message, which come on top of the entry).
RENDER_OVERHEAD = 600


def _limit_problems(kb: KnowledgeBase, entry: Entry) -> list[Problem]:
    name, lines = kb.files[entry.id], kb.lines[entry.id]
    problems = []

    def over(field: str, what: str, size: int, limit: int) -> None:
        if size > limit:
            problems.append(Problem(name, lines.get(field, 1), f"{what} is {size} characters; Discord allows {limit}"))

    over("title", "title (used as an autocomplete choice name)", len(entry.title), AUTOCOMPLETE_NAME)
    steps = "\n".join(f"{n}. {step}" for n, step in enumerate(entry.steps, 1))
    description = len(entry.summary) + len(steps) + 2
    over("steps", "summary and numbered steps (embed description)", description, EMBED_DESCRIPTION)
    for step in entry.steps:
        over("steps", "a step (embed field)", len(step) + 4, EMBED_FIELD)
    if entry.example:
        over("example", "the example in a code block (embed field)", len(entry.example.code) + 12, EMBED_FIELD)
    links = "\n".join(f"[{link.title}]({link.url})" for link in entry.links)
    over("links", "the links (embed field)", len(links), EMBED_FIELD)
    total = (
        len(entry.title) + len(entry.summary) + len(steps) + len(links)
        + (len(entry.example.code) + len(entry.example.title) if entry.example else 0) + RENDER_OVERHEAD
    )
    over("id", "the rendered answer (embed total, with room for findings)", total, EMBED_TOTAL)
    return problems


def _sourcing_problems(kb: KnowledgeBase, entry: Entry) -> list[Problem]:
    """Beyond the FAQ seed, the summary and every step must say which upstream text they rest on."""
    if entry.seed:
        return []  # unsourced text in a seed entry quotes the seed FAQ
    name, lines = kb.files[entry.id], kb.lines[entry.id]
    hint = "write it as {text: ..., source: [key#anchor]} with a key of _sources.yaml"
    problems = []
    if not entry.summary.sources:
        problems.append(Problem(name, lines.get("summary", 1), f"the summary has no source; {hint}"))
    for index, step in enumerate(entry.steps):
        if not step.sources:
            line = lines.get(f"steps.{index}", lines.get("steps", 1))
            problems.append(Problem(name, line, f"step {index + 1} has no source; {hint}"))
    return problems


def _item_line(kb: KnowledgeBase, entry_id: str, field: str, index: int) -> int:
    """Line of item `index` of a block list (one item per line, as every entry writes them)."""
    return kb.lines[entry_id].get(field, 0) + index + 1


def _confusion_warnings(kb: KnowledgeBase) -> list[Problem]:
    """Phrasings that the engine would answer with another entry, and near-identical phrasings."""
    from bot.core.pipeline import Engine  # the engine needs a loaded kb; import late to keep loading light

    engine = Engine(kb)
    warnings = []
    for entry in kb.entries.values():
        for index, phrasing in enumerate(entry.phrasings):
            diagnosis = engine.diagnose(phrasing)
            top = diagnosis.top
            if top and top.entry_id != entry.id and not diagnosis.abstained:
                warnings.append(
                    Problem(
                        kb.files[entry.id], _item_line(kb, entry.id, "phrasings", index),
                        f"phrasing {phrasing!r} is matched to '{top.entry_id}' instead", warning=True,
                    )
                )
    for a, b in combinations(kb.entries.values(), 2):
        for pa in a.phrasings:
            close = next((pb for pb in b.phrasings if fuzz.token_sort_ratio(pa.lower(), pb.lower()) >= 92), None)
            if close:
                warnings.append(
                    Problem(
                        kb.files[a.id], _item_line(kb, a.id, "phrasings", a.phrasings.index(pa)),
                        f"phrasing {pa!r} is almost the same as {close!r} in '{b.id}'", warning=True,
                    )
                )
    return warnings


def check_knowledge(directory: Path) -> list[Problem]:
    """Errors and warnings for a knowledge folder, sorted by file and line."""
    kb, problems = read_knowledge(directory)
    if kb is None:
        return problems
    for entry in kb.entries.values():
        problems += _limit_problems(kb, entry)
        problems += _sourcing_problems(kb, entry)
    if not problems:
        problems += _confusion_warnings(kb)
    return sorted(problems)
