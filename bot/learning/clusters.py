"""Gap clusters: similar unanswered questions grouped, biggest first, for `/kb unanswered` and the reports.

Similarity is rapidfuzz's `token_sort_ratio` (word order ignored, 0-100) on the processed text (lower case,
punctuation as spaces) of each question's start: a long log paste is recognised by its first lines, and
comparing whole pastes would make every pair of logs look alike. Grouping is quality-threshold style:
the question with the most neighbours at or above the threshold founds a cluster with all of its still
unclustered neighbours, and so on. Unlike single linkage, a chain of slightly different questions cannot
pull two unrelated ones together: every member is similar to the cluster's representative, the founder.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process, utils

#: token_sort_ratio at or above which two questions are "the same question" (tuned in tests/learning).
SIMILARITY = 62
#: Characters of each question compared.
COMPARED_CHARS = 300
#: Questions clustered at most (the newest): the similarity matrix grows with the square of this.
MAX_QUESTIONS = 2000


class Question(Protocol):
    """What clustering reads of an unanswered question (the store's `UnansweredQuestion` fits)."""

    @property
    def text(self) -> str: ...
    @property
    def best_guess(self) -> str | None: ...
    @property
    def confidence(self) -> float: ...


@dataclass(frozen=True)
class Cluster:
    size: int
    representative: str  # the founder's (redacted) text: the most typical question of the cluster
    nearest_entry: str | None  # the entry the bot guessed most often for its members
    nearest_confidence: float  # the members' mean confidence in that guess (0 when there is none)
    members: tuple[int, ...]  # indexes into the questions given


def _key(text: str) -> str:
    return utils.default_process(text[:COMPARED_CHARS])


def cluster_questions(questions: Sequence[Question], *, similarity: int = SIMILARITY) -> list[Cluster]:
    """Group `questions` (newest first, as the store returns them); biggest cluster first, ties newest first."""
    questions = list(questions)[:MAX_QUESTIONS]
    if not questions:
        return []
    keys = [_key(q.text) for q in questions]
    scores = process.cdist(keys, keys, scorer=fuzz.token_sort_ratio, score_cutoff=similarity, dtype=np.uint8)
    near = scores >= similarity
    empty = np.array([not key for key in keys])
    near[empty, :] = near[:, empty] = False  # a message of only punctuation resembles nothing
    np.fill_diagonal(near, True)
    unclustered = np.ones(len(questions), dtype=bool)
    clusters = []
    while unclustered.any():
        counts = (near & unclustered).sum(axis=1) * unclustered  # neighbours still free, for free questions
        founder = int(np.argmax(counts))  # the first maximum: the newest of the best-connected
        members = np.flatnonzero(near[founder] & unclustered)
        unclustered[members] = False
        clusters.append(_cluster(questions, founder, [int(m) for m in members]))
    clusters.sort(key=lambda c: (-c.size, c.members[0]))
    return clusters


def _cluster(questions: list[Question], founder: int, members: list[int]) -> Cluster:
    guesses = Counter(questions[m].best_guess for m in members if questions[m].best_guess)
    nearest = guesses.most_common(1)[0][0] if guesses else None
    confidences = [questions[m].confidence for m in members if questions[m].best_guess == nearest]
    return Cluster(
        size=len(members),
        representative=questions[founder].text,
        nearest_entry=nearest,
        nearest_confidence=sum(confidences) / len(confidences) if nearest and confidences else 0.0,
        members=tuple(members),
    )
