"""How well the loop works, counted from GitHub: self-heal issues opened, fix pull requests
opened and merged, and the median time from the error (its issue opening) to the merge of
its fix, over a window of days. ``agentrails report --self-heal`` adds this section.

A fix pull request is one from a ``self-heal/issue-N`` branch (the branches the loop
pushes); its issue is N. Issues are told apart by their marker: ``production-error`` ones
came from the error tracker, the rest from red CI runs on staging.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from agentrails.selfheal.issues import Repository, parse_time
from agentrails.selfheal.text import LABEL, PRODUCTION, read_marker

FIX_BRANCH = re.compile(r"^self-heal/issue-(?P<issue>[0-9]+)(?:-[0-9]+)?$")


def _in_window(item: Mapping[str, Any], start: datetime) -> bool:
    created = parse_time(item.get("created_at"))
    return created is not None and created >= start


def fix_issue(pull: Mapping[str, Any]) -> int | None:
    """The issue a pull request fixes, from its branch name; None if not a fix."""
    head = pull.get("head") if isinstance(pull.get("head"), Mapping) else {}
    found = FIX_BRANCH.match(str(head.get("ref") or ""))
    return int(found["issue"]) if found else None


def _fix_pulls(repo: Repository, start: datetime) -> list[Mapping[str, Any]]:
    """Fix pull requests opened since ``start`` (the list is newest first)."""
    return [pull for pull in repo.pulls_since(start) if fix_issue(pull) is not None]


def _hours_to_fix(issues: Mapping[int, Mapping[str, Any]],
                  merged: list[Mapping[str, Any]]) -> list[float]:
    """Hours from each issue's opening to the first merge of a fix for it."""
    first: dict[int, datetime] = {}
    for pull in merged:
        issue, when = fix_issue(pull), parse_time(pull.get("merged_at"))
        if issue is not None and when is not None and (issue not in first or when < first[issue]):
            first[issue] = when
    hours = []
    for issue, when in first.items():
        opened = parse_time((issues.get(issue) or {}).get("created_at"))
        if opened is not None and when >= opened:
            hours.append((when - opened).total_seconds() / 3600)
    return hours


def counts(repo: Repository, now: datetime, days: int) -> dict[str, Any]:
    """The loop's section of a health report."""
    start = now - timedelta(days=days)
    issues = {int(item["number"]): item for item in repo.issues(LABEL, "all", since=start)
              if _in_window(item, start)}
    production = sum(1 for item in issues.values()
                     if (read_marker(item.get("body")) or ("", ""))[0] == PRODUCTION)
    pulls = _fix_pulls(repo, start)
    merged = [pull for pull in pulls if pull.get("merged_at")]
    hours = _hours_to_fix(issues, merged)
    return {
        "repository": repo.repo,
        "days": days,
        "since": start.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "issues_opened": len(issues),
        "from_production": production,
        "from_ci": len(issues) - production,
        "fix_prs_opened": len(pulls),
        "fix_prs_merged": len(merged),
        "median_hours_to_merged_fix": round(statistics.median(hours), 2) if hours else None,
    }
