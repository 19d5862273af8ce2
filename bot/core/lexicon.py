"""Step 3, learned evidence: which entry the words of a message point at, learned from labelled messages.

BM25 and phrasing similarity only know the words the knowledge base uses. People describe the same
problem in their own words ("each pod logs in on boot", "the older containers start failing"), and a
word model learned from labelled messages knows which words go with which entry. It is a Bernoulli-style
naive Bayes over the distinct word stems of a message: each entry's counts are its own title, question,
phrasings and keywords plus the labelled messages' words (`authbot calibrate` counts those and writes
them to `_lexicon.json`, stems and counts only, never message text). The matcher uses the posterior for
an entry as one more kind of evidence, weighted like the others by `_ranking.json`.

Scoring is sparse, like BM25: an entry's log-likelihood is a per-entry baseline for every known word plus
what the words it has seen add, so a query costs a few vectorised adds at any number of entries.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.tokens import words
from bot.knowledge.schema import Entry

LEXICON_FILE = "_lexicon.json"
SMOOTHING = 0.5  # additive smoothing; 0.25–1.0 rank alike with each case file held out


def features(stems: Iterable[str]) -> set[str]:
    """The distinct word stems that count: alphabetic, three letters or more (ids and numbers are noise)."""
    return {w for w in stems if len(w) > 2 and w.isalpha()}


def entry_documents(entry: Entry, normalise: Callable[[str], str]) -> list[set[str]]:
    """An entry's own texts, each as one document: its title, question, phrasings and keywords."""
    texts = [entry.title, entry.question, *entry.phrasings, *entry.keywords]
    return [features(words(normalise(text))) for text in texts]


def count_cases(labelled: Iterable[tuple[Iterable[str], Sequence[str]]]) -> dict[str, Counter[str]]:
    """Word counts per entry id from labelled messages (their stems and the entries that answer them)."""
    counts: dict[str, Counter[str]] = {}
    for stems, expect in labelled:
        found = features(stems)
        for entry_id in expect:
            counts.setdefault(entry_id, Counter()).update(found)
    return counts


@dataclass
class Lexicon:
    """Per-entry word log-likelihoods, stored sparsely: `baseline[j]` for a known word entry j never saw,
    and for each word the entries that saw it with the difference to their baseline."""

    baseline: np.ndarray
    postings: dict[str, tuple[np.ndarray, np.ndarray]]

    @classmethod
    def build(
        cls, entries: Sequence[Entry], normalise: Callable[[str], str], case_counts: dict[str, Counter[str]]
    ) -> Lexicon:
        counts = [Counter() for _ in entries]
        totals = np.zeros(len(entries))
        for j, entry in enumerate(entries):
            for document in entry_documents(entry, normalise):
                counts[j].update(document)
            counts[j].update(case_counts.get(entry.id, Counter()))
            totals[j] = sum(counts[j].values())
        vocabulary = set().union(*counts) if counts else set()
        denominators = totals + SMOOTHING * max(1, len(vocabulary))
        baseline = np.log(SMOOTHING / denominators)
        rows: dict[str, tuple[list[int], list[float]]] = {}
        for j, entry_counts in enumerate(counts):
            for word, count in entry_counts.items():
                indexes, values = rows.setdefault(word, ([], []))
                indexes.append(j)
                values.append(math.log((count + SMOOTHING) / denominators[j]) - baseline[j])
        postings = {w: (np.asarray(i, dtype=np.int32), np.asarray(v)) for w, (i, v) in rows.items()}
        return cls(baseline, postings)

    def posterior(self, stems: Iterable[str]) -> np.ndarray:
        """Probability of each entry given the message's known words (uniform prior); all equal when the
        message has no word the lexicon knows."""
        known = [w for w in features(stems) if w in self.postings]
        scores = self.baseline * len(known)
        for word in known:
            indexes, values = self.postings[word]
            scores[indexes] += values
        if not scores.size:
            return scores
        # log-likelihoods of a long message lie far below exp's range: shift the best to 0 first
        scores = np.exp(scores - scores.max())
        return scores / scores.sum()


def save_counts(path: Path, counts: dict[str, Counter[str]]) -> None:
    """The labelled messages' word counts per entry (sorted, so a refit on the same cases is the same file)."""
    data = {entry_id: dict(sorted(c.items())) for entry_id, c in sorted(counts.items())}
    path.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")


def load_counts(directory: Path | None) -> dict[str, Counter[str]] | None:
    """The counts fitted for a knowledge folder; None without a readable file (the matcher then has no
    learned evidence, and the hand-set weights give it none)."""
    if directory is None:
        return None
    try:
        data = json.loads((Path(directory) / LEXICON_FILE).read_text(encoding="utf-8"))
        return {str(entry_id): Counter({str(w): int(c) for w, c in words.items()}) for entry_id, words in data.items()}
    except (OSError, ValueError, AttributeError, TypeError):
        return None
