"""The ranking weights fitted on labelled cases (bot/tools/rank_fit.py, bot/core/match.py RankWeights)."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from bot.core.match import EVIDENCE, HAND_SET, PROSE_WORDS, RANKING_FILE, Matcher, RankWeights
from bot.core.pipeline import Engine
from bot.tools import rank_fit
from bot.tools.evaluate import load_cases

EVAL_DIR = Path(__file__).resolve().parents[1] / "eval"


def _choices(rng: np.random.Generator, truth: np.ndarray, cases: int = 400, width: int = 6) -> tuple[np.ndarray, ...]:
    """Choice sets where the right candidate is the softmax draw of evidence · truth (both ends alike)."""
    x = rng.random((cases, width, 2 * len(EVIDENCE)))
    x[:, :, len(EVIDENCE):] = x[:, :, : len(EVIDENCE)] * rng.random((cases, 1, 1))  # a prose share per case
    logits = x[:, :, : len(EVIDENCE)] @ truth
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    target = np.zeros((cases, width))
    target[np.arange(cases), [rng.choice(width, p=row) for row in p]] = 1.0
    return x, np.ones((cases, width), dtype=bool), target


def test_the_fit_finds_which_evidence_decides() -> None:
    """Only phrase similarity decides here: its weight ends up far above the others at both ends."""
    truth = np.zeros(len(EVIDENCE))
    truth[EVIDENCE.index("phrase")] = 12.0
    weights = rank_fit.fit(*_choices(np.random.default_rng(1), truth), l2=0.01)
    for end in (weights.bare, weights.prose):
        assert np.argmax(end) == EVIDENCE.index("phrase")
        assert min(end) >= 0.0  # evidence never counts against an entry
    # rescaled to the hand-set weights' sum, so the raw score keeps its scale
    assert abs((sum(weights.bare) + sum(weights.prose)) / 2 - sum(HAND_SET)) < 1e-9


def test_padding_never_wins_a_choice() -> None:
    """Cases have different numbers of candidates; the padded slots must not take probability."""
    rng = np.random.default_rng(2)
    x, valid, target = _choices(rng, np.eye(len(EVIDENCE))[0] * 5.0, cases=50)
    valid[:, 4:] = False
    x[:, 4:] = 100.0  # huge evidence in the padding: ignored, or the fit would chase it
    target[:, 4:] = 0.0
    target[target.sum(axis=1) == 0, 0] = 1.0
    weights = rank_fit.fit(x, valid, target, l2=0.01)
    assert all(np.isfinite(weights.bare)) and all(np.isfinite(weights.prose))


def test_the_blend_goes_from_bare_to_prose() -> None:
    weights = RankWeights(bare=(1, 0, 0, 0, 0, 0), prose=(0, 0, 1, 0, 0, 0))
    assert weights.at(0).tolist() == [1, 0, 0, 0, 0, 0]
    assert weights.at(PROSE_WORDS).tolist() == weights.at(10 * PROSE_WORDS).tolist() == [0, 0, 1, 0, 0, 0]
    assert np.allclose(weights.at(PROSE_WORDS // 2 + 0), weights.at(PROSE_WORDS // 2))
    assert 0 < weights.at(PROSE_WORDS // 2)[0] < 1


def test_saved_weights_load_and_a_broken_file_falls_back_to_the_hand_set(tmp_path: Path) -> None:
    fitted = RankWeights(bare=(0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7), prose=(0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1))
    (tmp_path / RANKING_FILE).write_text(fitted.to_json())
    assert RankWeights.load(tmp_path) == fitted
    (tmp_path / RANKING_FILE).write_text(json.dumps({"bare": {"relative": 1.0}}))
    assert RankWeights.load(tmp_path) == RankWeights()
    assert RankWeights.load(tmp_path / "missing") == RankWeights() == RankWeights.load(None)


def test_the_shipped_weights_rank_our_cases_better_than_the_hand_set(kb) -> None:
    """The fit the knowledge folder ships with, against the hand-set weights, on a set it was fitted on
    (the held-out comparison is what `authbot calibrate` prints; this guards the shipped file)."""
    engine = Engine(replace(kb, directory=None), ranking=RankWeights())
    cases = load_cases(EVAL_DIR / "blind_a.yaml")
    queries, expects = [engine.query(c.message()) for c in cases], [c.expect for c in cases]
    assert RankWeights.load(kb.directory) != RankWeights()
    fitted = rank_fit.top1(Matcher(kb), queries, expects)
    assert fitted > rank_fit.top1(engine.matcher, queries, expects)
