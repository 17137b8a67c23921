"""``agentrails protect [--repo OWNER/NAME] [--dry-run] [--check]``: apply the rulesets of
``.github/rulesets/*.json`` to the repository on GitHub, idempotently, and report drift."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from agentrails.commands.common import EXIT_CLEAN, EXIT_FINDINGS, github_answers
from agentrails.errors import ConfigError
from agentrails.github.client import client_from_env
from agentrails.github.protection.plan import OK, Plan, make_plan
from agentrails.github.protection.rulesets import find_rulesets_dir, load_rulesets
from agentrails.github.repository import resolve_repo


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
        return EXIT_FINDINGS
    if args.dry_run:
        for change in pending:
            print(f"dry run: would {change.action} {change.label}")
        return EXIT_CLEAN
    for change in pending:
        if change.write is not None:
            print(change.write())
    print(f"wrote {len(pending)}, {total - len(pending)} already matched")
    return EXIT_CLEAN


def run(args: argparse.Namespace) -> int:
    """Plan, show, and apply or check: exit 0 when applied or clean, 1 on drift with
    ``--check``; a usage, configuration or API error is raised."""
    cwd = Path.cwd()
    folder = find_rulesets_dir(cwd)
    if folder is None:
        raise ConfigError("no .github/rulesets folder here or above; run this in the repository "
                          "whose rulesets you want applied")
    files = load_rulesets(folder)
    repo = resolve_repo(args.repo, os.environ, cwd)
    with github_answers():
        plan = make_plan(client_from_env(), repo, files)
        print(f"{repo}: {len(files)} ruleset file(s) from {folder} ({plan.mode})")
        show(plan)
        return finish(plan, args)
