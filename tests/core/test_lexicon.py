"""The word model learned from labelled messages (bot/core/lexicon.py) and its place in the ranking."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, given, settings

from bot.core import lexicon
from bot.core.match import EVIDENCE, Matcher, RankWeights
from bot.core.pipeline import Engine
from tests.secret_cases import Case, cases, leaked_pieces

LEARNED = EVIDENCE.index("learned")


def _matcher(kb, counts: dict[str, Counter[str]] | None) -> Matcher:
    return Matcher(replace(kb, directory=None), RankWeights(), counts)


def test_words_only_labelled_messages_used_point_at_their_entry(kb) -> None:
    """The knowledge never says "pods" or "rollout"; labelled messages about the 25-token limit did."""
    plain = _matcher(kb, {})
    taught = _matcher(kb, {"token-lifetime-limits": Counter({"pod": 6, "rollout": 4, "scal": 3})})
    index = [e.id for e in taught.entries].index("token-lifetime-limits")
    message = {"pod", "rollout", "fail"}
    assert taught.lexicon.posterior(message)[index] > 0.5 > plain.lexicon.posterior(message)[index]
    assert np.isclose(taught.lexicon.posterior(message).sum(), 1.0)


def test_a_long_message_still_gets_a_distribution(engine) -> None:
    """Hundreds of known words put every log-likelihood below exp's range; the posterior was all NaN."""
    lexicon_ = engine.matcher.lexicon
    posterior = lexicon_.posterior(list(lexicon_.postings)[:600])
    assert np.all(np.isfinite(posterior)) and np.isclose(posterior.sum(), 1.0)


def test_a_message_with_no_known_word_gets_no_preference(kb) -> None:
    posterior = _matcher(kb, {}).lexicon.posterior({"zzzqx", "ab", "1234"})
    assert np.allclose(posterior, posterior[0])


def test_without_a_lexicon_file_there_is_no_learned_evidence(kb, tmp_path: Path) -> None:
    matcher = Matcher(replace(kb, directory=tmp_path), RankWeights())
    assert matcher.lexicon is None
    query = Engine(replace(kb, directory=None)).query("my PAT gives 401 Invalid access token")
    assert all(c.evidence[LEARNED] == 0.0 for c in matcher.candidates(query))


def test_counts_round_trip_and_a_broken_file_means_none(tmp_path: Path) -> None:
    counts = {"pat-create": Counter({"console": 2, "where": 1})}
    lexicon.save_counts(tmp_path / lexicon.LEXICON_FILE, counts)
    assert lexicon.load_counts(tmp_path) == counts
    (tmp_path / lexicon.LEXICON_FILE).write_text("[1, 2")
    assert lexicon.load_counts(tmp_path) is None
    assert lexicon.load_counts(tmp_path / "missing") is None and lexicon.load_counts(None) is None


def test_the_shipped_lexicon_is_used(engine) -> None:
    assert engine.matcher.lexicon is not None
    query = engine.query("each of our worker pods logs in on boot and the oldest ones start failing")
    assert any(c.evidence[LEARNED] > 0.0 for c in engine.matcher.candidates(query))


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.large_base_example],
)
@given(case=cases())
def test_the_lexicon_file_never_holds_a_piece_of_a_pasted_secret(engine, tmp_path_factory, case: Case) -> None:
    """The lexicon is written from labelled messages: only the words of the redacted text are counted."""
    counts = lexicon.count_cases([(engine.query(case.text).all_words, ("pat-auth-fails",))])
    path = tmp_path_factory.mktemp("lexicon") / lexicon.LEXICON_FILE
    lexicon.save_counts(path, counts)
    assert not leaked_pieces(case.secret, path.read_text()), case
