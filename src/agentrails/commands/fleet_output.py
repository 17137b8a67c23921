"""The fleet report as JSON (``agentrails/github/fleet/fleet.schema.json`` describes it) and as
GitHub-flavoured Markdown for a job summary, with a Mermaid pie of the releases in use.

Everything a repository's files decide (its ``_commit``, GitHub's error messages) is escaped
before it goes into a table cell, so no answers file can break or inject into the summary.
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from typing import Any

from agentrails.github.fleet.checks import DRIFTED, RED
from agentrails.github.fleet.survey import Fleet, RepoStatus
from agentrails.report import charts

FORMAT_VERSION = 1
UNKNOWN = "unknown"
NAMED = 5  # a note names up to this many repositories, then counts them
_SPECIAL = re.compile(r"[|\\`*_\[\]<>#!~]")
_URL_SAFE = "/:?=&%#@+,;~.-_"


def counts(fleet: Fleet) -> dict[str, Any]:
    """The figures of the summary."""
    repos = fleet.repositories
    releases = Counter(status.release or UNKNOWN for status in repos)
    return {
        "repositories": len(repos),
        "releases": dict(sorted(releases.items(), key=lambda pair: (-pair[1], pair[0]))),
        "update_pulls_open": sum(status.update_pull is not None for status in repos),
        "red_gates": sum(status.gate in RED for status in repos),
        "drifted": sum(status.drift is not None and status.drift.state == DRIFTED
                       for status in repos),
        "with_problems": sum(bool(status.problems) for status in repos),
    }


def _repository(status: RepoStatus) -> dict[str, Any]:
    pull = status.update_pull
    return {
        "repository": status.repository,
        "url": status.url,
        "default_branch": status.default_branch,
        "release": status.release,
        "update_pull": None if pull is None else {
            "number": pull.number, "branch": pull.branch, "url": pull.url,
            "source": pull.source},
        "gate": status.gate,
        "rulesets": None if status.drift is None else {
            "state": status.drift.state, "differs": list(status.drift.differs),
            "notes": list(status.drift.notes)},
        "problems": list(status.problems),
    }


def as_json(fleet: Fleet) -> dict[str, Any]:
    """The report as one JSON document."""
    return {
        "version": FORMAT_VERSION,
        "owner": fleet.owner,
        "template": fleet.template,
        "topic": fleet.topic,
        "scanned": fleet.scanned,
        "archived_skipped": fleet.archived,
        "summary": counts(fleet),
        "repositories": [_repository(status) for status in fleet.repositories],
    }


def cell(text: str) -> str:
    """``text`` made safe for one Markdown table cell: one line, Markdown escaped."""
    flat = " ".join(text.split())
    return _SPECIAL.sub(lambda found: "\\" + found.group(0), flat)


def link(text: str, url: str) -> str:
    """A Markdown link to an https ``url`` (characters that would end it quoted), or the text
    alone for anything else."""
    if not url.startswith("https://"):
        return text
    return f"[{text}]({urllib.parse.quote(url, safe=_URL_SAFE)})"


def _pull(status: RepoStatus) -> str:
    pull = status.update_pull
    if pull is None:
        return "-" if status.release is not None else ""
    return f"{link(f'#{pull.number}', pull.url)} {pull.source}"


def _gate(status: RepoStatus) -> str:
    if status.gate is None:
        return ""
    return f"**{cell(status.gate)}**" if status.gate in RED else cell(status.gate)


def _rulesets(status: RepoStatus) -> str:
    drift = status.drift
    if drift is None:
        return ""
    if drift.state != DRIFTED:
        return drift.state
    return "**drifted**: " + cell(", ".join(drift.differs))


def _row(status: RepoStatus) -> str:
    cells = [link(cell(status.repository), status.url), cell(status.release or UNKNOWN),
             _pull(status), _gate(status), _rulesets(status), cell("; ".join(status.problems))]
    return "| " + " | ".join(cells) + " |"


def _headline(fleet: Fleet, figures: dict[str, Any]) -> list[str]:
    scope = f" with the topic `{cell(fleet.topic)}`" if fleet.topic else ""
    archived = f", {fleet.archived} archived ones skipped" if fleet.archived else ""
    return [
        f"## Template fleet of {cell(fleet.owner)}", "",
        f"{figures['repositories']} of {fleet.scanned} repositories{scope} come from "
        f"{cell(fleet.template)}{archived}.", "",
        f"- update pull requests open: {figures['update_pulls_open']}",
        f"- red `gate` on the default branch: {figures['red_gates']}",
        f"- rulesets drifted from `.github/rulesets`: {figures['drifted']}",
        f"- repositories with problems: {figures['with_problems']}", "",
    ]


def as_markdown(fleet: Fleet) -> str:
    """The report for ``$GITHUB_STEP_SUMMARY``: figures, a pie of releases, one row each."""
    figures = counts(fleet)
    lines = _headline(fleet, figures)
    chart = charts.pie("Template releases in use", list(figures["releases"].items()))
    if chart is not None:
        lines += [chart]
    if not fleet.repositories:
        return "\n".join([*lines, "No repository of this owner comes from the template.", ""])
    lines += ["| Repository | Release | Update pull request | Gate | Rulesets | Problems |",
              "| --- | --- | --- | --- | --- | --- |"]
    lines += [_row(status) for status in fleet.repositories]
    return "\n".join(lines + _notes(fleet)) + "\n"


def _notes(fleet: Fleet) -> list[str]:
    """The notes of the ruleset comparisons, each once with the repositories it concerns."""
    where: dict[str, list[str]] = {}
    for status in fleet.repositories:
        for note in status.drift.notes if status.drift is not None else ():
            where.setdefault(note, []).append(status.repository)
    if not where:
        return []
    lines = ["", "### Notes on the rulesets", ""]
    for note, names in where.items():
        named = ", ".join(names) if len(names) <= NAMED else f"{len(names)} repositories"
        lines.append(f"- {cell(note)} ({cell(named)})")
    return lines
