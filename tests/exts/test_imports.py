"""The Discord side imports in one direction (issue 10): app → tree → utils, and utils holds only
Discord helpers. A circle (bot/app.py ↔ bot/tree.py ↔ bot/utils/errors.py ↔ bot/utils/checks.py, even
through TYPE_CHECKING imports) makes import order matter and every module hard to test alone."""

from __future__ import annotations

import ast
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
OURS = ("bot.app", "bot.tree", "bot.lifecycle", "bot.utils", "bot.views", "bot.exts")


def module_name(path: Path) -> str:
    name = ".".join(path.relative_to(BOT.parent).with_suffix("").parts)
    return name.removesuffix(".__init__")


def imports() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in BOT.rglob("*.py"):
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("bot"):
                found.add(node.module)
            elif isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names if alias.name.startswith("bot")}
        graph[module_name(path)] = found
    return graph


def test_no_import_circles_on_the_discord_side():
    graph = imports()
    circles = []

    def visit(module: str, path: list[str]) -> None:
        for target in graph.get(module, ()):
            if not target.startswith(OURS):
                continue
            if target in path:
                circles.append(" → ".join([*path[path.index(target) :], target]))
            elif len(path) < 12:
                visit(target, [*path, target])

    for module in graph:
        if module.startswith(OURS):
            visit(module, [module])
    assert not circles, circles[:5]


def test_utils_know_nothing_of_diagnoses_or_knowledge():
    graph = imports()
    for module, targets in graph.items():
        if module.startswith("bot.utils"):
            domain = {t for t in targets if t.startswith(("bot.core.pipeline", "bot.core.diagnosis", "bot.knowledge", "bot.exts"))}
            assert not domain, f"{module} imports {sorted(domain)}: domain glue belongs with its feature"
