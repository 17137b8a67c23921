"""The promotion gate: which checks a branch requires, and whether each is green on a SHA.

Required checks come from the rules that apply to the branch (``GET .../rules/branches/{b}``,
rulesets of the repository and its organisation) and from classic branch protection (the
``protection`` of ``GET .../branches/{b}``, readable with contents access). A check with an
``integration_id`` is met only by a check run of that App. Each required check must be
*green*: its latest check run completed with ``success``, and its commit status (when it has
one) ``success``. Anything else refuses: missing, queued or in progress, failure, cancelled,
timed out, action required, neutral, skipped, stale; an ``error`` or ``pending`` status.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from agentrails.github.client import GitHub
from agentrails.github.errors import GitHubError
from agentrails.github.repository import quote, repo_path

GREEN, PENDING, FAILED, MISSING = "green", "pending", "failed", "missing"
SEVERITY = {FAILED: 0, MISSING: 0, PENDING: 1, GREEN: 2}


@dataclass(frozen=True, slots=True, kw_only=True)
class RequiredCheck:
    """A check a branch requires; ``app_id`` None means any source may report it."""

    context: str
    app_id: int | None = None

    def __str__(self) -> str:
        return self.context if self.app_id is None else f"{self.context} (app {self.app_id})"


@dataclass(frozen=True, slots=True, kw_only=True)
class Verdict:
    """What one required check says about a SHA."""

    check: RequiredCheck
    state: str
    detail: str

    @property
    def green(self) -> bool:
        return self.state == GREEN

    def __str__(self) -> str:
        return f"{self.check}: {self.state} ({self.detail})"


def _app(value: Any) -> int | None:
    """An App id, with GitHub's ``-1`` ("any source") and null read as None."""
    return value if isinstance(value, int) and not isinstance(value, bool) and value > 0 else None


def _from_rules(client: GitHub, repo: str, branch: str) -> list[RequiredCheck]:
    try:
        rules = client.paginate(repo_path(repo, "rules", "branches", quote(branch)))
    except GitHubError as error:
        if error.status in (403, 404):  # no rulesets on this plan or server
            return []
        raise
    return [RequiredCheck(context=str(check["context"]), app_id=_app(check.get("integration_id")))
            for rule in rules if rule.get("type") == "required_status_checks"
            for check in (rule.get("parameters") or {}).get("required_status_checks", [])]


def _from_classic(client: GitHub, repo: str, branch: str) -> list[RequiredCheck]:
    data = client.get(repo_path(repo, "branches", quote(branch)))
    protection = data.get("protection") if isinstance(data, dict) else None
    checks = (protection or {}).get("required_status_checks") or {}
    if checks.get("enforcement_level") == "off":
        return []
    if checks.get("checks"):
        return [RequiredCheck(context=str(item["context"]), app_id=_app(item.get("app_id")))
                for item in checks["checks"]]
    return [RequiredCheck(context=str(context)) for context in checks.get("contexts") or []]


def required_checks(client: GitHub, repo: str, branch: str) -> list[RequiredCheck]:
    """Every check ``branch`` requires, from its rules and its classic protection."""
    found = _from_rules(client, repo, branch) + _from_classic(client, repo, branch)
    return list(dict.fromkeys(found))


def _run_state(run: dict[str, Any]) -> tuple[str, str]:
    status = run.get("status")
    if status != "completed":
        return PENDING, f"its check run is {status}"
    conclusion = run.get("conclusion")
    if conclusion == "success":
        return GREEN, "its check run succeeded"
    return FAILED, f"its check run concluded {conclusion}"


def _status_state(status: dict[str, Any]) -> tuple[str, str]:
    state = status.get("state")
    if state == "success":
        return GREEN, "its commit status is success"
    if state == "pending":
        return PENDING, "its commit status is pending"
    return FAILED, f"its commit status is {state}"


def _missing(check: RequiredCheck, runs: list[dict[str, Any]]) -> str:
    if check.app_id is None:
        return f"no check run or commit status named {check.context!r}"
    others = sorted({str((run.get("app") or {}).get("id")) for run in runs
                     if run.get("name") == check.context})
    also = f"; runs of that name from app {', '.join(others)} do not count" if others else ""
    return f"no check run named {check.context!r} from app {check.app_id}{also}"


def _runs_of(check: RequiredCheck, runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The check runs that may satisfy ``check``: its name, and its App when it names one."""
    return [run for run in runs if run.get("name") == check.context
            and (check.app_id is None or (run.get("app") or {}).get("id") == check.app_id)]


def verdict(check: RequiredCheck, runs: list[dict[str, Any]],
            statuses: list[dict[str, Any]]) -> Verdict:
    """The state of one required check, given a SHA's check runs and combined statuses."""
    mine = _runs_of(check, runs)
    states = [_run_state(max(mine, key=lambda run: run.get("id") or 0))] if mine else []
    if check.app_id is None:
        states += [_status_state(item) for item in statuses if item.get("context") == check.context]
    if not states:
        return Verdict(check=check, state=MISSING, detail=_missing(check, runs))
    state, detail = min(states, key=lambda pair: SEVERITY[pair[0]])
    return Verdict(check=check, state=state, detail=detail)


def verdicts(client: GitHub, repo: str, sha: str,
             *, required: list[RequiredCheck]) -> list[Verdict]:
    """A verdict for every required check on ``sha``."""
    runs = client.paginate(repo_path(repo, "commits", sha, "check-runs"), {"filter": "all"},
                           key="check_runs")
    statuses = client.paginate(repo_path(repo, "commits", sha, "status"), key="statuses")
    return [verdict(check, runs, statuses) for check in required]
