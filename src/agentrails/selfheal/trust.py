"""Whether the agent may work on an issue: the first job of self-heal-agent.yml asks this
before any job that holds a secret starts.

The agent works on an issue only when both hold:

- **a trusted author**: the issue was written by this repository's own workflows (the
  ``github-actions[bot]`` account, which only a workflow's ``GITHUB_TOKEN`` here can write
  as) or by someone who may push (``admin`` or ``write``, which includes maintain). An
  outsider's issue is never handed to the agent, whoever labels it: a maintainer who wants
  it fixed opens an issue of their own that quotes it.
- **a trusted trigger**: the ``self-heal`` label was added by a person who may push (an
  ``issues`` event; triage is not enough), or the workflow was started by hand or by the
  intake (``workflow_dispatch``, which GitHub allows only to those with write access and to
  the repository's own ``GITHUB_TOKEN``).

And the issue must be open, carry the ``self-heal`` label and not be a pull request.
Permissions are asked of the API; the event's ``author_association`` is not trusted alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from agentrails.selfheal.issues import ACTIONS_BOT, WRITE_ROLES, Repository
from agentrails.selfheal.text import LABEL


@dataclass(frozen=True)
class Verdict:
    trusted: bool
    reason: str


def _login(user: Any) -> tuple[str, str]:
    if not isinstance(user, Mapping):
        return "", ""
    return str(user.get("login") or ""), str(user.get("type") or "")


def _may_push(repo: Repository, login: str) -> bool:
    return bool(login) and repo.permission(login) in WRITE_ROLES


def _author(repo: Repository, issue: Mapping[str, Any]) -> str | None:
    """Why the issue's author is not trusted, or None."""
    login, kind = _login(issue.get("user"))
    if login == ACTIONS_BOT and kind == "Bot":
        return None
    if kind == "User" and _may_push(repo, login):
        return None
    return f"the issue was opened by {login or 'an unknown account'}, who may not push here"


def _dispatcher(repo: Repository, event: Mapping[str, Any]) -> str | None:
    """Why the account that started the workflow by hand or by API is not trusted, or None."""
    sender, kind = _login(event.get("sender"))
    if (sender == ACTIONS_BOT and kind == "Bot") or _may_push(repo, sender):
        return None
    return f"the workflow was started by {sender or 'an unknown account'}"


def _trigger(repo: Repository, event_name: str, event: Mapping[str, Any]) -> str | None:
    """Why the event that started the run is not trusted, or None."""
    if event_name == "workflow_dispatch":
        return _dispatcher(repo, event)
    if event_name != "issues":
        return f"the {event_name or 'unknown'} event never starts the agent"
    sender, kind = _login(event.get("sender"))
    label = event.get("label") if isinstance(event.get("label"), Mapping) else {}
    if event.get("action") != "labeled" or label.get("name") != LABEL:
        return f"the event is not the {LABEL} label being added"
    if kind != "User" or not _may_push(repo, sender):
        return f"the {LABEL} label was added by {sender or 'an unknown account'}, who may not push"
    return None


def judge(repo: Repository, number: int, event_name: str,
          event: Mapping[str, Any]) -> Verdict:
    """May the agent work on issue ``number`` for this event?"""
    issue = repo.issue(number)
    if "pull_request" in issue:
        return Verdict(False, f"#{number} is a pull request")
    if issue.get("state") != "open":
        return Verdict(False, f"#{number} is not open")
    labels = {item.get("name") for item in issue.get("labels") or [] if isinstance(item, Mapping)}
    if LABEL not in labels:
        return Verdict(False, f"#{number} has no {LABEL} label")
    problem = _trigger(repo, event_name, event) or _author(repo, issue)
    if problem:
        return Verdict(False, problem)
    return Verdict(True, f"#{number} is trusted")
