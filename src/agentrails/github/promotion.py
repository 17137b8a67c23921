"""The one-way promotion: fast-forward production to a green commit of staging.

Every step reads before anything is written, and the one write is
``PATCH /repos/{owner}/{repo}/git/refs/heads/{production}`` with ``force: false``: GitHub
itself refuses it (422) unless it is a fast-forward, so even a production branch that moved
between the checks and the write is never rewound. Nothing here forces or deletes.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from agentrails.github.client import GitHub
from agentrails.github.errors import ConfigError, GitHubError, Refused
from agentrails.github.gate import required_checks, verdicts
from agentrails.github.repository import quote, repo_path

SHA_ARG = re.compile(r"^[0-9a-fA-F]{7,40}$")
ON_SOURCE = ("identical", "behind")  # compare SOURCE...SHA: SHA is SOURCE's head or behind it


@dataclass(frozen=True, slots=True, kw_only=True)
class Promotion:
    """What to promote: the repository, the two branches, the SHA asked for (or None)."""

    repo: str
    source: str
    target: str
    sha: str | None = None
    dry_run: bool = False


def short(sha: str) -> str:
    return sha[:12]


def branch_head(client: GitHub, repo: str, branch: str, *, hint: str = "") -> str:
    """The SHA a branch points at; ``ConfigError`` when there is no such branch."""
    try:
        data = client.get(repo_path(repo, "git", "ref", "heads", quote(branch)))
    except GitHubError as error:
        if error.status == 404:
            raise ConfigError(f"{repo} has no branch {branch!r}{hint}") from None
        raise
    return str(data["object"]["sha"])


def compare(client: GitHub, repo: str, *, base: str, head: str) -> dict:
    """GitHub's comparison of ``base...head`` (status, ahead_by, behind_by)."""
    path = repo_path(repo, "compare", f"{quote(base)}...{quote(head)}")
    return client.get(path, {"per_page": 1})


def resolve_sha(client: GitHub, plan: Promotion, source_head: str) -> str:
    """The full SHA to promote: the source's head, or the given SHA if it is on the source."""
    if plan.sha is None:
        return source_head
    if not SHA_ARG.match(plan.sha):
        raise ConfigError(f"--sha must be 7 to 40 hexadecimal digits, got {plan.sha!r}")
    try:
        sha = str(client.get(repo_path(plan.repo, "commits", plan.sha.lower()))["sha"])
    except GitHubError as error:
        if error.status in (404, 422):
            raise Refused(f"{plan.repo} has no commit {plan.sha}") from None
        raise
    status = compare(client, plan.repo, base=plan.source, head=sha)["status"]
    if status not in ON_SOURCE:
        raise Refused(f"{short(sha)} is not on {plan.source}: GitHub compares it as {status} "
                      f"of {plan.source}; only commits of {plan.source} are promoted")
    return sha


def fast_forward_problem(client: GitHub, plan: Promotion, sha: str) -> str | None:
    """None when moving the target to ``sha`` is a fast-forward; ``''`` when the target is
    already there; else why it is not a fast-forward."""
    result = compare(client, plan.repo, base=plan.target, head=sha)
    status, behind = result["status"], result.get("behind_by", 0)
    if status == "ahead":
        return None
    if status == "identical":
        return ""
    if status == "behind":
        return (f"not a fast-forward: {short(sha)} is {behind} commit(s) behind {plan.target}; "
                "promotion never moves it back")
    return (f"not a fast-forward: {plan.target} has {behind} commit(s) that {short(sha)} "
            f"lacks ({status})")


def gate_problems(client: GitHub, plan: Promotion, sha: str) -> list[str]:
    """Why the checks the target requires do not let ``sha`` in (empty: all green)."""
    required = required_checks(client, plan.repo, plan.target)
    if not required:
        return [f"{plan.target} requires no status checks, so nothing proves {short(sha)} green; "
                "apply the rulesets first (agentrails protect)"]
    return [f"required check {item}" for item in verdicts(client, plan.repo, sha, required=required)
            if not item.green]


def promote(client: GitHub, plan: Promotion, say: Callable[[str], None]) -> None:
    """Fast-forward ``plan.target`` to the SHA, or raise ``Refused`` saying why not."""
    source_head = branch_head(client, plan.repo, plan.source)
    target_head = branch_head(client, plan.repo, plan.target, hint=(
        f"; create it once at a green commit of {plan.source} "
        f"(git push origin SHA:refs/heads/{plan.target}), then promote"))
    sha = resolve_sha(client, plan, source_head)
    say(f"{plan.repo}: promoting {plan.source} {short(sha)} to {plan.target} "
        f"(now {short(target_head)})")
    forward = fast_forward_problem(client, plan, sha)
    if forward == "":
        say(f"{plan.target} is already at {short(sha)}; nothing to promote")
        return
    problems = ([forward] if forward else []) + gate_problems(client, plan, sha)
    if problems:
        raise Refused(f"refused: {plan.target} stays at {short(target_head)}",
                      details=tuple(problems))
    say(f"every required check is green on {short(sha)}, and it is a fast-forward")
    if plan.dry_run:
        say(f"dry run: would fast-forward {plan.target} {short(target_head)} -> {short(sha)}")
        return
    update_ref(client, plan, sha)
    say(f"promoted: {plan.target} {short(target_head)} -> {short(sha)}")


def update_ref(client: GitHub, plan: Promotion, sha: str) -> None:
    """The one write: ``PATCH`` the target's ref with ``force: false``."""
    path = repo_path(plan.repo, "git", "refs", "heads", quote(plan.target))
    try:
        client.request("PATCH", path, {"sha": sha, "force": False}, schema="ref-update")
    except GitHubError as error:
        if error.status == 422:
            raise Refused(f"refused by GitHub: {plan.target} was not moved",
                          details=(error.github_message or str(error),)) from None
        raise
