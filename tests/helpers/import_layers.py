"""The package's layers and the one direction imports may take between them.

Every ``import`` in a module counts, at module level or inside a function, and so do
imports under ``if TYPE_CHECKING:``: a lazy import still couples two modules.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PACKAGE = "agentrails"

LAYERS: dict[str, int] = {
    "engine": 0,
    "checks": 1,
    "github": 2,
    "hooks": 2,
    "report": 2,
    "sanitize": 2,
    "selfheal": 3,
    "commands": 4,
    "cli": 5,
    "__main__": 6,
}
"""Rank of each top-level part: a module imports only parts of a lower rank, or its own part.
The package's ``__init__`` (the version) is below everything."""

SUBLAYERS: dict[str, dict[str, int]] = {
    "engine": {
        "": 0, "cache": 0, "discovery": 1, "config": 2, "baseline": 3, "output": 4, "run": 5,
    },
    "hooks": {"shell": 0, "": 1},
    "github": {"": 0, "protection": 1, "fleet": 2},
}
"""Inside a part, the rank of each subpackage ('' for the part's own top-level modules): a
module imports only subpackages of a lower or equal rank. In the engine the top-level modules
(the rule protocol, records, globs) and ``cache/`` (what a run remembers) are the foundation;
a run (``run/``) sits on everything else."""

FAMILY_SHARED = "common"
"""Under ``checks/``, the one subpackage the families share; a family imports no other family."""


def module_name(root: Path, path: Path) -> str:
    """``agentrails.engine.run.runner`` for ``ROOT/agentrails/engine/runner.py``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules(root: Path) -> dict[str, Path]:
    """Every module of the package below ``root`` (the folder holding ``agentrails/``)."""
    return {module_name(root, path): path for path in sorted((root / PACKAGE).rglob("*.py"))}


def imported(path: Path, known: set[str]) -> Iterator[str]:
    """The package's modules that ``path`` imports, resolved to the longest known name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        for name in names:
            target = _longest_known(name, known)
            if target is not None:
                yield target


def _longest_known(name: str, known: set[str]) -> str | None:
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in known:
            return candidate
    return None


def graph(root: Path) -> dict[str, set[str]]:
    """Module -> the package modules it imports (itself and its own package excluded)."""
    found = modules(root)
    known = set(found)
    edges: dict[str, set[str]] = {}
    for name, path in found.items():
        targets = set(imported(path, known)) - {name}
        edges[name] = {t for t in targets if not name.startswith(t + ".")}
    return edges


def part(module: str) -> str:
    """The top-level part: ``engine`` for ``agentrails.engine.cache.store``; '' for the package."""
    pieces = module.split(".")
    return pieces[1] if len(pieces) > 1 else ""


def subpart(module: str) -> str:
    """The subpackage inside a part: ``cache`` for ``agentrails.engine.cache.store``, '' for
    ``agentrails.engine.runner``-like modules directly in the part."""
    pieces = module.split(".")
    return pieces[2] if len(pieces) > 3 else ""


def _family(module: str) -> str | None:
    pieces = module.split(".")
    return pieces[2] if len(pieces) > 2 and pieces[1] == "checks" else None


def violations(root: Path) -> list[str]:
    """Every import that goes up a layer, sideways between parts, or between families."""
    problems = []
    for source, targets in sorted(graph(root).items()):
        for target in sorted(targets):
            problem = _problem(source, target)
            if problem:
                problems.append(f"{source} imports {target}: {problem}")
    return problems


def _problem(source: str, target: str) -> str | None:
    here, there = part(source), part(target)
    if there == "":
        return None
    if here == there:
        return _family_problem(source, target) or _sublayer_problem(here, source, target)
    if here == "":
        return "the package's __init__ imports nothing of its own"
    if here not in LAYERS or there not in LAYERS:
        return f"a part missing from LAYERS ({here or there})"
    if LAYERS[there] >= LAYERS[here]:
        return f"{here} (layer {LAYERS[here]}) may not import {there} (layer {LAYERS[there]})"
    return None


def _family_problem(source: str, target: str) -> str | None:
    mine, theirs = _family(source), _family(target)
    if theirs is None or theirs in (mine, FAMILY_SHARED):
        return None
    return f"family {mine or '(checks)'} may not import family {theirs}"


def _sublayer_problem(here: str, source: str, target: str) -> str | None:
    ranks = SUBLAYERS.get(here)
    if ranks is None:
        return None
    mine, theirs = subpart(source), subpart(target)
    if mine not in ranks or theirs not in ranks:
        missing = mine if mine not in ranks else theirs
        return f"a subpackage missing from SUBLAYERS[{here!r}] ({missing})"
    if ranks[theirs] > ranks[mine]:
        return (f"{here}/{mine or '.'} (rank {ranks[mine]}) may not import "
                f"{here}/{theirs or '.'} (rank {ranks[theirs]})")
    return None


def reachable(edges: dict[str, set[str]], start: str) -> set[str]:
    """Every module ``start`` reaches through one or more imports."""
    seen: set[str] = set()
    todo = list(edges.get(start, ()))
    while todo:
        node = todo.pop()
        if node not in seen:
            seen.add(node)
            todo.extend(edges.get(node, ()))
    return seen


def cycles(root: Path) -> list[list[str]]:
    """Groups of modules that import each other, directly or through others, each sorted."""
    edges = graph(root)
    reach = {node: reachable(edges, node) for node in edges}
    groups = {
        tuple(sorted(other for other in reach[node] if node in reach[other]))
        for node in edges if node in reach[node]
    }
    return sorted(list(group) for group in groups)
