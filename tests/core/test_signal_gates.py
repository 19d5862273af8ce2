"""The literal gates in front of signal patterns only skip scans that could not match.

A gate is right when every alternative of its pattern contains one of its needles. Checked two ways: on
every labelled message we have (lower-cased, as the signal step reads them) the gated and the ungated
search agree, and each pattern's own example matches stay found when the needles are the only overlap.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest
import yaml

from bot.core import signals

EVAL = Path(__file__).parents[1] / "eval"


def _gates() -> dict[str, signals._Gated]:
    found = {name: value for name, value in vars(signals).items() if isinstance(value, signals._Gated)}
    found.update({f"api:{name}": gate for name, gate in signals._API.items()})
    found.update({f"endpoint:{name}": gate for name, gate in signals._ENDPOINT.items()})
    found.update({f"sdk:{name}": gate for name, gate in signals._SDKS.items() if isinstance(gate, signals._Gated)})
    return found


@cache
def _messages() -> tuple[str, ...]:
    texts = []
    for path in sorted(EVAL.glob("*.yaml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")):
            texts.append(f"{case['text']}\n{case.get('image_text', '')}".lower())
    return tuple(texts)


def test_every_pattern_family_is_gated() -> None:
    assert len(signals._API) == len(signals._API_PARTS) and len(signals._ENDPOINT) == len(signals._ENDPOINT_PARTS)
    assert {"_SCHEME", "_DOCS_MISTAKE", "_CODE_PARAM", "sdk:api-v2"} <= set(_gates())


@pytest.mark.parametrize("name", sorted(_gates()))
def test_gate_never_hides_a_match(name: str) -> None:
    gate = _gates()[name]
    texts = _messages()
    matched = 0
    for text in texts:
        ungated = gate.pattern.search(text)
        gated = gate.search(text)
        assert (gated and gated.span()) == (ungated and ungated.span()), text[:120]
        matched += ungated is not None
    # the corpus exercises the pattern at all (a gate over a pattern nothing matches proves nothing)
    assert matched or name in {"api:text", "api:reports", "endpoint:accounts-me", "sdk:api-v2"}


@pytest.mark.parametrize(
    ("text", "api"),
    [
        ("post to https://api.livechatinc.com/v3.6/agent/action/send_event", "agent-chat"),
        ("the customer chat api says no", "customer-chat"),
        ("configuration api", "configuration"),
        ("api.helpdesk.com gives 401", "helpdesk"),
        ("accounts.livechat.com/v2/accounts/me", "global-accounts"),
        ("the text api", "text"),
    ],
)
def test_api_names_still_found(text: str, api: str) -> None:
    assert api in signals.extract_signals(text, []).apis


def test_names_keep_first_seen_order() -> None:
    found = signals.extract_signals("agent chat api first, then the customer chat api", [])
    assert found.apis[:2] == ["agent-chat", "customer-chat"]
