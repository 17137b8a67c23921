"""``agentrails report``: the health snapshot of the same run ``agentrails check`` makes."""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentrails.commands.check import UsageError, emit, prepare
from agentrails.engine.baseline.verdict import judge
from agentrails.engine.config.settings import ConfigError
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.github.errors import ConfigError as GitHubConfigError
from agentrails.github.errors import GitHubError
from agentrails.report import SnapshotError, build, delta, load
from agentrails.report.markdown import render

EXIT_CLEAN, EXIT_USAGE = 0, 2


def self_heal_section(args: argparse.Namespace) -> dict[str, Any]:
    """The self-heal loop's counts, read from GitHub."""
    from agentrails.github.client import client_from_env
    from agentrails.github.repository import resolve_repo
    from agentrails.selfheal.issues import Repository
    from agentrails.selfheal.loop import counts

    repo = Repository(client_from_env(), resolve_repo(args.repo, os.environ, Path.cwd()))
    return counts(repo, datetime.now(UTC), args.self_heal_days)


def _error(message: str) -> int:
    print(f"agentrails: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Run every configured rule, build the snapshot, compare, write it; exit 0, or 2 on a
    usage, configuration or ``--compare`` problem. Findings do not fail a report."""
    as_check = argparse.Namespace(
        paths=args.paths, config=args.config, select=None, ignore=None, diff_base=None
    )
    try:
        settings, selected = prepare(as_check)
        previous = load(args.compare) if args.compare is not None else None
    except (UsageError, SnapshotError) as error:
        return _error(str(error))
    try:
        result = run_check(
            settings, load_families(), selected, args.paths, use_cache=not args.no_cache,
            jobs=args.jobs,
        )
        verdict = judge(settings, result, all_rules(), selected, args.paths)
    except ConfigError as error:
        return _error(str(error))
    snapshot = build(result, settings, args.paths, verdict)
    if getattr(args, "self_heal", False):
        try:
            snapshot["self_heal"] = self_heal_section(args)
        except (GitHubConfigError, GitHubError) as error:
            return _error(f"--self-heal: {error}")
    if previous is not None:
        snapshot["delta"] = delta(previous, snapshot)
    if args.format == "json":
        text = json.dumps(snapshot, indent=2) + "\n"
    else:
        summaries = {code: rule.summary for code, rule in all_rules().items()}
        text = render(snapshot, summaries)
    problem = emit(text, args.output)
    return _error(problem) if problem else EXIT_CLEAN
