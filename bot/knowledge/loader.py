"""Load knowledge/ into a validated `KnowledgeBase`, reporting every problem as `file:line: message`."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from bot.knowledge.schema import Document, Entry, Vocabulary

VOCABULARY_FILE = "_vocabulary.yaml"
SOURCES_FILE = "_sources.yaml"
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
DEFAULT_KNOWLEDGE_DIR = Path(__file__).resolve().parents[2] / "knowledge"


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        prefix = "warning: " if self.warning else ""
        return f"{self.file}:{self.line}: {prefix}{self.message}"


class KnowledgeError(Exception):
    """The knowledge base could not be loaded; `problems` says where and why."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass
class KnowledgeBase:
    entries: dict[str, Entry]
    vocabulary: Vocabulary
    directory: Path | None = None
    #: line of each entry's top-level keys, for checks that report after loading
    lines: dict[str, dict[str, int]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    #: upstream documents that summaries and steps cite, by key (knowledge/_sources.yaml)
    sources: dict[str, Document] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, entry_id: str) -> Entry | None:
        return self.entries.get(entry_id)


def _node_line(node: yaml.Node | None, path: tuple[Any, ...], at_key: bool = False) -> int:
    """Line (1-based) of the YAML node at `path`, or of its nearest existing ancestor.

    `at_key`: the line of the last key rather than of its value (they differ for a block mapping).
    """
    line = node.start_mark.line + 1 if node is not None else 1
    for depth, key in enumerate(path, 1):
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if k.value == key), None)
            if found is None or (at_key and depth == len(path)):
                # an extra key reports at the key itself
                key_node = next((k for k, _ in node.value if k.value == key), None)
                return key_node.start_mark.line + 1 if key_node is not None else line
            node = found
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
        line = node.start_mark.line + 1
    return line


def _key_lines(node: yaml.Node | None) -> dict[str, int]:
    """Lines of the top-level keys, plus `steps.N` for each step (a step may span several lines)."""
    if not isinstance(node, yaml.MappingNode):
        return {}
    lines = {k.value: k.start_mark.line + 1 for k, _ in node.value}
    steps = next((v for k, v in node.value if k.value == "steps"), None)
    if isinstance(steps, yaml.SequenceNode):
        lines |= {f"steps.{i}": item.start_mark.line + 1 for i, item in enumerate(steps.value)}
    return lines


def _read_sources(directory: Path) -> tuple[dict[str, Document], list[Problem]]:
    path = directory / SOURCES_FILE
    if not path.is_file():
        return {}, []  # a folder without sources can still hold seed entries and unsourced text
    data, node, problems = _parse(path, path.name)
    if data is None:
        return {}, problems
    documents: dict[str, Document] = {}
    for key, value in data.items():
        document, found = _validate(Document, value, _mapping_value(node, key), path.name)
        problems += found
        if document is not None:
            documents[str(key)] = document
    return documents, problems


def _mapping_value(node: yaml.Node | None, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == key), None)
    return None


def _reference_problems(entry: Entry, node: yaml.Node | None, name: str, sources: dict[str, Document]) -> list[Problem]:
    """Every `source` reference must name a document in _sources.yaml and, with `#`, one of its anchors."""
    problems = []
    texts = [(("summary",), entry.summary)] + [(("steps", i), step) for i, step in enumerate(entry.steps)]
    for path, text in texts:
        for index, reference in enumerate(text.sources):
            key, _, anchor = reference.partition("#")
            document = sources.get(key)
            if document is None:
                message = f"source '{reference}' is not a document in {SOURCES_FILE}"
            elif anchor and anchor not in document.anchors:
                message = f"source '{reference}': '{anchor}' is not an anchor of '{key}' in {SOURCES_FILE}"
            else:
                continue
            problems.append(Problem(name, _node_line(node, (*path, "source", index)), message))
    return problems


def _validate(model: type[BaseModel], data: Any, node: yaml.Node | None, name: str) -> tuple[Any, list[Problem]]:
    try:
        return model.model_validate(data), []
    except ValidationError as error:
        problems = []
        for err in error.errors():
            loc = tuple(err["loc"])
            where = ".".join(str(part) for part in loc) or "(top level)"
            message = {
                "missing": f"missing field '{where}'",
                "extra_forbidden": f"unknown field '{where}'",
            }.get(err["type"], f"{where}: {err['msg']}")
            problems.append(Problem(name, _node_line(node, loc, at_key=err["type"] == "extra_forbidden"), message))
        return None, problems


def duplicate_keys(node: yaml.Node | None) -> list[tuple[int, str]]:
    """(line, message) for every key a mapping repeats, at any depth. PyYAML keeps the last value silently,
    so a second `related:` in one entry would only show up as odd errors elsewhere."""
    found: list[tuple[int, str]] = []
    stack = [node] if node is not None else []
    while stack:
        current = stack.pop()
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, int] = {}
            for key, value in current.value:
                if isinstance(key, yaml.ScalarNode):
                    line = key.start_mark.line + 1
                    if key.value in seen:
                        found.append((line, f"duplicate key '{key.value}' (first at line {seen[key.value]})"))
                    seen.setdefault(key.value, line)
                stack.append(value)
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(current.value)
    return sorted(found)


def _parse(path: Path, name: str) -> tuple[Any, yaml.Node | None, list[Problem]]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        return None, None, [Problem(name, 1, f"cannot read file: {error}")]
    try:
        # One parse (libyaml when available): compose keeps line numbers, construct gives the data.
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 1
        message = f"YAML syntax error: {error.problem or error}"
        if error.context_mark and error.context_mark.line + 1 != line:
            message += f" ({error.context} at line {error.context_mark.line + 1})"
        return None, None, [Problem(name, line, message)]
    except yaml.YAMLError as error:
        return None, None, [Problem(name, 1, f"YAML error: {error}")]
    repeated = duplicate_keys(node)
    if repeated:
        return None, None, [Problem(name, line, message) for line, message in repeated]
    if data is None:
        return None, None, [Problem(name, 1, "file is empty")]
    if not isinstance(data, dict):
        return None, None, [Problem(name, 1, "expected a mapping of fields at the top level")]
    return data, node, []


def read_knowledge(directory: Path) -> tuple[KnowledgeBase | None, list[Problem]]:
    """Read and validate every file; return the knowledge base (None if any error) and all problems."""
    directory = Path(directory)
    problems: list[Problem] = []
    if not directory.is_dir():
        return None, [Problem(str(directory), 1, "knowledge directory not found")]

    entries: dict[str, Entry] = {}
    lines: dict[str, dict[str, int]] = {}
    files: dict[str, str] = {}
    vocabulary: Vocabulary | None = None
    declared: set[str] = set()
    sources, source_problems = _read_sources(directory)
    problems += source_problems

    vocab_path = directory / VOCABULARY_FILE
    if vocab_path.is_file():
        data, node, parse_problems = _parse(vocab_path, vocab_path.name)
        problems += parse_problems
        if data is not None:
            vocabulary, found = _validate(Vocabulary, data, node, vocab_path.name)
            problems += found
    else:
        problems.append(Problem(VOCABULARY_FILE, 1, "missing vocabulary file"))

    paths = sorted(p for p in directory.iterdir() if p.suffix in {".yaml", ".yml"} and not p.name.startswith("_"))
    if not paths:
        problems.append(Problem(str(directory), 1, "no knowledge entries found"))
    for path in paths:
        name = path.name
        data, node, parse_problems = _parse(path, name)
        problems += parse_problems
        if data is None:
            declared.add(path.stem)
            continue
        if isinstance(data.get("id"), str):
            declared.add(data["id"])  # so a broken entry does not also break every `related` to it
        entry, found = _validate(Entry, data, node, name)
        problems += found
        if entry is None:
            continue
        if path.stem != entry.id:
            problems.append(
                Problem(name, _node_line(node, ("id",)), f"file name must be the entry id ({entry.id}.yaml)")
            )
        if entry.id in entries:
            problems.append(
                Problem(name, _node_line(node, ("id",)), f"duplicate id '{entry.id}' (also in {files[entry.id]})")
            )
            continue
        entries[entry.id] = entry
        lines[entry.id] = _key_lines(node)
        files[entry.id] = name
        for index, step in enumerate(entry.steps):
            if not step.strip():
                problems.append(Problem(name, _node_line(node, ("steps", index)), "empty step"))
        problems += _reference_problems(entry, node, name, sources)

    for entry_id, entry in entries.items():
        for index, related in enumerate(entry.related):
            if related not in entries and related not in declared:
                line = lines[entry_id].get("related", 1) + index + 1
                problems.append(Problem(files[entry_id], line, f"related id '{related}' does not exist"))
            elif related == entry_id:
                line = lines[entry_id]["related"]
                problems.append(Problem(files[entry_id], line, "an entry cannot relate to itself"))
        problems += _explains_problems(entry, entries, declared, lines[entry_id].get("explains", 1), files[entry_id])

    if problems or vocabulary is None:
        return None, sorted(problems)
    return KnowledgeBase(entries, vocabulary, directory, lines, files, sources), []


def _explains_problems(
    entry: Entry, entries: dict[str, Entry], declared: set[str], line: int, name: str
) -> list[Problem]:
    """An `explains` names an existing other entry, and its evidence is among the entry's own signals (so the
    signal is weighted, and a typo can't silently disable the rule)."""
    problems = []
    for relation in entry.explains:
        if relation.entry == entry.id:
            problems.append(Problem(name, line, "an entry cannot explain itself"))
        elif relation.entry not in entries and relation.entry not in declared:
            problems.append(Problem(name, line, f"explains id '{relation.entry}' does not exist"))
        unknown = [s for s in relation.when if s not in entry.signals]
        if unknown:
            message = f"explains '{relation.entry}' when {unknown}: not in this entry's signals"
            problems.append(Problem(name, line, message))
        weighed = {s for other in entries.values() for s in other.signals}
        unweighed = [s for s in relation.unless if s not in weighed]
        if unweighed:
            message = f"explains '{relation.entry}' unless {unweighed}: no entry weighs these signals"
            problems.append(Problem(name, line, message))
    return problems


def load_knowledge(directory: Path | str | None = None) -> KnowledgeBase:
    """Load a knowledge base or raise `KnowledgeError` listing every problem."""
    kb, problems = read_knowledge(Path(directory) if directory else DEFAULT_KNOWLEDGE_DIR)
    if kb is None:
        raise KnowledgeError(problems)
    return kb
