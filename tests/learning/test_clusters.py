"""Gap clusters: similar unanswered questions grouped, biggest first, each with its nearest entry."""

from __future__ import annotations

from dataclasses import dataclass

from bot.learning import clusters as clusters_module
from bot.learning.clusters import MAX_QUESTIONS, cluster_questions


@dataclass(frozen=True)
class Question:
    text: str
    best_guess: str | None = None
    confidence: float = 0.0


ROTATE = [
    Question("how can I rotate my client secret in the developer console?", "app-secret", 0.30),
    Question("How do I rotate the client secret in developer console", "app-secret", 0.40),
    Question("rotate client secret developer console, how?", "other-entry", 0.20),
]
WEBHOOK = [
    Question("is there a webhook for new chats?", "webhooks", 0.10),
    Question("can I get a webhook for incoming chats", "webhooks", 0.20),
]


def test_similar_questions_form_one_cluster_biggest_first():
    questions = [WEBHOOK[0], ROTATE[0], Question("what pizza do you like"), ROTATE[1], WEBHOOK[1], ROTATE[2]]

    clusters = cluster_questions(questions)

    assert [c.size for c in clusters] == [3, 2, 1]
    rotate, webhook, pizza = clusters
    assert {questions[m] for m in rotate.members} == set(ROTATE)
    assert {questions[m] for m in webhook.members} == set(WEBHOOK)
    assert pizza.representative == "what pizza do you like" and pizza.nearest_entry is None
    assert pizza.nearest_confidence == 0.0


def test_nearest_entry_is_the_most_common_guess_with_its_mean_confidence():
    rotate = cluster_questions(ROTATE)[0]
    assert rotate.nearest_entry == "app-secret"
    assert rotate.nearest_confidence == 0.35


def test_the_representative_is_a_member_similar_to_all_others():
    chain = [
        Question("token expired after one hour"),
        Question("token expired after one hour please help me"),
        Question("please help me with my order delivery status"),  # like the 2nd, not the 1st
    ]
    clusters = cluster_questions(chain)
    # Single linkage would chain all three; every member here must be close to its representative.
    assert all(c.size <= 2 for c in clusters)
    assert sum(c.size for c in clusters) == 3


def test_punctuation_only_messages_resemble_nothing_and_empty_input_gives_nothing():
    assert cluster_questions([]) == []
    clusters = cluster_questions([Question("???"), Question("!!!"), Question("...")])
    assert [c.size for c in clusters] == [1, 1, 1]


def test_at_most_the_newest_questions_are_clustered(monkeypatch):
    assert MAX_QUESTIONS == 2000  # a 2000 × 2000 matrix: about a second in a worker thread
    monkeypatch.setattr(clusters_module, "MAX_QUESTIONS", 40)
    many = [Question(f"question number {n} about something") for n in range(60)]
    clusters = cluster_questions(many)
    assert sum(c.size for c in clusters) == 40
    assert max(m for c in clusters for m in c.members) == 39  # the first (newest) 40
