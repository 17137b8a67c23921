"""``agentrails baseline``: record today's findings as accepted debt, then only shrink it.

Without a baseline file it writes one with every current finding. With one, it prunes:
entries that match nothing are dropped and the values of the rest tighten to today's
(complexity 14 now 12 is recorded as 12), but a new finding is never added, so the file
only shrinks; ``--update`` rewrites it from today's findings on purpose.
"""

from __future__ import annotations

import argparse
import sys

from agentrails.commands.check import UsageError, prepare
from agentrails.engine.baseline.debt import fingerprints, match
from agentrails.engine.baseline.entries import BaselineError, Entry, read, write
from agentrails.engine.baseline.verdict import split_retired, target_path
from agentrails.engine.config.settings import ConfigError, Settings
from agentrails.engine.findings import RunResult
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE = 0, 1, 2


def _error(message: str) -> int:
    print(f"agentrails: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def run(args: argparse.Namespace) -> int:
    """Write, prune or update the baseline; exit 0 done, 1 when new findings were left out
    of a pruned baseline, 2 on a usage, configuration or baseline problem."""
    as_check = argparse.Namespace(
        paths=[], config=args.config, select=None, ignore=None, diff_base=None
    )
    try:
        settings, selected = prepare(as_check)
        result = run_check(settings, load_families(), selected, [],
                           use_cache=not args.no_cache, jobs=args.jobs)
        path = target_path(settings)
        if args.update or not path.exists():
            return _rewrite(settings, result, selected, args.update)
        return _prune(settings, result, selected)
    except (UsageError, ConfigError) as error:
        return _error(str(error))


def _rewrite(settings: Settings, result: RunResult, selected: frozenset[str],
             updating: bool) -> int:
    """Record every current finding; keep entries of rules this run did not check."""
    path = target_path(settings)
    kept: list[Entry] = []
    if path.exists():
        try:
            kept = [entry for entry in read(path) if entry.code not in selected]
        except BaselineError as error:
            print(f"agentrails: replacing an unusable baseline ({error})", file=sys.stderr)
    entries = fingerprints(result.findings, all_rules(), result.facts, str(settings.root))
    write(path, kept + entries)
    verb = "Updated" if updating else "Wrote"
    print(f"{verb} {path.name}: {_entries(len(kept) + len(entries))} "
          f"({len(result.findings)} current findings).")
    return EXIT_CLEAN


def _prune(settings: Settings, result: RunResult, selected: frozenset[str]) -> int:
    """Drop entries that match nothing and tighten the rest; never add a finding. An entry
    whose finding got worse stays as it was, so fixing the regression restores it."""
    path = target_path(settings)
    old = read(path)
    rules = all_rules()
    matched = match(result.findings, old, rules, result.facts, str(settings.root),
                    lambda entry: entry.code in selected)
    kept = [entry for entry in old if entry.code not in selected] + matched.outgrown
    entries = kept + fingerprints(matched.baselined, rules, result.facts, str(settings.root))
    write(path, entries)
    stale, retired = split_retired(matched.stale, rules, result)
    gone = f"{len(stale)} fixed" + (f", {len(retired)} retired by a rule's new analysis"
                                    if retired else "")
    print(f"Pruned {path.name}: {_entries(len(old))} before, {len(entries)} now ({gone}).")
    if matched.new:
        print(f"{len(matched.new)} current finding(s) are not in the baseline and were not "
              "added (it only shrinks): fix them, or record them on purpose with "
              "`agentrails baseline --update`.", file=sys.stderr)
        return EXIT_FINDINGS
    return EXIT_CLEAN


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"
