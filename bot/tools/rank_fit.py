"""Fit the ranker's evidence weights (bot/core/match.py `RankWeights`) on labelled cases.

Each answerable case is a choice among the entries the ranker considered for it; a conditional logit
(softmax over those candidates, Newton's method with an L2 penalty, numpy only) learns how much each kind
of evidence should count so that the labelled entry comes first. Each evidence kind enters twice, plain
and times the message's prose share, which gives the weights for a bare paste and for prose. Twelve
weights fitted on ~1,000 cases generalise: `authbot calibrate` reports top-1 with each case file held
out whole, before and after.
The fitted weights are rescaled to the hand-set weights' sum, so the raw evidence sum keeps its scale
(the near-tie margin and the uncalibrated squash are defined on it); only the ranking changes.
"""

from __future__ import annotations

import numpy as np

from bot.core.match import EVIDENCE, HAND_SET, PROSE_WORDS, Matcher, Query, RankWeights


def choice_sets(matcher: Matcher, queries: list[Query], expects: list[tuple[str, ...]]) -> tuple[np.ndarray, ...]:
    """Candidates' evidence padded to (cases, most candidates, evidence kinds), which are valid, and
    which are right. Cases whose right entry is not among the candidates teach nothing and are left out."""
    sets = []
    for query, expect in zip(queries, expects, strict=True):
        if not expect:
            continue
        candidates = matcher.candidates(query)
        right = [matcher.entries[c.index].id in expect for c in candidates]
        share = min(1.0, len(query.prose_words) / PROSE_WORDS)
        if any(right):
            evidence = np.asarray([np.concatenate([c.evidence, share * c.evidence]) for c in candidates])
            sets.append((evidence, np.asarray(right, dtype=float)))
    width = max((len(r) for _, r in sets), default=1)
    kinds = 2 * len(EVIDENCE)
    x = np.zeros((len(sets), width, kinds))
    valid = np.zeros((len(sets), width), dtype=bool)
    target = np.zeros((len(sets), width))
    for row, (evidence, right) in enumerate(sets):
        x[row, : len(right)] = evidence
        valid[row, : len(right)] = True
        target[row, : len(right)] = right / right.sum()
    return x, valid, target


def stack(parts: list[tuple[np.ndarray, ...]]) -> tuple[np.ndarray, ...]:
    """Choice sets built with different matchers (each file's learned evidence from a lexicon that never
    saw it) as one set, padded to the widest."""
    parts = [part for part in parts if len(part[0])]
    if not parts:
        return np.zeros((0, 1, 2 * len(EVIDENCE))), np.zeros((0, 1), dtype=bool), np.zeros((0, 1))
    width = max(part[0].shape[1] for part in parts)

    def padded(array: np.ndarray) -> np.ndarray:
        pad = [(0, 0), (0, width - array.shape[1])] + [(0, 0)] * (array.ndim - 2)
        return np.pad(array, pad)

    return tuple(np.concatenate([padded(part[k]) for part in parts]) for k in range(3))


def _loss(w: np.ndarray, x: np.ndarray, valid: np.ndarray, target: np.ndarray, l2: float) -> float:
    logits = np.where(valid, x @ w, -np.inf)
    top = logits.max(axis=1, keepdims=True)
    log_z = top[:, 0] + np.log(np.exp(logits - top).sum(axis=1))
    chosen = np.where(valid, target * np.where(valid, logits, 0.0), 0.0).sum(axis=1)
    return float((log_z - chosen).sum() + 0.5 * l2 * w @ w)


def fit(x: np.ndarray, valid: np.ndarray, target: np.ndarray, *, l2: float = 1.0, iterations: int = 100) -> RankWeights:
    """Maximum-likelihood weights for softmax(evidence · w) over each case's candidates (damped Newton:
    the step is halved until the penalised loss goes down, since an almost unpenalised softmax overshoots)."""
    kinds = x.shape[2]
    # Start from the hand-set weights (times 8: their softmax is far too flat), the same for both ends.
    w = np.concatenate([np.asarray(HAND_SET) * 8, np.zeros(len(EVIDENCE))])
    loss = _loss(w, x, valid, target, l2)
    for _ in range(iterations):
        logits = np.where(valid, x @ w, -np.inf)
        p = np.exp(logits - logits.max(axis=1, keepdims=True))
        p /= p.sum(axis=1, keepdims=True)
        mean = np.einsum("gk,gkf->gf", p, x)
        gradient = np.einsum("gk,gkf->f", p - target, x) + l2 * w
        centred = x - mean[:, None, :]
        hessian = np.einsum("gk,gkf,gkh->fh", p, centred, centred) + (l2 + 1e-9) * np.eye(kinds)
        step = np.linalg.solve(hessian, gradient)
        scale = 1.0
        while scale > 1e-4 and _loss(w - scale * step, x, valid, target, l2) > loss:
            scale /= 2
        if scale <= 1e-4:
            break
        w = w - scale * step
        new_loss = _loss(w, x, valid, target, l2)
        if loss - new_loss < 1e-9:
            break
        loss = new_loss
    bare, prose = w[: len(EVIDENCE)], w[: len(EVIDENCE)] + w[len(EVIDENCE) :]
    # Evidence never counts against an entry; the blend of two non-negative ends stays non-negative.
    bare, prose = np.maximum(bare, 0.0), np.maximum(prose, 0.0)
    scale = sum(HAND_SET) / (((bare.sum() + prose.sum()) / 2) or 1.0)
    return RankWeights(tuple((bare * scale).tolist()), tuple((prose * scale).tolist()))


def top1(matcher: Matcher, queries: list[Query], expects: list[tuple[str, ...]]) -> float:
    """Share of answerable cases whose labelled entry the ranker puts first."""
    hits = [
        bool(ranked) and ranked[0].entry_id in expect
        for query, expect in zip(queries, expects, strict=True)
        if expect
        for ranked in [matcher.rank(query, limit=1)]
    ]
    return sum(hits) / max(1, len(hits))
