"""``agentrails migration new SLUG``: start a dated migration plan as a draft."""

from __future__ import annotations

import argparse
import getpass
from datetime import date

from agentrails.checks.common.git import git
from agentrails.checks.common.naming import SLUG
from agentrails.checks.common.paths import dir_prefix
from agentrails.commands.common import EXIT_CLEAN, project_settings
from agentrails.commands.handoff import create_from_template
from agentrails.errors import UsageError

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
    if not SLUG.match(args.slug):
        raise UsageError(
            f"slug {args.slug!r} must be lowercase words joined by hyphens (split-orders)")
    settings = project_settings()
    today = date.today()
    prefix = dir_prefix(settings.families["migrations"]["dir"])
    relative = f"{prefix}{today:%Y-%m-%d}-{args.slug}.md"
    values = {"date": f"{today:%Y-%m-%d}", "slug": args.slug,
              "title": args.slug.replace("-", " ").capitalize(), "owner": owner(str(settings.root))}
    try:
        create_from_template(settings.root, relative, values=values, built_in=BUILT_IN)
    except FileExistsError:
        raise UsageError(f"{relative} already exists") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot create {relative}: {error}") from None
    print(relative)
    return EXIT_CLEAN
