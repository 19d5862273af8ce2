"""The whole pipeline: text → redact → signals → match → answer. Front ends call `Engine.diagnose`."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from bot.core.answer import CONTACT_ENTRY, THANKS_TITLE, compose_answer
from bot.core.confidence import Calibration, feature_vector, has_livechat_evidence
from bot.core.diagnosis import Diagnosis, Match
from bot.core.findings import find_problems
from bot.core.match import Matcher, Query, RankWeights, Thresholds
from bot.core.questions import excerpt, split_questions
from bot.core.redact import redact
from bot.core.signals import extract_signals
from bot.core.text import clean
from bot.core.topic import Topic, classify_topic
from bot.knowledge.loader import KnowledgeBase, load_knowledge
from bot.knowledge.schema import Entry

# Signals that mean "something is failing", which a thank-you note does not carry.
_PROBLEM_SIGNALS = ("error.", "error_type.", "oauth.", "details.", "status.", "rtm.", "finding.")


class Engine:
    """Diagnoses messages against one knowledge base. Build once; `diagnose` is cheap and pure."""

    def __init__(
        self,
        kb: KnowledgeBase,
        thresholds: Thresholds | None = None,
        calibration: Calibration | None = None,
        ranking: RankWeights | None = None,
        case_counts: dict[str, Counter[str]] | None = None,
    ) -> None:
        """`ranking` and `case_counts` default to the knowledge folder's fitted files (`authbot calibrate`)."""
        self.kb = kb
        self.calibration = calibration if calibration is not None else Calibration.load(kb.directory)
        defaults = Thresholds()
        answer = self.calibration.answer_threshold if self.calibration else defaults.answer
        # The off-topic ceiling must stay below the bar, or "how do I bake cookies" would be answered.
        self.thresholds = thresholds or Thresholds(answer=max(answer, defaults.offtopic_ceiling + 0.05))
        self.matcher = Matcher(kb, ranking, case_counts)

    @classmethod
    def from_directory(cls, directory: str | Path | None = None) -> Engine:
        return cls(load_knowledge(directory))

    def diagnose(self, text: str | bytes) -> Diagnosis:
        """The whole message, and when it asks several questions, each of them (see questions.py)."""
        started = time.perf_counter()
        whole = self._diagnose_one(text)
        questions = split_questions(whole.text)
        foreign = whole.topic is not None and whole.topic.foreign
        if len(questions) > 1 and not foreign and whole.answer.title != THANKS_TITLE:
            whole = self._with_questions(whole, [(q, self._diagnose_one(q)) for q in questions])
        return replace(whole, ms=(time.perf_counter() - started) * 1000)

    def _with_questions(self, whole: Diagnosis, parts: list[tuple[str, Diagnosis]]) -> Diagnosis:
        """Up to three entries, one per question; the questions none answers are named as not covered.
        When the whole message gets no answer but one of its questions does, that answer leads."""
        # A question that doesn't name LiveChat, in a message that names another product, is that product's:
        # "which token do I use for the REST API?" split off an Olark post is not a LiveChat question.
        elsewhere = whole.topic is not None and bool(whole.topic.other_platforms)
        answered = sorted(
            (
                (q, d) for q, d in parts
                if not d.abstained and d.top and (not elsewhere or (d.topic is not None and d.topic.livechat))
            ),
            key=lambda p: -p[1].top.score,
        )
        primary = whole
        if whole.abstained and answered:
            lead = answered[0][1]
            answer = replace(lead.answer, notes=whole.answer.notes)  # the credential warning is the message's
            primary = replace(
                lead, text=whole.text, truncated=whole.truncated, credentials=whole.credentials,
                findings=whole.findings or lead.findings, answer=answer,
                livechat_evidence=whole.livechat_evidence or lead.livechat_evidence,
            )
        covered = {primary.top.entry_id} if primary.top and not primary.abstained else set()
        more: list[tuple[str, Entry]] = []
        for question, diagnosis in answered:
            entry_id = diagnosis.top.entry_id
            if entry_id not in covered and len(more) < 2:
                covered.add(entry_id)
                more.append((excerpt(question), self.kb.entries[entry_id]))
        uncovered = tuple(excerpt(q) for q, d in parts if d.abstained)[:3]
        if primary.abstained or not (more or uncovered):
            return primary
        return replace(primary, answer=replace(primary.answer, more=tuple(more), uncovered=uncovered))

    def query(self, text: str | bytes) -> Query:
        """What the ranker sees of a message (for fitting the ranking weights on labelled cases)."""
        redacted, credentials = redact(clean(text).text)
        return self.matcher.prepare(redacted, extract_signals(redacted, credentials))

    def _diagnose_one(self, text: str | bytes) -> Diagnosis:
        started = time.perf_counter()
        cleaned = clean(text)
        redacted, credentials = redact(cleaned.text)
        signals = extract_signals(redacted, credentials)
        findings = find_problems(redacted, signals, credentials)
        query = self.matcher.prepare(redacted, signals)
        topic = classify_topic(
            redacted, self.kb.vocabulary, signals, credentials, query.prose_words, knows=self.matcher.knows
        )
        ranked = self.matcher.rank(query)
        matches = self._gated(ranked, topic, signals.ids)
        features: tuple[float, ...] = ()
        if matches:
            capped = matches[0].score < ranked[0].score
            vector = feature_vector(ranked, capped, topic, signals, credentials, len(query.prose_words))
            features = tuple(vector.tolist())
            if self.calibration is not None and not topic.foreign:
                confidence = self.calibration.probability(vector)
                if capped:  # no LiveChat or authorization words at all: never confident, whatever the fit says
                    confidence = min(confidence, self.thresholds.offtopic_ceiling)
                matches = _with_confidence(ranked, confidence)
        thanks = "intent.thanks" in signals.ids and not any(s.startswith(_PROBLEM_SIGNALS) for s in signals.ids)
        abstained = thanks or not matches or matches[0].score < self.thresholds.answer
        near_tie = (
            not abstained
            and len(matches) > 1
            and matches[0].raw - matches[1].raw < self.thresholds.near_tie
        )
        answer = compose_answer(
            self.kb, matches, findings, abstained=abstained, near_tie=near_tie, topic=topic,
            cleaned=cleaned, credentials=credentials, thanks=thanks,
        )
        return Diagnosis(
            text=redacted,
            truncated=cleaned.truncated,
            matches=matches,
            abstained=abstained,
            near_tie=near_tie,
            signals=signals,
            findings=findings,
            credentials=credentials,
            answer=answer,
            ms=(time.perf_counter() - started) * 1000,
            features=features,
            livechat_evidence=topic.livechat or has_livechat_evidence(signals, credentials),
            topic=topic,
        )

    def _gated(self, matches: list[Match], topic: Topic, signal_ids: set[str]) -> list[Match]:
        """Cap confidence for messages that are not about LiveChat authorization."""
        if topic.foreign:
            return [replace(m, score=0.0) for m in matches]
        if topic.auth or (matches and "error-string" in matches[0].reasons):  # or a known LiveChat error
            return matches
        cap = self.thresholds.offtopic_ceiling
        # Asking for a human, or reporting a docs mistake, without authorization words: that is what the
        # contact entry answers; no other entry gets through on that alone.
        asks_people = bool({"intent.contact", "intent.docs-mistake"} & signal_ids)
        return [
            m if asks_people and m.entry_id == CONTACT_ENTRY else replace(m, score=min(m.score, cap)) for m in matches
        ]


def _with_confidence(matches: list[Match], confidence: float) -> list[Match]:
    """The top entry carries the calibrated confidence; the others never look surer than it."""
    top, *rest = matches
    return [replace(top, score=confidence), *(replace(m, score=min(m.score, confidence)) for m in rest)]
