"""``agentrails report``: the health snapshot of the same run ``agentrails check`` makes."""

from __future__ import annotations

import argparse
import json

from agentrails.commands.check import prepare
from agentrails.commands.common import EXIT_CLEAN, emit
from agentrails.engine.baseline.verdict import judge
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check
from agentrails.report import build, delta, load
from agentrails.report.markdown import render


def run(args: argparse.Namespace) -> int:
    """Run every configured rule, build the snapshot, compare, write it; exit 0, or 2 on a
    usage, configuration or ``--compare`` problem. Findings do not fail a report."""
    settings, selected = prepare(args.paths, config=args.config)
    previous = load(args.compare) if args.compare is not None else None
    result = run_check(
        settings, load_families(), selected, given=args.paths, use_cache=not args.no_cache,
        jobs=args.jobs,
    )
    verdict = judge(settings, result, all_rules(), selected=selected, given=args.paths)
    snapshot = build(result, settings, args.paths, verdict=verdict)
    if previous is not None:
        snapshot["delta"] = delta(previous, snapshot)
    if args.format == "json":
        text = json.dumps(snapshot, indent=2) + "\n"
    else:
        summaries = {code: rule.summary for code, rule in all_rules().items()}
        text = render(snapshot, summaries)
    emit(text, args.output)
    return EXIT_CLEAN
