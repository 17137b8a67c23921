"""The intake of production errors: one issue per error fingerprint, a repeat comments and
counts, and a storm opens at most a few issues an hour.

- **One issue per fingerprint.** An open issue labelled ``self-heal`` whose hidden marker
  names the fingerprint takes every repeat: its second line counts the occurrences, and a
  comment says when and where (at most ``comments_per_hour`` such comments an hour, after
  that the count alone goes up). A closed issue takes no repeats: the error came back after
  a fix, and a new issue says so.
- **A rate limit.** Before opening, the intake counts the production-error issues opened in
  the last hour (closed ones too); at ``issues_per_hour`` it opens none and says which
  fingerprint it held back. The tracker keeps the error; its next alert after the storm
  opens the issue.

The workflow runs one intake at a time (a concurrency group), so two dispatches never race
for the same fingerprint or the same slot of the hour.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from agentrails.github.errors import GitHubError
from agentrails.selfheal import notify
from agentrails.selfheal.incident import Incident
from agentrails.selfheal.issues import Repository, parse_time
from agentrails.selfheal.text import (
    LABEL,
    PRODUCTION,
    REPEAT,
    issue_body,
    issue_title,
    read_marker,
    repeat_comment,
    seen_of,
    with_seen,
)

HOUR = timedelta(hours=1)
LABEL_COLOR = "B60205"
LABEL_DESCRIPTION = "A failure for an agent to pick up (CI on staging, or production)"


@dataclass(frozen=True)
class Limits:
    """How many new issues an hour, and how many repeat comments an hour on one issue."""

    issues_per_hour: int = 3
    comments_per_hour: int = 4


@dataclass(frozen=True)
class Outcome:
    """What one dispatch did: ``opened``, ``repeat`` or ``rate-limited``."""

    action: str
    key: str
    issue: int | None = None
    detail: str = ""

    def line(self) -> str:
        where = f" #{self.issue}" if self.issue is not None else ""
        return f"{self.action}{where} (fingerprint {self.key}): {self.detail}"


def _created_since(item: Mapping[str, Any], start: datetime) -> bool:
    created = parse_time(item.get("created_at"))
    return created is not None and created >= start


def _number(item: Mapping[str, Any]) -> int:
    return int(item["number"])


def receive(repo: Repository, incident: Incident, limits: Limits, now: datetime) -> Outcome:
    """File one occurrence of ``incident``: comment on its open issue, or open one if the
    hour's limit allows."""
    repo.ensure_label(LABEL, LABEL_COLOR, LABEL_DESCRIPTION)
    mine = (PRODUCTION, incident.key)
    existing = [item for item in repo.issues(LABEL, "open")
                if read_marker(item.get("body")) == mine]
    if existing:
        return _repeat(repo, min(existing, key=_number), incident, limits, now)
    start = now - HOUR
    recent = [item for item in repo.issues(LABEL, "all", since=start)
              if _created_since(item, start)
              and (read_marker(item.get("body")) or ("", ""))[0] == PRODUCTION]
    if len(recent) >= limits.issues_per_hour:
        return Outcome("rate-limited", incident.key, None,
                       f"{len(recent)} production-error issues opened in the last hour, the "
                       f"limit is {limits.issues_per_hour}: held back")
    created = repo.create_issue(issue_title(incident), issue_body(incident, now), [LABEL])
    return Outcome("opened", incident.key, _number(created), "a new issue")


def _repeat(repo: Repository, issue: Mapping[str, Any], incident: Incident, limits: Limits,
            now: datetime) -> Outcome:
    number = _number(issue)
    body = str(issue.get("body") or "")
    seen = max(seen_of(body), 1) + 1
    repo.update_body(number, with_seen(body, seen, incident, now))
    start = now - HOUR
    said = [comment for comment in repo.comments(number, since=start)
            if read_marker(comment.get("body")) == (REPEAT, incident.key)
            and _created_since(comment, start)]
    if len(said) >= limits.comments_per_hour:
        return Outcome("repeat", incident.key, number,
                       f"occurrence {seen} counted; {len(said)} repeat comments in the last "
                       "hour already")
    repo.comment(number, repeat_comment(incident, seen, now))
    return Outcome("repeat", incident.key, number, f"occurrence {seen} counted and commented")


@dataclass(frozen=True)
class Announcement:
    """What follows a new issue: the agent workflow to start (on ``ref``), if any, and the
    environment that may hold the Slack webhook."""

    agent_workflow: str | None
    ref: str
    server: str
    env: Mapping[str, str]


def announce(repo: Repository, number: int, title: str, plan: Announcement,
             warn: Callable[[str], None]) -> list[str]:
    """Start the agent on issue ``number`` and notify the team; what was done, in words.
    A failure here is a warning: the issue exists either way."""
    done = []
    if plan.agent_workflow:
        try:
            repo.dispatch_workflow(plan.agent_workflow, plan.ref, {"issue": str(number)})
            done.append(f"started {plan.agent_workflow} on #{number}")
        except GitHubError as error:
            warn(f"could not start {plan.agent_workflow} for #{number}: {error}")
    message = notify.issue_opened(repo.repo, number, title, plan.server)
    if notify.send(message, plan.env, warn):
        done.append(f"notified the team of #{number}")
    return done
