"""Step 3b: how likely the top entry is the right answer, fitted on labelled cases so "0.9" means 9 in 10.

The ranker's raw evidence sum orders entries well but says little about *whether* to answer: a pasted
"Invalid access token" scores high for a Zendesk question too. So the decision uses more than the score:
how far the top entry is ahead, whether its evidence is a pasted error or a finding about the request,
whether the message is about LiveChat and about authorization, how much LiveChat-specific evidence it
carries (hosts, token shapes, error bodies), and how long the prose is. A logistic regression over those
features, fitted by `authbot calibrate` (Newton's method with an L2 penalty, numpy only), turns them into
a probability. The fitted weights live next to the knowledge (`knowledge/_calibration.json`), because
they belong to that knowledge base: refit after changing entries.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bot.core.auth_talk import LIVECHAT_CREDENTIALS
from bot.core.diagnosis import Credential, CredentialKind, Match, Signals
from bot.core.product_names import LIVECHAT_HOST_SUFFIXES
from bot.core.topic import Topic

CALIBRATION_FILE = "_calibration.json"
FEATURES = (
    "raw",  # the top entry's evidence sum
    "margin",  # ahead of the runner-up (raw), not counting the entries the top one explains
    "text",  # the top entry's text similarity alone
    "boost",  # the top entry's signal boost
    "error_string",  # an error string of the top entry was pasted
    "finding",  # a finding about the user's own request supports the top entry
    "livechat",  # about LiveChat (names it, its hosts, its token shapes)
    "auth",  # about authorization
    "foreign",  # about another product's authorization
    "capped",  # no LiveChat or auth vocabulary: the ranker capped the score
    "evidence",  # count of LiveChat-specific evidence, log-scaled
    "prose",  # prose length in words, log-scaled
    "contact",  # asks for a human or reports a docs mistake
)
_EVIDENCE_PREFIXES = ("error_type.", "error.", "oauth.", "details.", "rtm.", "endpoint.", "api.")
# LiveChat-shaped credentials, and the cookie-grant session cookie, which only LiveChat sets.
_LIVECHAT_KINDS = frozenset(LIVECHAT_CREDENTIALS | {CredentialKind.session_cookie})


def _evidence_count(signals: Signals, credentials: list[Credential]) -> int:
    return (
        sum(s.startswith(_EVIDENCE_PREFIXES) for s in signals.ids)
        + sum(h.endswith(LIVECHAT_HOST_SUFFIXES) for h in signals.hosts)
        + sum(c.kind in _LIVECHAT_KINDS for c in credentials)
    )


def has_livechat_evidence(signals: Signals, credentials: list[Credential]) -> bool:
    """LiveChat's hosts, token shapes, error bodies, OAuth errors or API names in the message."""
    return _evidence_count(signals, credentials) > 0


def feature_vector(
    matches: list[Match], capped: bool, topic: Topic, signals: Signals, credentials: list[Credential], prose_words: int
) -> np.ndarray:
    top = matches[0]
    # The lead is over the best *alternative*: an entry the top one explains (the generic symptom its cause
    # produces, ranked just below it by `explains`) is not a competing answer.
    explained = {r.removeprefix("explains:") for r in top.reasons if r.startswith("explains:")}
    second = next((m.raw for m in matches[1:] if m.entry_id not in explained), 0.0)
    evidence = _evidence_count(signals, credentials)
    return np.array(
        [
            top.raw,
            top.raw - second,
            top.text_score,
            top.signal_score,
            float("error-string" in top.reasons),
            float(any(r.startswith("signal:finding.") for r in top.reasons)),
            float(topic.livechat),
            float(topic.auth),
            float(topic.foreign),
            float(capped),
            math.log1p(evidence),
            math.log1p(prose_words),
            float(bool({"intent.contact", "intent.docs-mistake"} & signals.ids)),
        ]
    )


def _sigmoid(z: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


@dataclass(frozen=True)
class Calibration:
    """Logistic regression on standardised features."""

    weights: tuple[float, ...]
    bias: float
    mean: tuple[float, ...]
    scale: tuple[float, ...]
    answer_threshold: float = 0.5  # abstain below this probability (chosen for accuracy by `calibrate`)
    features: tuple[str, ...] = FEATURES

    def probability(self, x: np.ndarray) -> float:
        z = (x - np.asarray(self.mean)) / np.asarray(self.scale)
        return float(_sigmoid(float(z @ np.asarray(self.weights)) + self.bias))

    def to_json(self) -> str:
        data = {"features": list(self.features), "weights": list(self.weights), "bias": self.bias,
                "mean": list(self.mean), "scale": list(self.scale), "answer_threshold": self.answer_threshold}
        return json.dumps(data, indent=2) + "\n"

    @classmethod
    def load(cls, directory: Path | None) -> Calibration | None:
        """The calibration shipped with a knowledge folder, or None (then the ranker's own squash is used).
        A file fitted on other features (an older version) is ignored rather than misread."""
        if directory is None:
            return None
        path = directory / CALIBRATION_FILE
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if tuple(data.get("features", ())) != FEATURES:
            return None
        return cls(
            tuple(data["weights"]), float(data["bias"]), tuple(data["mean"]), tuple(data["scale"]),
            float(data.get("answer_threshold", 0.5)),
        )


def fit(x: np.ndarray, y: np.ndarray, *, l2: float = 1.0, iterations: int = 50) -> Calibration:
    """Maximum-likelihood logistic regression with an L2 penalty on the weights (not the bias)."""
    mean = x.mean(axis=0)
    scale = x.std(axis=0)
    scale[scale == 0] = 1.0
    z = np.hstack([(x - mean) / scale, np.ones((len(x), 1))])
    beta = np.zeros(z.shape[1])
    penalty = np.full(z.shape[1], l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(z @ beta)
        gradient = z.T @ (p - y) + penalty * beta
        hessian = (z * (p * (1 - p))[:, None]).T @ z + np.diag(penalty) + 1e-9 * np.eye(len(beta))
        step = np.linalg.solve(hessian, gradient)
        beta -= step
        if float(np.abs(step).max()) < 1e-8:
            break
    return Calibration(tuple(beta[:-1].tolist()), float(beta[-1]), tuple(mean.tolist()), tuple(scale.tolist()))
