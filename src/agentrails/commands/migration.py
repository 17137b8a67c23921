"""``agentrails migration new SLUG``: start a dated migration plan as a draft."""

from __future__ import annotations

import argparse
import getpass
from datetime import date

from agentrails.checks.common.git import git
from agentrails.commands.common import EXIT_CLEAN
from agentrails.commands.dated import create, placed

BUILT_IN = """---
status: draft
owner: {owner}
---

# {title}

## Context

Why the change is needed and what it touches.

## Plan

The steps, in order, each small enough to review and to roll back.

## Rollback

How to undo each step.

<!-- Each adversarial review adds a "## Review pass N" section with a table:
| Severity | Finding | Status |   (Critical, High, Medium, Low; open or resolved)
Code starts when two passes are done and no Critical or High finding is open. -->
"""


def owner(root: str) -> str:
    """Who owns a new plan: git's user.name, else the login name."""
    name = (git(root, "config", "user.name") or "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unassigned"


def run(args: argparse.Namespace) -> int:
    """Create ``migrations/YYYY-MM-DD-SLUG.md`` with ``status: draft``."""
    today = date.today()
    settings, relative = placed(args.slug, example="split-orders", family="migrations",
                                stamp=f"{today:%Y-%m-%d}")
    values = {"date": f"{today:%Y-%m-%d}", "slug": args.slug,
              "title": args.slug.replace("-", " ").capitalize(), "owner": owner(str(settings.root))}
    create(settings.root, relative, values=values, built_in=BUILT_IN)
    print(relative)
    return EXIT_CLEAN
