"""Classic branch protection with the intent of the rulesets, for repositories without rulesets
(GitHub Enterprise Server releases older than rulesets answer 404 to the rulesets API).

One body of ``PUT /repos/{owner}/{repo}/branches/{branch}/protection`` per branch, merged from
every active branch ruleset that names it. What has no classic equivalent is reported, not
silently dropped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agentrails.github.protection.rulesets import HEADS, RulesetFile

Body = dict[str, Any]

UPDATE_NOTE = (
    "{name}: only the promotion identity may update {branch} (rule `update`): classic "
    "protection restricts pushers by App slug, and only in organisation repositories; set "
    "'Restrict who can push' in the branch's settings by hand")


def empty_body() -> Body:
    """Protection that requires nothing but binds administrators too."""
    return {
        "required_status_checks": None,
        "enforce_admins": True,
        "required_pull_request_reviews": None,
        "restrictions": None,
        "required_linear_history": False,
        "allow_force_pushes": True,
        "allow_deletions": True,
        "required_conversation_resolution": False,
    }


def _deletion(body: Body, _: Body) -> None:
    body["allow_deletions"] = False


def _non_fast_forward(body: Body, _: Body) -> None:
    body["allow_force_pushes"] = False


def _linear_history(body: Body, _: Body) -> None:
    body["required_linear_history"] = True


def _pull_request(body: Body, params: Body) -> None:
    reviews = body["required_pull_request_reviews"] or {
        "dismiss_stale_reviews": False, "require_code_owner_reviews": False,
        "required_approving_review_count": 0, "require_last_push_approval": False}
    reviews["dismiss_stale_reviews"] |= params["dismiss_stale_reviews_on_push"]
    reviews["require_code_owner_reviews"] |= params["require_code_owner_review"]
    reviews["require_last_push_approval"] |= params["require_last_push_approval"]
    reviews["required_approving_review_count"] = min(6, max(
        reviews["required_approving_review_count"], params["required_approving_review_count"]))
    body["required_pull_request_reviews"] = reviews
    body["required_conversation_resolution"] |= params["required_review_thread_resolution"]


def _status_checks(body: Body, params: Body) -> None:
    checks = body["required_status_checks"] or {"strict": False, "contexts": []}
    checks["strict"] |= params["strict_required_status_checks_policy"]
    wanted = {check["context"] for check in params["required_status_checks"]}
    checks["contexts"] = sorted(set(checks["contexts"]) | wanted)
    body["required_status_checks"] = checks


APPLY: dict[str, Callable[[Body, Body], None]] = {
    "deletion": _deletion,
    "non_fast_forward": _non_fast_forward,
    "required_linear_history": _linear_history,
    "pull_request": _pull_request,
    "required_status_checks": _status_checks,
}


@dataclass
class ClassicPlan:
    """The classic bodies by branch, and what could not be carried over."""

    bodies: dict[str, Body] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _branches(item: RulesetFile, default_branch: str, plan: ClassicPlan) -> list[str]:
    branches = []
    for ref in item.body["conditions"]["ref_name"]["include"]:
        if ref == "~DEFAULT_BRANCH":
            branches.append(default_branch)
        elif ref.startswith(HEADS) and not any(char in ref for char in "*?["):
            branches.append(ref[len(HEADS):])
        else:
            plan.notes.append(f"{item.name}: {ref} is a pattern; classic protection is set "
                              "per branch name here, so it is left out")
    return branches


def _add_rules(item: RulesetFile, branch: str, plan: ClassicPlan) -> None:
    body = plan.bodies.setdefault(branch, empty_body())
    for rule in item.body["rules"]:
        kind = rule["type"]
        if kind in APPLY:
            APPLY[kind](body, rule.get("parameters", {}))
        elif kind == "update":
            plan.notes.append(UPDATE_NOTE.format(name=item.name, branch=branch))
        else:
            plan.notes.append(f"{item.name}: rule `{kind}` has no classic equivalent here; "
                              "left out")


def classic_plan(files: list[RulesetFile], default_branch: str) -> ClassicPlan:
    """Classic protection bodies with the intent of the active branch rulesets."""
    plan = ClassicPlan()
    for item in files:
        if item.body["target"] != "branch" or item.body["enforcement"] != "active":
            plan.notes.append(f"{item.name}: not an active branch ruleset; left out")
            continue
        for branch in _branches(item, default_branch, plan):
            _add_rules(item, branch, plan)
    return plan


def _enabled(data: Body, key: str) -> bool:
    value = data.get(key)
    return bool(value.get("enabled")) if isinstance(value, dict) else bool(value)


def _reviews(data: Any) -> Body | None:
    if not isinstance(data, dict):
        return None
    return {
        "dismiss_stale_reviews": bool(data.get("dismiss_stale_reviews")),
        "require_code_owner_reviews": bool(data.get("require_code_owner_reviews")),
        "required_approving_review_count": int(data.get("required_approving_review_count") or 0),
        "require_last_push_approval": bool(data.get("require_last_push_approval")),
    }


def _restrictions(data: Any) -> Body | None:
    if not isinstance(data, dict):
        return None
    return {group: sorted(str(item.get(key, "")) for item in data.get(group) or [])
            for group, key in (("users", "login"), ("teams", "slug"), ("apps", "slug"))}


def classic_from_github(data: Body) -> Body:
    """GitHub's answer to ``GET .../branches/{branch}/protection`` in the shape of a PUT body."""
    checks = data.get("required_status_checks")
    body = empty_body()
    body.update({
        "required_status_checks": {"strict": bool(checks.get("strict")),
                                   "contexts": sorted(checks.get("contexts") or [])}
        if isinstance(checks, dict) else None,
        "required_pull_request_reviews": _reviews(data.get("required_pull_request_reviews")),
        "restrictions": _restrictions(data.get("restrictions")),
    })
    for key in ("enforce_admins", "required_linear_history", "allow_force_pushes",
                "allow_deletions", "required_conversation_resolution"):
        body[key] = _enabled(data, key)
    return body
