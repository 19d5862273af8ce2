"""The loader reports every problem as file:line: message and never loads a broken tree."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.knowledge.loader import KnowledgeError, load_knowledge, read_knowledge


def _problems(directory: Path) -> list[str]:
    kb, problems = read_knowledge(directory)
    assert kb is None
    return [str(p) for p in problems]


def test_real_knowledge_loads_with_the_faq_ids(kb) -> None:
    faq_ids = {
        "pat-quickstart", "token-per-api", "pat-create", "pat-auth-fails", "customer-chat-api-auth",
        "customer-token-refresh", "helpdesk-auth", "invalid-access-token", "invalid-message",
        "unauthorized-client", "invalid-request", "contact-support",
    }
    assert faq_ids <= set(kb.entries)
    assert len(kb.entries) >= 24


def test_yaml_syntax_error_reports_its_line(knowledge_copy: Path) -> None:
    (knowledge_copy / "pat-create.yaml").write_text("id: pat-create\ntitle: [unclosed\nquestion: x\n")
    problems = _problems(knowledge_copy)
    assert any(p.startswith("pat-create.yaml:") and "YAML syntax error" in p for p in problems)
    line = int(next(p for p in problems if p.startswith("pat-create.yaml")).split(":")[1])
    assert line in (2, 3)


def test_missing_field_is_named(knowledge_copy: Path) -> None:
    path = knowledge_copy / "pat-create.yaml"
    text = path.read_text().replace("\nsummary:", "\nnote:", 1)
    path.write_text(text)
    problems = _problems(knowledge_copy)
    first_key = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("id:"))
    assert f"pat-create.yaml:{first_key}: missing field 'summary'" in problems
    assert not any("related id 'pat-create'" in p for p in problems)  # no cascade from the broken entry
    line = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("note:"))
    assert f"pat-create.yaml:{line}: unknown field 'note'" in problems


def test_wrong_type_points_at_the_value(knowledge_copy: Path) -> None:
    path = knowledge_copy / "helpdesk-auth.yaml"
    lines = path.read_text().splitlines()
    index = next(i for i, line in enumerate(lines) if line.startswith("phrasings:"))
    lines[index + 1] = "  - {not: a string}"
    path.write_text("\n".join(lines) + "\n")
    problems = _problems(knowledge_copy)
    assert any(p.startswith(f"helpdesk-auth.yaml:{index + 2}: phrasings.0") for p in problems), problems


def test_duplicate_id_and_file_name(knowledge_copy: Path) -> None:
    source = (knowledge_copy / "pat-create.yaml").read_text()
    (knowledge_copy / "pat-create-copy.yaml").write_text(source)
    problems = _problems(knowledge_copy)
    assert any("pat-create-copy.yaml" in p and "file name must be the entry id" in p for p in problems)
    assert any("duplicate id 'pat-create'" in p for p in problems)


def test_unknown_related_id(knowledge_copy: Path) -> None:
    path = knowledge_copy / "token-per-api.yaml"
    text = path.read_text().replace("related:\n", "related:\n  - no-such-entry\n", 1)
    path.write_text(text)
    line = text.splitlines().index("  - no-such-entry") + 1
    assert f"token-per-api.yaml:{line}: related id 'no-such-entry' does not exist" in _problems(knowledge_copy)


def test_empty_step_list(knowledge_copy: Path) -> None:
    path = knowledge_copy / "invalid-message.yaml"
    text = path.read_text()
    start = text.index("steps:")
    end = text.index("\n", text.index("\n", start) + 1)
    lines = text.splitlines()
    steps_line = next(n for n, line in enumerate(lines, 1) if line.startswith("steps:"))
    body = [line for line in lines[steps_line:] if not line.startswith(("  ", "-"))]
    path.write_text("\n".join(lines[: steps_line - 1] + ["steps: []"] + body) + "\n")
    assert end > start
    problems = _problems(knowledge_copy)
    assert any(p.startswith(f"invalid-message.yaml:{steps_line}: steps") for p in problems), problems


def test_unknown_signal_family_is_rejected(knowledge_copy: Path) -> None:
    path = knowledge_copy / "invalid-message.yaml"
    path.write_text(path.read_text().replace("signals:\n", "signals:\n  mood.angry: 0.5\n", 1))
    assert any("unknown signal 'mood.angry'" in p for p in _problems(knowledge_copy))


def test_load_knowledge_raises_with_all_problems(knowledge_copy: Path) -> None:
    (knowledge_copy / "a-broken.yaml").write_text("- just\n- a list\n")
    (knowledge_copy / "b-empty.yaml").write_text("")
    with pytest.raises(KnowledgeError) as raised:
        load_knowledge(knowledge_copy)
    text = str(raised.value)
    assert "a-broken.yaml:1: expected a mapping" in text
    assert "b-empty.yaml:1: file is empty" in text


def test_binary_file_is_reported_not_crashed(knowledge_copy: Path) -> None:
    (knowledge_copy / "junk.yaml").write_bytes(b"\xff\xfe\x00\x01binary")
    assert any(p.startswith("junk.yaml:1:") for p in _problems(knowledge_copy))


@pytest.mark.parametrize(
    ("relation", "problem"),
    [
        ("  - entry: no-such-entry\n    when: [finding.pat-as-bearer]\n", "explains id 'no-such-entry' does not exist"),
        ("  - entry: pat-auth-fails\n    when: [finding.pat-as-bearer]\n", "an entry cannot explain itself"),
        ("  - entry: invalid-access-token\n    when: [error_type.authorization]\n",
         "explains 'invalid-access-token' when ['error_type.authorization']: not in this entry's signals"),
        ("  - entry: invalid-access-token\n    when: [finding.pat-as-bearer]\n    unless: [oauth.no_such_code]\n",
         "explains 'invalid-access-token' unless ['oauth.no_such_code']: no entry weighs these signals"),
    ],
)
def test_explains_is_checked(knowledge_copy: Path, relation: str, problem: str) -> None:
    path = knowledge_copy / "pat-auth-fails.yaml"
    path.write_text(path.read_text().replace("explains:\n", "explains:\n" + relation, 1))
    assert any(problem in p for p in _problems(knowledge_copy)), _problems(knowledge_copy)


def test_a_key_written_twice_in_one_entry_is_named_where_it_is(knowledge_copy: Path) -> None:
    """Issue 13 point 9: PyYAML keeps the last of two `related:` keys, and the error surfaced as misleading
    `related` problems in other files."""
    path = knowledge_copy / "pat-create.yaml"
    text = path.read_text()
    path.write_text(text + "related: [pat-quickstart]\n")
    first = next(n for n, line in enumerate(text.splitlines(), 1) if line.startswith("related:"))
    last = len(text.splitlines()) + 1
    assert _problems(knowledge_copy) == [f"pat-create.yaml:{last}: duplicate key 'related' (first at line {first})"]
