"""``agentrails protect [--repo OWNER/NAME] [--dry-run] [--check]``: apply the rulesets of
``.github/rulesets/*.json`` to the repository on GitHub, idempotently, and report drift."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentrails.github.client import client_from_env
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.protection.plan import OK, Plan, make_plan
from agentrails.github.protection.rulesets import find_rulesets_dir, load_rulesets
from agentrails.github.repository import resolve_repo

EXIT_CLEAN, EXIT_DRIFT, EXIT_USAGE = 0, 1, 2


def _indent(text: str) -> str:
    return "".join(f"    {line}" for line in text.splitlines(keepends=True))


def show(plan: Plan) -> None:
    """Every change with its drift, notes first."""
    for note in plan.notes:
        print(f"note: {note}")
    for change in plan.changes:
        print(f"  {change.action:<7} {change.label}")
        if change.action != OK and change.diff:
            print(_indent(change.diff), end="" if change.diff.endswith("\n") else "\n")


def finish(plan: Plan, args: argparse.Namespace) -> int:
    """Write what differs, or say what would be written (``--dry-run``) or what drifted
    (``--check``)."""
    pending = plan.pending
    total = len(plan.changes)
    if not pending:
        print(f"all {total} match .github/rulesets; nothing to write")
        return EXIT_CLEAN
    if args.check:
        print(f"drift: {len(pending)} of {total} differ from .github/rulesets "
              "(run `agentrails protect` to apply them)")
        return EXIT_DRIFT
    if args.dry_run:
        for change in pending:
            print(f"dry run: would {change.action} {change.label}")
        return EXIT_CLEAN
    for change in pending:
        if change.write is not None:
            print(change.write())
    print(f"wrote {len(pending)}, {total - len(pending)} already matched")
    return EXIT_CLEAN


def protect(args: argparse.Namespace) -> int:
    """Plan, show, and apply or check."""
    cwd = Path.cwd()
    folder = find_rulesets_dir(cwd)
    if folder is None:
        raise ConfigError("no .github/rulesets folder here or above; run this in the repository "
                          "whose rulesets you want applied")
    files = load_rulesets(folder)
    repo = resolve_repo(args.repo, os.environ, cwd)
    client = client_from_env()
    plan = make_plan(client, repo, files)
    print(f"{repo}: {len(files)} ruleset file(s) from {folder} ({plan.mode})")
    show(plan)
    return finish(plan, args)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when applied or clean, 1 on drift with ``--check``, 2 on a usage, configuration
    or API error."""
    try:
        return protect(args)
    except (ConfigError, GitHubError) as error:
        print(f"agentrails protect: {error}", file=sys.stderr)
    except (KeyError, TypeError, AttributeError) as error:
        print(f"agentrails protect: GitHub answered in a shape agentrails does not know "
              f"({type(error).__name__}: {error})", file=sys.stderr)
    return EXIT_USAGE
