"""The measures of a health snapshot, computed from one check run's facts and findings.

Each section reuses the rule family that owns the measure: the size family's line caps,
the complexity family's counts and ranks, the context family's import closure and sizes.
What ``# noqa`` or ``per-file-ignores`` suppresses for a rule is left out of that rule's
lists, so the counts agree with ``agentrails check``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from agentrails.checks.common.markdown import markdown_of
from agentrails.checks.complexity.facts import FunctionComplexity, rank
from agentrails.checks.context.refs import import_closure, measure
from agentrails.checks.size.rules import applicable_cap
from agentrails.engine.config.settings import Settings
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.noqa import suppressed
from agentrails.engine.protocol import RuleContext
from agentrails.engine.selection import PerFileIgnores

NEAR = 0.9
"""A file at this share of its cap or more is "near" it."""
RANKS = "ABCDEF"
TOP = 10
DEAD_CODE = ("AR301", "AR302")


class Suppressions:
    """Whether ``# noqa`` comments or ``per-file-ignores`` silence a code somewhere."""

    def __init__(self, facts: Mapping[str, FileFacts], settings: Settings) -> None:
        self.facts = facts
        self.ignores = PerFileIgnores(settings.top["per-file-ignores"])

    def __call__(self, path: str, code: str, line: int = 1) -> bool:
        found = self.facts.get(path)
        if found is not None and suppressed(code, line, found.noqa, found.file_noqa):
            return True
        return self.ignores.ignored(path, code)


def findings_section(findings: Iterable[Finding]) -> dict[str, Any]:
    """Finding counts, in total and by code."""
    counts = Counter(finding.code for finding in findings)
    return {"total": sum(counts.values()), "by_code": dict(sorted(counts.items()))}


def size_section(
    facts: Mapping[str, FileFacts], targets: Iterable[str], settings: Settings,
    silenced: Suppressions,
) -> dict[str, Any]:
    """Text files over their AR101 line cap, and those at 90% of it or more, each list
    worst first: by how far over (or how near) the cap, as a share of it."""
    options = settings.families.get("size", {})
    ctx = RuleContext(options, str(settings.root), frozenset())
    over, near = [], []
    for path in sorted(targets):
        found = facts.get(path)
        cap = applicable_cap(found, ctx) if found is not None else 0
        if not cap or found.content_lines < NEAR * cap or silenced(path, "AR101"):
            continue
        entry = {"path": path, "lines": found.content_lines, "cap": cap}
        (over if found.content_lines > cap else near).append(entry)
    over.sort(key=_worst_first)
    near.sort(key=_worst_first)
    return {"max_lines": options.get("max-lines"), "near_ratio": NEAR, "over": over,
            "near": near}


def _worst_first(entry: Mapping[str, Any]) -> tuple[float, int, str]:
    """Largest share of the cap used first, then the longest, then by path."""
    return -entry["lines"] / entry["cap"], -entry["lines"], entry["path"]


def _functions(
    facts: Mapping[str, FileFacts], targets: Iterable[str]
) -> list[tuple[str, FunctionComplexity]]:
    """Every measured function of the targets, with its path."""
    functions = []
    for path in sorted(targets):
        found = facts.get(path)
        measured = found.families.get("complexity") if found else None
        if isinstance(measured, tuple):  # (functions, blocks, maintainability index)
            functions += [(path, FunctionComplexity(*function)) for function in measured[0]]
    return functions


def _over_ceiling(
    functions: list[tuple[str, FunctionComplexity]], ceiling: int | None, silenced: Suppressions
) -> int:
    """How many functions AR201 reports: above the ceiling and not suppressed."""
    if ceiling is None:
        return 0
    return sum(
        1 for path, function in functions
        if function.complexity > ceiling and not silenced(path, "AR201", function.line)
    )


def complexity_section(
    facts: Mapping[str, FileFacts], targets: Iterable[str], settings: Settings,
    silenced: Suppressions,
) -> dict[str, Any]:
    """Functions by radon rank, the mean, those above the AR201 ceiling, the ten worst."""
    ceiling = settings.families.get("complexity", {}).get("max-function")
    functions = _functions(facts, targets)
    by_rank = Counter(rank(function.complexity) for _, function in functions)
    worst = sorted(functions, key=lambda item: (-item[1].complexity, item[0], item[1].line))
    total = sum(function.complexity for _, function in functions)
    return {
        "ceiling": ceiling,
        "functions": len(functions),
        "average": round(total / len(functions), 2) if functions else 0.0,
        "by_rank": {letter: by_rank.get(letter, 0) for letter in RANKS},
        "over_ceiling": _over_ceiling(functions, ceiling, silenced),
        "most_complex": [
            {"path": path, "name": function.name, "line": function.line,
             "complexity": function.complexity, "rank": rank(function.complexity)}
            for path, function in worst[:TOP]
        ],
    }


def dead_code_section(findings: Iterable[Finding]) -> dict[str, Any]:
    """AR301 and AR302 findings: the whole-program answer of the dead-code family."""
    counts = Counter(finding.code for finding in findings if finding.code in DEAD_CODE)
    return {"total": sum(counts.values()), "by_code": {code: counts[code] for code in DEAD_CODE}}


def context_section(facts: Mapping[str, FileFacts], settings: Settings) -> dict[str, Any] | None:
    """AR401's numbers: the canonical file with its ``@`` imports, against its budget;
    None when there is no canonical Markdown file."""
    options = settings.families.get("context")
    if not options:
        return None
    canonical = options["canonical"]
    if markdown_of(facts.get(canonical)) is None:
        return None
    root = str(Path(settings.root))
    closure = import_closure(canonical, facts, root)
    sizes = [measure(path, facts, root) for path in closure]
    return {
        "canonical": canonical,
        "files": closure,
        "lines": sum(lines for lines, _ in sizes),
        "bytes": sum(size for _, size in sizes),
        "max_lines": options["max-lines"],
        "max_bytes": options["max-bytes"],
    }
