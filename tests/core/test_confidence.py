"""The confidence model: a logistic regression fitted with numpy, loaded from the knowledge folder."""

from __future__ import annotations

import json
from dataclasses import replace

import numpy as np

from bot.core.confidence import CALIBRATION_FILE, FEATURES, Calibration, fit
from bot.core.pipeline import Engine


def test_fit_recovers_a_known_relationship_and_is_calibrated() -> None:
    rng = np.random.default_rng(3)
    x = rng.normal(size=(4000, len(FEATURES)))
    truth = np.zeros(len(FEATURES))
    truth[0], truth[1] = 2.0, -1.0  # only two features matter
    y = (rng.random(4000) < 1 / (1 + np.exp(-(x @ truth + 0.5)))).astype(float)
    model = fit(x, y, l2=0.1)
    weights = np.asarray(model.weights) / np.asarray(model.scale)  # back to the raw feature scale
    assert abs(weights[0] - 2.0) < 0.25 and abs(weights[1] + 1.0) < 0.25
    assert np.abs(weights[2:]).max() < 0.2
    p = np.asarray([model.probability(row) for row in x])
    for low in (0.1, 0.3, 0.5, 0.7):  # predicted probabilities match observed rates
        inside = (p >= low) & (p < low + 0.2)
        assert abs(p[inside].mean() - y[inside].mean()) < 0.05


def test_a_saved_fit_loads_and_a_fit_on_other_features_is_ignored(tmp_path) -> None:
    model = Calibration(tuple([0.5] * len(FEATURES)), -0.2, tuple([0.0] * len(FEATURES)),
                        tuple([1.0] * len(FEATURES)), answer_threshold=0.4)
    (tmp_path / CALIBRATION_FILE).write_text(model.to_json())
    assert Calibration.load(tmp_path) == model
    data = json.loads(model.to_json())
    data["features"] = data["features"][:-1]
    (tmp_path / CALIBRATION_FILE).write_text(json.dumps(data))
    assert Calibration.load(tmp_path) is None
    (tmp_path / CALIBRATION_FILE).write_text("{not json")
    assert Calibration.load(tmp_path) is None


def test_the_engine_reports_the_calibrated_probability(kb) -> None:
    engine = Engine(kb)
    assert engine.calibration is not None, "the shipped knowledge base carries its calibration"
    diagnosis = engine.diagnose("my PAT gives 401 when I send it as Authorization: Bearer")
    assert diagnosis.top.score == engine.calibration.probability(np.asarray(diagnosis.features))
    assert all(m.score <= diagnosis.top.score for m in diagnosis.matches)
    assert engine.thresholds.answer == max(engine.calibration.answer_threshold, 0.35)


def test_a_message_without_livechat_or_auth_words_is_never_answered(kb) -> None:
    """A new entry about the cookie grant once made "How do I bake cookies?" an answer."""
    diagnosis = Engine(kb).diagnose("How do I bake cookies? Mine always come out flat.")
    assert diagnosis.abstained and diagnosis.top.score <= 0.3


def test_another_products_question_stays_at_zero(kb) -> None:
    diagnosis = Engine(kb).diagnose("Zendesk API returns 401 with my API token in the Basic header, why?")
    assert diagnosis.abstained and (diagnosis.top is None or diagnosis.top.score == 0.0)


def test_without_a_calibration_file_the_ranker_score_is_used(kb) -> None:
    engine = Engine(replace(kb, directory=None))
    assert engine.calibration is None
    diagnosis = engine.diagnose("how do I create a personal access token")
    assert diagnosis.features and not diagnosis.abstained


def test_livechat_evidence_is_what_help_channels_need_to_answer_unprompted(kb) -> None:
    engine = Engine(kb)
    assert not engine.diagnose("how often should I refresh an access token in my app?").livechat_evidence
    assert engine.diagnose(
        "GET https://api.livechatinc.com/v3.5/agent/action/list_chats -> 401 Invalid access token"
    ).livechat_evidence
    assert engine.diagnose('{"error":{"type":"authentication","message":"Invalid access token"}}').livechat_evidence


def test_the_shipped_abstain_threshold_answers_only_what_is_more_likely_right_than_wrong(kb) -> None:
    """At a confidence below 0.5 an answer is more likely wrong than right: "I don't know" is better."""
    from bot.tools.calibrate import THRESHOLDS

    assert THRESHOLDS.min() >= 0.5
    assert Engine(kb).thresholds.answer >= 0.5


def test_the_lead_is_measured_over_alternatives_not_over_the_symptom_the_top_explains(kb) -> None:
    """`explains` puts the cause just above its symptom; that small gap is not doubt between two answers."""
    diagnosis = Engine(kb).diagnose(
        "curl -H 'Authorization: Bearer dal:FAKE_lead_check_pat_0000001' https://api.livechatinc.com/v3.6/agent/"
        "action/list_chats (my personal access token)\n"
        '{"error":{"type":"authentication","message":"Invalid access token"}}'
    )
    top, *rest = diagnosis.matches
    explained = {r.removeprefix("explains:") for r in top.reasons if r.startswith("explains:")}
    assert top.entry_id == "pat-auth-fails" and "invalid-access-token" in explained
    alternative = next(m for m in rest if m.entry_id not in explained)
    margin = diagnosis.features[FEATURES.index("margin")]
    assert margin == top.raw - alternative.raw
