"""`authbot kb check`: Discord limits, confusable entries, exit codes (run as a real subprocess)."""

from __future__ import annotations

import json
from pathlib import Path

from bot.knowledge.checks import check_knowledge
from tests.conftest import run_authbot


def test_real_knowledge_passes_the_strict_check() -> None:
    # CI runs this: the shipped knowledge must pass with warnings counted as errors.
    result = run_authbot("kb", "check", "--strict")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s), 0 warning(s)" in result.stdout


def test_every_summary_and_step_beyond_the_seed_names_a_source(kb) -> None:
    for entry in kb.entries.values():
        texts = [entry.summary, *entry.steps]
        assert entry.seed or all(text.sources for text in texts), entry.id
        for text in texts:
            for reference in text.sources:
                key, _, anchor = reference.partition("#")
                assert key in kb.sources and (not anchor or anchor in kb.sources[key].anchors), reference


def test_an_unsourced_step_outside_the_seed_fails(knowledge_copy: Path) -> None:
    path = knowledge_copy / "wrong-region.yaml"
    path.write_text(path.read_text().replace("steps:\n", "steps:\n  - Just trust me on this one.\n", 1))
    problems = [str(p) for p in check_knowledge(knowledge_copy)]
    assert any("wrong-region.yaml:" in p and "step 1 has no source" in p for p in problems), problems
    assert run_authbot("kb", "check", str(knowledge_copy)).returncode == 1


def test_seed_entries_may_quote_the_seed_without_sources(knowledge_copy: Path) -> None:
    path = knowledge_copy / "invalid-message.yaml"
    path.write_text(path.read_text().replace("steps:\n", "steps:\n  - Read the error message.\n", 1))
    assert not [p for p in check_knowledge(knowledge_copy) if not p.warning and "no source" in p.message]


def test_unknown_source_key_or_anchor_is_an_error_with_its_line(knowledge_copy: Path) -> None:
    path = knowledge_copy / "pkce-code-exchange.yaml"
    text = path.read_text().replace("[oauth#pkce-extension]", "[oauth#no-such-heading]", 1)
    text = text.replace("source: [oauth#implementing-authorization-code-grant]", "source: [nowhere]", 1)
    path.write_text(text)
    problems = [str(p) for p in check_knowledge(knowledge_copy)]
    lines = text.splitlines()
    anchor_line = next(n for n, line in enumerate(lines, 1) if "oauth#no-such-heading" in line)
    key_line = next(n for n, line in enumerate(lines, 1) if "[nowhere]" in line)
    assert f"pkce-code-exchange.yaml:{anchor_line}: source 'oauth#no-such-heading': 'no-such-heading' is not an anchor of 'oauth' in _sources.yaml" in problems
    assert f"pkce-code-exchange.yaml:{key_line}: source 'nowhere' is not a document in _sources.yaml" in problems


def test_broken_tree_fails_with_file_and_line(knowledge_copy: Path) -> None:
    (knowledge_copy / "pat-create.yaml").write_text("id: pat-create\ntitle: [oops\n")
    result = run_authbot("kb", "check", str(knowledge_copy))
    assert result.returncode == 1
    assert "pat-create.yaml:3: YAML syntax error" in result.stdout
    assert "while parsing a flow sequence at line 2" in result.stdout


def test_text_over_discord_limits_is_an_error(knowledge_copy: Path) -> None:
    path = knowledge_copy / "helpdesk-auth.yaml"
    text = path.read_text()
    long_title = "T" * 120
    text = "\n".join(f"title: {long_title}" if line.startswith("title:") else line for line in text.splitlines())
    text = text.replace("steps:\n", "steps:\n  - " + "word " * 260 + "\n", 1)
    path.write_text(text + "\n")
    problems = [str(p) for p in check_knowledge(knowledge_copy)]
    assert any("helpdesk-auth.yaml:3: title (used as an autocomplete choice name) is 120" in p for p in problems)
    assert any("a step (embed field)" in p and "Discord allows 1024" in p for p in problems)


def test_confusable_entries_are_warned_about(knowledge_copy: Path) -> None:
    path = knowledge_copy / "helpdesk-auth.yaml"
    path.write_text(
        path.read_text().replace("phrasings:\n", "phrasings:\n  - How do I create a Personal Access Token?\n", 1)
    )
    problems = check_knowledge(knowledge_copy)
    warnings = [str(p) for p in problems if p.warning]
    assert any("is matched to 'pat-create' instead" in w for w in warnings)
    assert not [p for p in problems if not p.warning]
    strict = run_authbot("kb", "check", "--strict", str(knowledge_copy))
    assert strict.returncode == 1


def test_schema_export_is_json_schema(tmp_path: Path) -> None:
    out = tmp_path / "entry.schema.json"
    result = run_authbot("kb", "schema", "--output", str(out))
    assert result.returncode == 0
    schema = json.loads(out.read_text())
    assert {"id", "title", "steps", "signals"} <= set(schema["properties"])
    assert "steps" in schema["required"]
