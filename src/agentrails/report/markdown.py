"""A snapshot (and its delta) as GitHub-flavoured Markdown with Mermaid charts."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from agentrails.report import charts
from agentrails.report.measure import RANKS

RANK_RANGES = {"A": "1-5", "B": "6-10", "C": "11-20", "D": "21-30", "E": "31-40", "F": "41+"}
_BACKTICKS = re.compile(r"`+")


def code(text: str) -> str:
    """``text`` as an inline code span that is safe in a table cell."""
    text = text.replace("\n", "\\n").replace("|", "\\|")
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{ticks}{pad}{text}{pad}{ticks}"


def table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """A Markdown table."""
    lines = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _signed(value: float) -> str:
    return f"{value:+.2f}" if isinstance(value, float) else f"{value:+d}"


def render(snapshot: Mapping[str, Any], summaries: Mapping[str, str] | None = None) -> str:
    """The whole report; ``summaries`` maps rule codes to their one-line summaries."""
    findings = snapshot["findings"]
    parts = [
        "# agentrails health report\n",
        f"{snapshot['files']} files checked, {findings['total']} findings "
        f"(agentrails {snapshot['agentrails']}, {snapshot['generated']}).\n",
        _findings(findings, summaries or {}),
        _debt(snapshot.get("debt"), summaries or {}),
        _complexity(snapshot["complexity"]),
        _size(snapshot["size"]),
        _dead_code(snapshot["dead_code"]),
        _context(snapshot["context"]),
    ]
    if snapshot.get("self_heal"):
        parts.append(_self_heal(snapshot["self_heal"]))
    if "delta" in snapshot:
        parts.append(_delta(snapshot["delta"]))
    return "\n".join(parts)


def _debt(debt: Mapping[str, Any] | None, summaries: Mapping[str, str]) -> str:
    if not debt or debt["baseline"] is None:
        return "## Debt\n\nNo baseline: every finding above counts.\n"
    text = (f"## Debt\n\n{debt['baselined']} findings are accepted as debt in "
            f"{code(debt['baseline'])}; {debt['stale']} of its entries match nothing now "
            "(run `agentrails baseline --prune`).\n")
    if debt["by_code"]:
        rows = [(rule, summaries.get(rule, ""), count) for rule, count in debt["by_code"].items()]
        text += "\n" + table(["rule", "what", "baselined"], rows)
    return text


def _findings(findings: Mapping[str, Any], summaries: Mapping[str, str]) -> str:
    by_code = findings["by_code"]
    if not by_code:
        return "## Findings\n\nNone: every check passes.\n"
    rows = [(code, summaries.get(code, ""), count) for code, count in by_code.items()]
    chart = charts.bars("Findings by rule", list(by_code), [("bar", list(by_code.values()))],
                        "findings")
    return "## Findings\n\n" + table(("rule", "what", "findings"), rows) + "\n" + (chart or "")


def _complexity(section: Mapping[str, Any]) -> str:
    by_rank = section["by_rank"]
    text = (
        f"## Complexity\n\n{section['functions']} functions, mean cyclomatic complexity "
        f"{section['average']}; {section['over_ceiling']} above the ceiling of "
        f"{section['ceiling']}.\n"
    )
    slices = [(f"{letter} ({RANK_RANGES[letter]})", by_rank[letter]) for letter in RANKS]
    chart = charts.pie("Functions by complexity rank", slices)
    if chart:
        text += "\n" + chart
    worst = section["most_complex"]
    if worst:
        rows = [(f["complexity"], f["rank"], code(f["name"]), code(f"{f['path']}:{f['line']}"))
                for f in worst]
        text += "\nMost complex functions:\n\n" + table(
            ("complexity", "rank", "function", "where"), rows)
    return text


def _size(section: Mapping[str, Any]) -> str:
    text = f"## File length\n\n{len(section['over'])} files over their line cap, "
    text += f"{len(section['near'])} at {round(section['near_ratio'] * 100)}% of it or more.\n"
    entries = section["over"] + section["near"]
    if entries:
        rows = [(code(e["path"]), e["lines"], e["cap"], f"{round(100 * e['lines'] / e['cap'])}%")
                for e in entries]
        text += "\n" + table(("file", "lines", "cap", "used"), rows)
    return text


def _dead_code(section: Mapping[str, Any]) -> str:
    counts = ", ".join(f"{code} {count}" for code, count in section["by_code"].items())
    return f"## Dead code\n\n{section['total']} findings ({counts}).\n"


def _context(section: Mapping[str, Any] | None) -> str:
    if section is None:
        return "## Context budget\n\nNo canonical context file.\n"
    lines, size = section["lines"], section["bytes"]
    max_lines, max_bytes = section["max_lines"], section["max_bytes"]
    imported = len(section["files"]) - 1
    text = (
        f"## Context budget\n\n{code(section['canonical'])} with {imported} imported file(s): "
        f"{lines} of {max_lines} lines, {size} of {max_bytes} bytes.\n\n"
    )
    used = [round(100 * lines / max_lines), round(100 * size / max_bytes)]
    chart = charts.bars("Context budget used", ["lines", "bytes"], [("bar", used)], "percent")
    return text + (chart or "")


def _self_heal(loop: Mapping[str, Any]) -> str:
    """The self-heal loop over its window: issues in, fixes out, time to a merged fix."""
    median = loop["median_hours_to_merged_fix"]
    took = f"{median} hours" if median is not None else "no merged fix yet"
    rows = [("self-heal issues opened", loop["issues_opened"]),
            ("from red CI runs on staging", loop["from_ci"]),
            ("from production errors", loop["from_production"]),
            ("fix pull requests opened", loop["fix_prs_opened"]),
            ("fix pull requests merged", loop["fix_prs_merged"]),
            ("median time from error to merged fix", took)]
    return (f"## The self-heal loop\n\n{code(loop['repository'])}, the last {loop['days']} "
            f"days (since {loop['since']}).\n\n" + table(("measure", "value"), rows))


def _delta(delta: Mapping[str, Any]) -> str:
    rows = [(row["measure"], row["old"], row["new"], _signed(row["change"]))
            for row in delta["measures"] if row["change"] != 0]
    text = f"## Change since {delta.get('since') or 'the previous report'}\n\n"
    text += table(("measure", "before", "now", "change"), rows) if rows else "No change.\n"
    chart = _rank_change(delta["measures"])
    if chart:
        text += "\n" + chart
    for key, title in (("newly_over_cap", "Newly over their cap"),
                       ("back_under_cap", "Back under their cap")):
        if delta[key]:
            text += f"\n{title}: " + ", ".join(code(path) for path in delta[key]) + "\n"
    return text


def _rank_change(rows: Sequence[Mapping[str, Any]]) -> str | None:
    """Functions by rank now (bars) and before (a line), when any rank changed."""
    ranks = {row["measure"][-1]: row for row in rows
             if row["measure"].startswith("complexity.rank.")}
    if not any(row["change"] for row in ranks.values()):
        return None
    letters = [letter for letter in RANKS if letter in ranks]
    return charts.bars(
        "Functions by rank: now (bars) and before (line)", letters,
        [("bar", [ranks[r]["new"] for r in letters]), ("line", [ranks[r]["old"] for r in letters])],
        "functions")
