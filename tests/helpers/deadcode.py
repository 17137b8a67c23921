"""Helpers shared by the dead-code tests (this module holds no tests).

``reports`` runs the dead-code family in-process through the engine's real per-file pipeline
(``engine.analyse.analyse``) and the rules' join; ``vulture_reports`` runs vulture 2.16's own
API on the same files, bundled whitelists included as ``vulture`` itself adds them. Both
return ``path:line: message (NN% confidence)`` lines, sorted.
"""

from __future__ import annotations

import pkgutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import vulture

from agentrails.checks.deadcode.rules import FAMILY, UnreachableCode, UnusedCode
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import RuleContext
from agentrails.engine.run.analyse import analyse

VIRTUAL = Path("/virtual")
"""Where vulture believes the files live: absolute, so its test-file globs see only our path."""

DEFAULTS = {name: option.default for name, option in FAMILY.options.items()}


def context(
    root: str | Path = ".", top: Mapping[str, Any] | None = None, **options: Any
) -> RuleContext:
    """Family options (``min_confidence`` means ``min-confidence``), reporting everything;
    ``top`` holds top-level settings such as ``max-depth``."""
    values = {**DEFAULTS, "min-confidence": 0}
    values.update({key.replace("_", "-"): value for key, value in options.items()})
    return RuleContext(values, str(root), frozenset({"AR301", "AR302"}), top=dict(top or {}))


def file_facts(files: Mapping[str, str | bytes], ctx: RuleContext) -> dict[str, FileFacts]:
    """Every file through the engine's per-file pipeline, dead-code family only."""
    facts = {}
    for path, text in files.items():
        data = text.encode() if isinstance(text, str) else text
        facts[path] = analyse(path, data, [FAMILY], {FAMILY.name: ctx}, 10_000_000)
    return facts


def findings(
    files: Mapping[str, str | bytes], root: str | Path = ".",
    top: Mapping[str, Any] | None = None, **options: Any,
) -> list[Finding]:
    """AR301 and AR302 findings for ``files``."""
    ctx = context(root, top, **options)
    facts = file_facts(files, ctx)
    found = list(UnusedCode().check_project(facts, ctx))
    for one in facts.values():
        found.extend(UnreachableCode().check_file(one, ctx))
    return sorted(found)


def reports(files: Mapping[str, str | bytes], root: str | Path = ".", **options: Any) -> list[str]:
    """Our findings as vulture-style report lines."""
    return sorted(f"{f.path}:{f.line}: {f.message}" for f in findings(files, root, **options))


def vulture_reports(
    files: Mapping[str, str], ignore_names: Iterable[str] = (),
    ignore_decorators: Iterable[str] = (), min_confidence: int = 0,
) -> list[str]:
    """What vulture 2.16 reports for the same files (scanned as ``/virtual/<path>``)."""
    scanner = vulture.Vulture(
        ignore_names=list(ignore_names), ignore_decorators=list(ignore_decorators)
    )
    for path, text in files.items():
        if path.endswith(".py"):
            scanner.scan(text, filename=VIRTUAL / path)
    for name in sorted({item.name for item in scanner.defined_imports}):
        try:
            data = pkgutil.get_data("vulture", f"whitelists/{name}_whitelist.py")
        except OSError:
            continue
        assert data is not None
        scanner.scan(data.decode("utf-8"), filename=Path("whitelists") / f"{name}_whitelist.py")
    prefix = f"{VIRTUAL}/"
    return sorted(
        item.get_report().removeprefix(prefix)
        for item in scanner.get_unused_code(min_confidence=min_confidence)
    )


def agree(files: Mapping[str, str], expected: list[str], **options: Any) -> None:
    """Vulture reports ``expected`` and so do we (smart ignores off, as vulture has none)."""
    vulture_options = {
        "ignore_names": options.get("ignore_names", ()),
        "ignore_decorators": options.get("ignore_decorators", ()),
        "min_confidence": options.get("min_confidence", 0),
    }
    assert vulture_reports(files, **vulture_options) == sorted(expected)
    assert reports(files, smart_ignores=False, **options) == sorted(expected)
