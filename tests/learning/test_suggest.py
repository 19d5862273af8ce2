"""`authbot kb suggest`'s logic: short redacted proposals where the bot needed help, de-duplicated, and eval cases."""

from __future__ import annotations

from dataclasses import dataclass

import yaml

from bot.learning.suggest import (
    EVAL_FILE,
    PHRASINGS_DIR,
    needs_phrasing,
    phrasing_of,
    suggest,
    write_suggestions,
)
from bot.tools.evaluate import evaluate, load_cases

FAKE = "dal:FAKE_test_token_000000000000"


@dataclass(frozen=True)
class Example:
    id: int
    text: str
    chosen_entry: str
    bot_entry: str | None = None
    bot_confidence: float = 0.2
    bot_abstained: bool = True


def test_only_examples_the_bot_missed_or_doubted_need_a_phrasing():
    assert needs_phrasing(Example(1, "x", "pat-create")) == "abstained"
    assert needs_phrasing(Example(1, "x", "pat-create", "pat-quickstart", 0.9, False)) == "answered pat-quickstart"
    assert needs_phrasing(Example(1, "x", "pat-create", "pat-create", 0.6, False)) == "was unsure (0.60)"
    assert needs_phrasing(Example(1, "x", "pat-create", "pat-create", 0.97, False)) is None


def test_a_phrasing_is_short_redacted_prose():
    # a phrasing goes into the knowledge base: no piece of a secret, not even the redacted form's last characters
    assert phrasing_of(f"my key {FAKE} stopped  working\nyesterday, why") == "my key <token> stopped working yesterday, why"
    assert phrasing_of("which screen makes personal keys? password=hunter2hunter2xyz") == (
        "which screen makes personal keys? password=<token>"
    )
    long = "Some context about our setup that goes on for a while. " * 4 + "Where do I make the token? Thanks."
    assert phrasing_of(long) == "Where do I make the token?"
    assert phrasing_of("```\n" + "log line\n" * 50 + "```") is None  # a paste is not a phrasing
    assert phrasing_of("help pls") is None  # too short to mean anything


def test_proposals_group_per_entry_and_skip_known_and_duplicate_wording(kb):
    existing = kb.entries["pat-create"].phrasings[0]
    examples = [
        Example(1, "in which screen do I mint a fresh personal token for my scripts", "pat-create"),
        Example(2, "In which screen do I mint a fresh personal token for my scripts?", "pat-create"),  # same again
        Example(3, existing.upper(), "pat-create"),  # the entry says it already
        Example(4, "whats the quickest auth route for a weekend hack on livechat", "pat-quickstart", "pat-create", 0.9, False),
        Example(5, "the tokens I make in the console, where is that page", "pat-create", "pat-create", 0.99, False),
        Example(6, "an entry that was removed since", "no-such-entry"),
    ]

    result = suggest(examples, kb)

    assert list(result.proposals) == ["pat-create", "pat-quickstart"]
    [mint] = result.proposals["pat-create"]
    assert mint.phrasing.startswith("in which screen do I mint") and mint.example_ids == (1, 2)
    assert result.proposals["pat-quickstart"][0].reason == "answered pat-create"
    assert result.skipped == {
        "the entry already has that phrasing": 1,
        "answered right and confidently": 1,
        "entry no longer in the knowledge base": 1,
    }
    assert [c["id"] for c in result.cases] == [f"labelled-{n}" for n in range(1, 6)]


def test_a_phrasing_another_entry_has_is_not_proposed(kb):
    theirs = kb.entries["token-per-api"].phrasings[0]
    result = suggest([Example(1, theirs, "pat-create")], kb)
    assert result.proposals == {} and result.skipped == {"another entry has that phrasing": 1}


def test_written_files_are_pasteable_yaml_and_a_scorable_eval_file(tmp_path, kb, engine):
    examples = [
        Example(7, f"where is the page to mint a personal token? mine is {FAKE}", "pat-create"),
        Example(8, "does a single bearer token cover both the agent and customer chat apis", "token-per-api"),
    ]

    written = write_suggestions(suggest(examples, kb), tmp_path)

    assert {p.relative_to(tmp_path).as_posix() for p in written} == {
        f"{PHRASINGS_DIR}/pat-create.yaml", f"{PHRASINGS_DIR}/token-per-api.yaml", EVAL_FILE,
    }
    text = (tmp_path / PHRASINGS_DIR / "pat-create.yaml").read_text()
    assert FAKE not in text and FAKE[-4:] not in text
    assert yaml.safe_load(text) == {"phrasings": ["where is the page to mint a personal token? mine is <token>"]}
    assert "# example 7: the bot abstained" in text
    cases = load_cases(tmp_path / EVAL_FILE, kb.entries)
    assert [(c.id, c.expect) for c in cases] == [("labelled-7", ("pat-create",)), ("labelled-8", ("token-per-api",))]
    assert FAKE not in (tmp_path / EVAL_FILE).read_text()
    summary, predictions = evaluate(engine, cases)
    assert summary.cases == 2 and [p["id"] for p in predictions] == ["labelled-7", "labelled-8"]
