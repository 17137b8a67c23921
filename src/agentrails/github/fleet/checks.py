"""What the fleet view asks of one repository made from the template, each a few read-only
requests: an open update pull request, the latest ``gate`` conclusion on the default branch,
and whether its rulesets drifted from its own ``.github/rulesets/*.json``.

Update pull requests come from two places: the template-update workflow pushes
``template-update/<release>``; Renovate's copier manager pushes ``renovate/<template source,
sanitised>-…`` and labels it ``template-update`` (the template's ``.github/renovate.json``).
Drift is exactly ``agentrails protect --check``'s: the same plan (``make_plan``), its pending
changes, with the ruleset files read from the repository instead of a checkout.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from agentrails.github.client import GitHub
from agentrails.github.contents import list_folder, read_text
from agentrails.github.protection.plan import make_plan
from agentrails.github.protection.rulesets import (
    RULESETS_DIR,
    RulesetFile,
    parse_ruleset,
    unique_rulesets,
)
from agentrails.github.repository import quote, repo_path

WORKFLOW_BRANCH = "template-update/"
RENOVATE_BRANCH = "renovate/"
UPDATE_LABEL = "template-update"
GATE = "gate"
MISSING, PENDING = "missing", "pending"
RED = frozenset({"failure", "cancelled", "timed_out", "action_required", "startup_failure",
                 "stale"})
IN_SYNC, DRIFTED, NO_FILES = "in-sync", "drifted", "no-files"


@dataclass(frozen=True)
class UpdatePull:
    """An open pull request that updates the template."""

    number: int
    branch: str
    url: str
    source: str  # "renovate" or "template-update"


@dataclass(frozen=True)
class Drift:
    """``in-sync``, ``drifted`` (with what differs) or ``no-files``; and the notes of the
    plan (rulesets only on GitHub, keys GitHub did not show, the classic fallback)."""

    state: str
    differs: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


def _update_source(pull: dict[str, Any], template: str) -> str | None:
    head = (pull.get("head") or {}).get("ref") or ""
    if head.startswith(WORKFLOW_BRANCH):
        return "template-update"
    if not head.startswith(RENOVATE_BRANCH):
        return None
    labels = {str(label.get("name")) for label in pull.get("labels") or []
              if isinstance(label, dict)}
    return "renovate" if template.lower() in head.lower() or UPDATE_LABEL in labels else None


def update_pull(client: GitHub, repo: str, template: str) -> UpdatePull | None:
    """The newest open pull request that updates ``template`` (its repository name)."""
    found = []
    for pull in client.paginate(repo_path(repo, "pulls"), {"state": "open"}):
        source = _update_source(pull, template)
        if source is not None:
            found.append(UpdatePull(int(pull["number"]), str(pull["head"]["ref"]),
                                    str(pull.get("html_url") or ""), source))
    return max(found, key=lambda item: item.number, default=None)


def gate_state(client: GitHub, repo: str, branch: str, check: str = GATE) -> str:
    """The conclusion of the latest ``check`` run on ``branch`` (``success``, ``failure``,
    …), ``pending`` while it runs, ``missing`` when there is none."""
    runs = client.paginate(repo_path(repo, "commits", quote(branch), "check-runs"),
                           {"check_name": check, "filter": "latest"}, key="check_runs")
    mine = [run for run in runs if isinstance(run, dict) and run.get("name") == check]
    if not mine:
        return MISSING
    latest = max(mine, key=lambda run: run.get("id") or 0)
    if latest.get("status") != "completed":
        return PENDING
    return str(latest.get("conclusion") or MISSING)


def ruleset_files(client: GitHub, repo: str) -> list[RulesetFile]:
    """The repository's ``.github/rulesets/*.json``, each checked as ``protect`` checks a
    local one (``ConfigError`` names a bad file)."""
    folder = PurePosixPath(RULESETS_DIR.as_posix())
    names = sorted(str(item.get("name")) for item in list_folder(client, repo, str(folder))
                   if item.get("type") == "file" and str(item.get("name")).endswith(".json"))
    files = []
    for name in names:
        text = read_text(client, repo, str(folder / name))
        if text is not None:
            files.append(parse_ruleset(text, Path(folder / name)))
    return unique_rulesets(files)


def ruleset_drift(client: GitHub, repo: str) -> Drift:
    """What ``agentrails protect --check`` would report in a checkout of ``repo``."""
    files = ruleset_files(client, repo)
    if not files:
        return Drift(NO_FILES)
    plan = make_plan(client, repo, files)
    labels = tuple(change.label for change in plan.pending)
    return Drift(DRIFTED if labels else IN_SYNC, labels, tuple(plan.notes))
