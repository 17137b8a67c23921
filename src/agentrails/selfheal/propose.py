"""After the agent: its commits become a pull request against staging, or the issue says
why not. This runs in a job of its own that holds the write permissions the agent's job
never had, and runs nothing the agent wrote.

A pull request is opened only when the agent's run succeeded, it committed something on
top of the base commit, and its commits touch no protected path (the agents family's
``protected`` globs, accepted migration plans) and at most ``max_files`` files. The branch
is always new (``self-heal/issue-N``, then ``-2``, ``-3``, ...), pushed without force; the
pull request targets the staging branch and is never merged here: a person reviews it, and
the staging ruleset requires the review and the ``gate`` check.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentrails.checks.common.paths import glob_set
from agentrails.engine.config.settings import Settings
from agentrails.hooks.protected import protection
from agentrails.sanitize import sanitize
from agentrails.selfheal import gitops, notify
from agentrails.selfheal.issues import Repository

BRANCH_PREFIX = "self-heal/issue-"
MAX_BRANCHES = 20
GATES = (".github/**", ".claude/**", ".codex/**", ".cursor/**", "**/agentrails.toml",
         "**/.agentrails.toml", "pyproject.toml", "uv.lock", "noxfile.py",
         ".pre-commit-config.yaml", ".copier-answers.yml", "CODEOWNERS", "docs/CODEOWNERS")
"""What a self-heal fix never changes, whatever the project protects besides: the
workflows, the agent settings, and every file that defines a gate (the checks' settings,
the dependencies, the nox sessions CI runs, the hooks). A fix that needs one is handed back."""


@dataclass(frozen=True)
class Proposal:
    """Where the agent's work is and where it goes."""

    issue: int
    base: str
    bundle_dir: Path | None
    agent_result: str
    run_url: str
    remote: str
    token: str
    server: str
    max_files: int = 20


@dataclass(frozen=True)
class Result:
    """``proposed`` (with the pull request's number), ``handed-back``, ``refused`` or
    ``failed``, and the words said on the issue."""

    action: str
    said: str
    pull: int | None = None


def _hand_back(repo: Repository, plan: Proposal, action: str, why: str) -> Result:
    said = (f"{why}\n\nNo pull request was opened: a person takes #{plan.issue} from here "
            f"(agent run: {plan.run_url}).\n")
    repo.comment(plan.issue, said)
    return Result(action, said)


def free_branch(repo: Repository, issue: int) -> str:
    """The first of ``self-heal/issue-N``, ``-2``, ... that does not exist yet."""
    for attempt in range(1, MAX_BRANCHES + 1):
        name = f"{BRANCH_PREFIX}{issue}" + (f"-{attempt}" if attempt > 1 else "")
        if not repo.branch_exists(name):
            return name
    raise gitops.GitError(f"{MAX_BRANCHES} self-heal branches for #{issue} exist already")


def _pull_body(plan: Proposal, subjects: list[str], files: list[str]) -> str:
    log = sanitize("\n".join(subjects), 5_000)
    listed = sanitize("\n".join(files), 5_000)
    return "\n".join([
        f"Proposed by the self-heal agent for #{plan.issue} (run: {plan.run_url}).",
        f"Fixes #{plan.issue}",
        "",
        "The agent's commits (their messages are its own words, not reviewed yet):",
        "",
        log.rstrip("\n"),
        "",
        "Files changed:",
        "",
        listed.rstrip("\n"),
        "",
        "Review it like any change by a contributor: the failing test comes first, the fix",
        "is small, and CI is green. The agent never merges; merging is yours.",
        "",
    ])


def _guarded(path: str, settings: Settings) -> bool:
    return glob_set(GATES).match(path.lower()) or protection(path, settings) is not None


def _refusal(files: list[str], settings: Settings, max_files: int) -> str | None:
    """Why these changed files cannot go into a pull request, or None."""
    protected = [path for path in files if _guarded(path, settings)]
    if protected:
        shown = ", ".join(f"`{sanitize(p, 300, fence=False).strip()}`" for p in protected[:10])
        return f"The agent's commits touch protected paths ({shown})."
    if len(files) > max_files:
        return (f"The agent's commits change {len(files)} files, more than the "
                f"{max_files} a self-heal fix may change.")
    return None


def propose(repo: Repository, plan: Proposal, cwd: Path, settings: Settings,
            warn: Callable[[str], None], env: Mapping[str, str]) -> Result:
    """Open the pull request for the agent's commits, or say on the issue why not."""
    if plan.agent_result != "success":
        return _hand_back(repo, plan, "failed",
                          f"The self-heal agent did not finish (its job ended: "
                          f"{plan.agent_result or 'unknown'}).")
    bundle = plan.bundle_dir / "fix.bundle" if plan.bundle_dir else None
    if bundle is None or not bundle.is_file():
        return _hand_back(repo, plan, "handed-back",
                          "The self-heal agent committed nothing: it handed the failure back "
                          "(its reasons are at the end of the run's log).")
    base = (plan.bundle_dir / "base").read_text(encoding="utf-8").strip()
    try:
        tip = gitops.fetch_bundle(cwd, bundle, base)
        files = gitops.changed_files(cwd, base, tip)
        subjects = gitops.commits(cwd, base, tip)
    except gitops.GitError as error:
        return _hand_back(repo, plan, "refused", f"The agent's commits cannot be used: {error}.")
    refusal = _refusal(files, settings, plan.max_files) if files else (
        "The agent's commits change no file.")
    if refusal:
        return _hand_back(repo, plan, "refused", refusal)
    branch = free_branch(repo, plan.issue)
    gitops.push(cwd, plan.remote, tip, branch, plan.token)
    title = f"Fix #{plan.issue}: self-heal proposal"
    pull = repo.create_pull(title, branch, plan.base, _pull_body(plan, subjects, files))
    number = int(pull["number"])
    said = (f"The self-heal agent proposes a fix in #{number} (branch `{branch}`, "
            f"{len(subjects)} commit(s), {len(files)} file(s)). It waits for a review.\n")
    repo.comment(plan.issue, said)
    notify.send(notify.fix_ready(repo.repo, plan.issue, number, plan.server), env, warn)
    return Result("proposed", said, number)


def agent_result(value: Any) -> str:
    """The agent job's result as the workflow passes it (``success``, ``failure``, ...)."""
    text = str(value or "").strip().lower()
    return text if text in ("success", "failure", "cancelled", "skipped") else "unknown"
