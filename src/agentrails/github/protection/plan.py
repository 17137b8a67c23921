"""``protect``'s plan: what GitHub holds against what ``.github/rulesets/*.json`` asks for.

Rulesets are matched by name among the repository's own rulesets (not those inherited from
an organisation). A missing one is created, a drifted one updated with its whole body, a
matching one left alone, so a second run writes nothing. Where the repository has no rulesets
API, classic branch protection with the same intent is planned instead.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agentrails.github.client import GitHub
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.protection.classic import classic_from_github, classic_plan
from agentrails.github.protection.drift import addition, diff_text, project, withheld
from agentrails.github.protection.drift import ruleset_drift as drift_of
from agentrails.github.protection.rulesets import RulesetFile
from agentrails.github.repository import quote, repo_path

CREATE, UPDATE, OK = "create", "update", "ok"
PLAN_LIMITS = ("upgrade to github pro", "make this repository public")


@dataclass
class Change:
    """One ruleset or branch: what to do, the drift shown, and the write that does it."""

    label: str
    action: str
    diff: str = ""
    write: Callable[[], str] | None = field(default=None, repr=False)
    unseen: tuple[str, ...] = ()  # keys GitHub did not show this token, so not compared


@dataclass
class Plan:
    """Every change, how protection is applied (``rulesets`` or ``classic``), and notes."""

    mode: str
    changes: list[Change]
    notes: list[str] = field(default_factory=list)

    @property
    def pending(self) -> list[Change]:
        """The changes GitHub differs by: the drift ``protect --check`` reports (and the
        fleet view too), the writes ``protect`` makes."""
        return [change for change in self.changes if change.action != OK]


class RulesetsUnavailable(Exception):
    """The repository has no rulesets API (a plan or server without them)."""


def plan_limited(error: GitHubError) -> bool:
    """A 403 saying the repository's plan lacks the feature."""
    said = error.github_message.lower()
    return error.status == 403 and any(phrase in said for phrase in PLAN_LIMITS)


def _list_rulesets(client: GitHub, repo: str) -> list[dict[str, Any]]:
    try:
        listed = client.paginate(repo_path(repo, "rulesets"), {"includes_parents": "false"})
    except GitHubError as error:
        if plan_limited(error):
            raise RulesetsUnavailable(error.github_message) from None
        if error.status != 404:
            raise
        client.get(repo_path(repo))  # a 404 here: no such repository, said as such
        raise RulesetsUnavailable("GitHub has no rulesets API here (404)") from None
    return [item for item in listed if item.get("source_type", "Repository") == "Repository"]


def _ruleset_change(client: GitHub, repo: str, item: RulesetFile,
                    existing: dict[str, Any] | None) -> Change:
    label = f"ruleset {item.name}"
    if existing is None:
        def create() -> str:
            made = client.request("POST", repo_path(repo, "rulesets"), item.body,
                                  schema="ruleset").data
            return f"created {label} (id {made.get('id')})"
        return Change(label, CREATE, addition(item.body, str(item.path)), create)
    path = repo_path(repo, "rulesets", str(existing["id"]))
    actual = client.get(path)
    diff = drift_of(actual, item.body, f"github: {label} (id {existing['id']})",
                    str(item.path))

    def update() -> str:
        client.request("PUT", path, item.body, schema="ruleset")
        return f"updated {label} (id {existing['id']})"
    return Change(label, UPDATE if diff else OK, diff, update if diff else None,
                  tuple(withheld(actual, item.body)))


def plan_rulesets(client: GitHub, repo: str, files: list[RulesetFile]) -> Plan:
    """Create, update or keep each ruleset; ``RulesetsUnavailable`` if there are none here."""
    by_name = {item["name"]: item for item in _list_rulesets(client, repo)}
    changes = [_ruleset_change(client, repo, item, by_name.get(item.name)) for item in files]
    wanted = {item.name for item in files}
    notes = [f"ruleset {name} (id {item['id']}) is on GitHub but not in .github/rulesets; "
             "left as it is" for name, item in sorted(by_name.items()) if name not in wanted]
    notes += [f"{change.label}: GitHub shows its {', '.join(change.unseen)} only to a token "
              "with write access to rulesets; not compared" for change in changes
              if change.unseen]
    return Plan("rulesets", changes, notes)


def _current_classic(client: GitHub, path: str, branch: str) -> dict[str, Any] | None:
    try:
        return classic_from_github(client.get(path))
    except GitHubError as error:
        said = error.github_message.lower()
        if error.status == 404 and "not protected" in said:
            return None
        if error.status == 404 and "branch not found" in said:
            raise ConfigError(f"branch {branch!r} does not exist on GitHub yet: push it, then "
                              "run agentrails protect again") from None
        if plan_limited(error):
            raise ConfigError("neither rulesets nor classic branch protection is available "
                              f"for this repository ({error.github_message}): a private "
                              "repository needs a paid plan for either, or make it public"
                              ) from None
        raise


def _classic_change(client: GitHub, repo: str, branch: str, body: dict[str, Any]) -> Change:
    label = f"branch protection of {branch}"
    path = repo_path(repo, "branches", quote(branch), "protection")
    current = _current_classic(client, path, branch)

    def put() -> str:
        client.request("PUT", path, body, schema="classic-protection")
        return f"{'protected' if current is None else 'updated the protection of'} {branch}"
    if current is None:
        return Change(label, CREATE, addition(body, "from .github/rulesets"), put)
    diff = diff_text(project(current, body), body, f"github: {label}", "from .github/rulesets")
    return Change(label, UPDATE if diff else OK, diff, put if diff else None)


def plan_classic(client: GitHub, repo: str, files: list[RulesetFile], reason: str) -> Plan:
    """Classic protection with the rulesets' intent, branch by branch."""
    default_branch = str(client.get(repo_path(repo)).get("default_branch") or "main")
    classic = classic_plan(files, default_branch)
    notes = [f"rulesets are not available for {repo} ({reason}); falling back to classic "
             "branch protection with the same intent", *classic.notes]
    changes = [_classic_change(client, repo, branch, body)
               for branch, body in sorted(classic.bodies.items())]
    return Plan("classic", changes, notes)


def make_plan(client: GitHub, repo: str, files: list[RulesetFile]) -> Plan:
    """The rulesets plan, or the classic one where rulesets are unavailable."""
    try:
        return plan_rulesets(client, repo, files)
    except RulesetsUnavailable as missing:
        return plan_classic(client, repo, files, str(missing))
