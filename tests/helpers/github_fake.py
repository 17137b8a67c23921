"""The state of one repository on a fake GitHub: commits, branches, rulesets, classic
protection, check runs and commit statuses, answering in the shapes GitHub documents."""

from __future__ import annotations

import fnmatch
import hashlib
import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

GITHUB_ACTIONS = 15368
PR_DEFAULTS = {"allowed_merge_methods": ["merge", "squash", "rebase"], "required_reviewers": []}
UPGRADE = "Upgrade to GitHub Pro or make this repository public to enable this feature."


@dataclass
class FakeRepo:
    """One repository. ``rulesets_api``: ``yes``; ``missing`` (404, a server without
    rulesets); ``plan`` (403, a private repository on a plan without protection)."""

    owner: str = "acme"
    name: str = "shop"
    default_branch: str = "main"
    rulesets_api: str = "yes"
    actor_app_id: int | None = None  # the App the token belongs to (for bypass actors)
    parents: dict[str, list[str]] = field(default_factory=dict)
    branches: dict[str, str] = field(default_factory=dict)
    rulesets: dict[int, dict[str, Any]] = field(default_factory=dict)
    classic: dict[str, dict[str, Any]] = field(default_factory=dict)
    check_runs: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    statuses: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    ids: itertools.count = field(default_factory=lambda: itertools.count(1))
    files: dict[str, str | bytes] = field(default_factory=dict)  # the default branch's
    pulls: list[dict[str, Any]] = field(default_factory=list)  # open pull requests
    topics: list[str] = field(default_factory=list)
    archived: bool = False
    bypass_visible: bool = True  # False: the token may not see bypass actors (read-only)
    # The self-heal loop: issues, comments, labels, who may push, dispatched workflows.
    issues: dict[int, dict[str, Any]] = field(default_factory=dict)
    comments: dict[int, list[dict[str, Any]]] = field(default_factory=dict)
    labels: dict[str, dict[str, Any]] = field(default_factory=dict)
    collaborators: dict[str, str] = field(default_factory=dict)  # login -> permission
    workflows: set[str] = field(default_factory=set)  # files under .github/workflows
    dispatched: list[dict[str, Any]] = field(default_factory=list)  # workflow_dispatch bodies
    dispatches: list[dict[str, Any]] = field(default_factory=list)  # repository_dispatch
    token_user: tuple[str, str] = ("github-actions[bot]", "Bot")  # who the token writes as
    git_dir: str | None = None  # a bare repository whose branches pull requests may name
    clock: Callable[[], datetime] = field(default=lambda: datetime.now(UTC), repr=False)
    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def full_name(self) -> str:
        return f"{self.owner}/{self.name}"

    # -- history -------------------------------------------------------------------------
    def commit(self, *parents: str) -> str:
        """A new commit on top of ``parents``; its SHA."""
        sha = hashlib.sha1(f"commit {next(self.ids)}".encode(), usedforsecurity=False).hexdigest()
        self.parents[sha] = list(parents)
        return sha

    def ancestors(self, sha: str) -> set[str]:
        seen, todo = set(), [sha]
        while todo:
            current = todo.pop()
            if current not in seen:
                seen.add(current)
                todo.extend(self.parents.get(current, []))
        return seen

    def resolve(self, ref: str) -> str | None:
        """A branch name, a full SHA or a unique SHA prefix, as a full SHA."""
        if ref in self.branches:
            return self.branches[ref]
        found = [sha for sha in self.parents if sha.startswith(ref.lower())]
        return found[0] if len(ref) >= 4 and len(found) == 1 else None

    def compare(self, base: str, head: str) -> dict[str, Any]:
        """What ``GET .../compare/{base}...{head}`` says, in its essentials."""
        before, after = self.ancestors(base), self.ancestors(head)
        ahead, behind = len(after - before), len(before - after)
        if base == head:
            status = "identical"
        elif behind == 0:
            status = "ahead"
        elif ahead == 0:
            status = "behind"
        else:
            status = "diverged"
        common = before & after
        merge_base = max(common, key=lambda sha: len(self.ancestors(sha))) if common else base
        return {"status": status, "ahead_by": ahead, "behind_by": behind,
                "total_commits": ahead, "merge_base_commit": {"sha": merge_base},
                "base_commit": {"sha": base}, "commits": [], "files": []}

    def open_pull(self, branch: str, title: str = "", labels: tuple[str, ...] = ()) -> int:
        """An open pull request from ``branch`` into the default branch; its number."""
        number = len(self.pulls) + 1
        self.pulls.append({"number": number, "head": branch, "title": title or branch,
                           "labels": list(labels)})
        return number

    # -- checks --------------------------------------------------------------------------
    def add_run(self, sha: str, name: str = "gate", status: str = "completed",
                conclusion: str | None = "success", app_id: int = GITHUB_ACTIONS) -> None:
        run_id = next(self.ids)
        self.check_runs.setdefault(sha, []).append({
            "id": run_id, "name": name, "head_sha": sha, "status": status,
            "conclusion": conclusion if status == "completed" else None,
            "app": {"id": app_id, "slug": f"app-{app_id}", "name": f"App {app_id}"},
        })

    def add_status(self, sha: str, context: str, state: str) -> None:
        self.statuses.setdefault(sha, []).append(
            {"id": next(self.ids), "context": context, "state": state})

    def latest_statuses(self, sha: str) -> list[dict[str, Any]]:
        latest: dict[str, dict[str, Any]] = {}
        for item in self.statuses.get(sha, []):
            latest[item["context"]] = item
        return list(latest.values())

    # -- rulesets ------------------------------------------------------------------------
    def ruleset(self, ruleset_id: int, base_url: str) -> dict[str, Any]:
        """A ruleset as ``GET .../rulesets/{id}`` shows it: with defaults filled in."""
        body = self.rulesets[ruleset_id]
        rules = []
        for rule in body.get("rules", []):
            rule = {**rule}
            if rule["type"] == "pull_request":
                rule["parameters"] = {**PR_DEFAULTS, **rule["parameters"]}
            if rule["type"] == "required_status_checks":
                rule["parameters"] = {"do_not_enforce_on_create": False, **rule["parameters"]}
            rules.append(rule)
        conditions = body.get("conditions") or {"ref_name": {"include": [], "exclude": []}}
        shown = {**self.summary(ruleset_id, base_url), "conditions": conditions,
                 "bypass_actors": body.get("bypass_actors", []), "rules": rules,
                 "current_user_can_bypass": "never"}
        if not self.bypass_visible:  # GitHub shows them only with write access to rulesets
            del shown["bypass_actors"]
        return shown

    def summary(self, ruleset_id: int, base_url: str) -> dict[str, Any]:
        """A ruleset as the list shows it (no rules or conditions)."""
        body = self.rulesets[ruleset_id]
        link = f"{base_url}/repos/{self.full_name}/rulesets/{ruleset_id}"
        return {"id": ruleset_id, "name": body["name"], "target": body.get("target", "branch"),
                "source_type": "Repository", "source": self.full_name,
                "enforcement": body["enforcement"], "node_id": f"RRS_{ruleset_id}",
                "_links": {"self": {"href": link}}, "created_at": "2025-01-01T00:00:00Z",
                "updated_at": "2025-01-01T00:00:00Z"}

    def applies(self, body: dict[str, Any], branch: str) -> bool:
        """Whether an active branch ruleset covers ``branch``."""
        if body.get("enforcement") != "active" or body.get("target", "branch") != "branch":
            return False
        ref_name = (body.get("conditions") or {}).get("ref_name", {})
        full = f"refs/heads/{branch}"

        def hit(pattern: str) -> bool:
            return (pattern == "~ALL" or fnmatch.fnmatchcase(full, pattern)
                    or (pattern == "~DEFAULT_BRANCH" and branch == self.default_branch))
        return (any(map(hit, ref_name.get("include", [])))
                and not any(map(hit, ref_name.get("exclude", []))))

    def rules_for(self, branch: str) -> list[dict[str, Any]]:
        """What ``GET .../rules/branches/{branch}`` lists."""
        return [{**rule, "ruleset_source_type": "Repository", "ruleset_source": self.full_name,
                 "ruleset_id": ruleset_id}
                for ruleset_id, body in sorted(self.rulesets.items())
                if self.applies(body, branch) for rule in body.get("rules", [])]

    # -- what a ref update must satisfy --------------------------------------------------
    def green(self, sha: str, context: str, app_id: int | None) -> bool:
        runs = [run for run in self.check_runs.get(sha, []) if run["name"] == context
                and (app_id is None or run["app"]["id"] == app_id)]
        if runs:
            latest = max(runs, key=lambda run: run["id"])
            return latest["conclusion"] in ("success", "neutral", "skipped")
        return app_id is None and any(item["context"] == context and item["state"] == "success"
                                      for item in self.latest_statuses(sha))

    def violations(self, branch: str, sha: str) -> list[str]:
        """Why the rulesets on ``branch`` refuse moving it to ``sha`` (GitHub's wording)."""
        return [problem for body in self.rulesets.values()
                if self.applies(body, branch) and not self.bypasses(body)
                for rule in body.get("rules", []) for problem in self.broken(rule, sha)]

    def bypasses(self, body: dict[str, Any]) -> bool:
        """Whether the token's App is a bypass actor of a ruleset."""
        return any(actor.get("actor_type") == "Integration"
                   and actor.get("actor_id") == self.actor_app_id
                   for actor in body.get("bypass_actors", []))

    def broken(self, rule: dict[str, Any], sha: str) -> list[str]:
        """How moving a branch to ``sha`` breaks one rule."""
        if rule["type"] == "update":
            return ["Cannot update this protected ref."]
        if rule["type"] != "required_status_checks":
            return []
        return [f'Required status check "{check["context"]}" is expected.'
                for check in rule["parameters"]["required_status_checks"]
                if not self.green(sha, check["context"], check.get("integration_id"))]
