"""A health snapshot as a JSON-ready dict, reading one back, and the delta of two."""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentrails import __version__
from agentrails.engine.baseline.verdict import Verdict
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.targets import select_targets
from agentrails.engine.findings import RunResult
from agentrails.report.measure import (
    RANKS,
    Suppressions,
    complexity_section,
    context_section,
    dead_code_section,
    findings_section,
    size_section,
)

SCHEMA = "agentrails.report/1"
LOOP_MEASURES = ("issues_opened", "from_ci", "from_production", "fix_prs_opened",
                 "fix_prs_merged", "median_hours_to_merged_fix")
"""The numbers of the self-heal section (``agentrails report --self-heal``)."""


class SnapshotError(Exception):
    """A file given to ``--compare`` that is not a report this version can read."""


def build(result: RunResult, settings: Settings, given: Iterable[Path] = (),
          verdict: Verdict | None = None) -> dict[str, Any]:
    """The snapshot of one check run over the ``given`` paths (default: the project). With
    a ``verdict``, findings are those it reports and the baselined ones are counted as debt."""
    facts = result.facts
    verdict = verdict or Verdict(errors=list(result.findings), files=result.files)
    targets = select_targets(settings.root, list(facts), list(given))
    silenced = Suppressions(facts, settings)
    return {
        "schema": SCHEMA,
        "agentrails": __version__,
        "generated": datetime.now(UTC).isoformat(timespec="seconds"),
        "files": result.files,
        "findings": findings_section(verdict.reported),
        "debt": debt_section(verdict),
        "size": size_section(facts, targets, settings, silenced),
        "complexity": complexity_section(facts, targets, settings, silenced),
        "dead_code": dead_code_section(result.findings),
        "context": context_section(facts, settings),
    }


def debt_section(verdict: Verdict) -> dict[str, Any]:
    """What the baseline holds back (by code), its stale entries, and warn-mode findings."""
    counts = Counter(finding.code for finding in verdict.baselined)
    return {
        "baseline": verdict.baseline,
        "baselined": sum(counts.values()),
        "by_code": dict(sorted(counts.items())),
        "stale": len(verdict.stale),
        "warnings": len(verdict.warnings),
    }


def measures(snapshot: Mapping[str, Any]) -> dict[str, float]:
    """Every number of a snapshot under a stable dotted name."""
    findings, size = snapshot["findings"], snapshot["size"]
    complexity, context = snapshot["complexity"], snapshot["context"] or {}
    found: dict[str, float] = {
        "files": snapshot["files"],
        "findings": findings["total"],
        **{f"findings.{code}": count for code, count in findings["by_code"].items()},
        "size.over": len(size["over"]),
        "size.near": len(size["near"]),
        "complexity.functions": complexity["functions"],
        "complexity.average": complexity["average"],
        **{f"complexity.rank.{letter}": complexity["by_rank"][letter] for letter in RANKS},
        "complexity.over_ceiling": complexity["over_ceiling"],
        "dead_code": snapshot["dead_code"]["total"],
    }
    debt = snapshot.get("debt")  # absent from reports written before 0.2.0
    if debt:
        found["debt.baselined"] = debt["baselined"]
        found.update({f"debt.{code}": count for code, count in debt["by_code"].items()})
        found["debt.stale"] = debt["stale"]
        found["debt.warnings"] = debt["warnings"]
    if context:
        found["context.lines"] = context["lines"]
        found["context.bytes"] = context["bytes"]
    loop = snapshot.get("self_heal")  # only with --self-heal
    if loop:
        found.update({f"self_heal.{name}": loop[name] for name in LOOP_MEASURES
                      if loop.get(name) is not None})
    return found


def delta(old: Mapping[str, Any], new: Mapping[str, Any]) -> dict[str, Any]:
    """Every measure before and now (absent counts as 0), and the files that crossed a cap."""
    before, after = measures(old), measures(new)
    rows = []
    for name in _ordered(before, after):
        was, now = before.get(name, 0), after.get(name, 0)
        change = now - was
        if isinstance(change, float):
            change = round(change, 2)
        rows.append({"measure": name, "old": was, "new": now, "change": change})
    old_over, new_over = over_cap(old), over_cap(new)
    return {
        "since": old.get("generated"),
        "measures": rows,
        "newly_over_cap": sorted(new_over - old_over),
        "back_under_cap": sorted(old_over - new_over),
    }


def over_cap(snapshot: Mapping[str, Any]) -> set[str]:
    """The paths of the files over their line cap."""
    return {str(entry["path"]) for entry in snapshot["size"]["over"]}


def _ordered(before: Mapping[str, float], after: Mapping[str, float]) -> list[str]:
    """Names in the order of the newer snapshot, then those only the older one had."""
    return list(after) + [name for name in before if name not in after]


def load(path: Path) -> dict[str, Any]:
    """A snapshot written by ``agentrails report --format json``, checked enough to compare."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise SnapshotError(f"cannot read {path}: {error.strerror or error}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise SnapshotError(f"{path} is not JSON: {error}") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise SnapshotError(f"{path} is not an agentrails report (no \"schema\": \"{SCHEMA}\")")
    try:
        numbers = measures(data)
        over_cap(data)
    except (KeyError, TypeError, AttributeError) as error:
        raise SnapshotError(f"{path} is an incomplete report: {error!r} is missing") from None
    bad = [name for name, value in numbers.items() if not _is_number(value)]
    if bad:
        raise SnapshotError(f"{path}: not a number: {', '.join(bad)}")
    return data


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
