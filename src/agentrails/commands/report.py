"""``agentrails report``: the health snapshot of the same run ``agentrails check`` makes."""

from __future__ import annotations

import argparse
import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentrails.commands.check import prepare
from agentrails.commands.common import EXIT_CLEAN, emit
from agentrails.engine.baseline.verdict import judge
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.errors import ConfigError, GitHubError, UsageError
from agentrails.report import build, delta, load
from agentrails.report.markdown import render


def self_heal_section(args: argparse.Namespace) -> dict[str, Any]:
    """The self-heal loop's counts, read from GitHub."""
    from agentrails.github.client import client_from_env
    from agentrails.github.repository import resolve_repo
    from agentrails.selfheal.issues import Repository
    from agentrails.selfheal.loop import counts

    repo = Repository(client_from_env(), resolve_repo(args.repo, os.environ, Path.cwd()))
    return counts(repo, datetime.now(UTC), args.self_heal_days)


def run(args: argparse.Namespace) -> int:
    """Run every configured rule, build the snapshot, compare, write it; exit 0, or 2 on a
    usage, configuration or ``--compare`` problem. Findings do not fail a report."""
    settings, selected = prepare(args.paths, config=args.config, no_cache=args.no_cache)
    previous = load(args.compare) if args.compare is not None else None
    result = run_check(
        settings, load_families(), selected, given=args.paths, use_cache=not args.no_cache,
        jobs=args.jobs,
    )
    verdict = judge(settings, result, all_rules(), selected=selected, given=args.paths)
    snapshot = build(result, settings, args.paths, verdict=verdict)
    if getattr(args, "self_heal", False):
        try:
            snapshot["self_heal"] = self_heal_section(args)
        except (ConfigError, GitHubError) as error:
            raise UsageError(f"--self-heal: {error}") from None
    if previous is not None:
        snapshot["delta"] = delta(previous, snapshot)
    if args.format == "json":
        text = json.dumps(snapshot, indent=2) + "\n"
    else:
        summaries = {code: rule.summary for code, rule in all_rules().items()}
        text = render(snapshot, summaries)
    emit(text, args.output)
    return EXIT_CLEAN
