"""``agentrails baseline``: record today's findings as accepted debt, then only shrink it.

Without a baseline file it writes one with every current finding. With one, it prunes:
stale entries (their file was checked and the finding is gone) are dropped and the values
of the rest tighten to today's (complexity 14 now 12 is recorded as 12), but a new finding
is never added, so the file only shrinks. Entries whose file could not be checked (it does
not parse, cannot be read) are kept, and the command says why. Entries of renamed files
follow them. ``--update`` adds today's new findings on purpose and lists what it adds; on
the whole project it keeps the recorded value of a finding that got worse unless
``--accept-worse`` is given (naming paths asks for theirs). The baseline records the git
commit it was written at, so a later run can follow renames.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentrails.commands.check import prepare
from agentrails.commands.common import EXIT_CLEAN, EXIT_FINDINGS
from agentrails.engine.baseline.debt import Matched, fingerprints, match
from agentrails.engine.baseline.entries import Baseline, BaselineError, Entry, read, write
from agentrails.engine.baseline.renames import head_commit
from agentrails.engine.baseline.verdict import followed_renames, split_retired, target_path
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.targets import target_prefixes, within
from agentrails.engine.findings import RunResult
from agentrails.engine.output.formats import escaped, stale_text
from agentrails.engine.registry import all_rules, load_families
from agentrails.engine.run.runner import run_check

MAX_LISTED = 50


def run(args: argparse.Namespace) -> int:
    """Write, prune or update the baseline; exit 0 done, 1 when new or worse findings were
    left out of it, 2 on a usage, configuration or baseline problem."""
    paths: list[Path] = list(getattr(args, "paths", None) or [])
    settings, selected = prepare(paths, config=args.config, no_cache=args.no_cache)
    result = run_check(settings, load_families(), selected, given=paths,
                       use_cache=not args.no_cache, jobs=args.jobs)
    job = _Job(settings, result, selected=selected, paths=paths)
    if not os.path.lexists(job.path):
        return job.first()
    if args.update:
        return job.update(accept_worse=args.accept_worse or bool(paths))
    return job.prune()


class _Job:
    """One run of the command: the settings, the run's findings and the paths it covers."""

    def __init__(self, settings: Settings, result: RunResult, *, selected: frozenset[str],
                 paths: list[Path]):
        self.settings, self.result, self.selected = settings, result, selected
        self.root = str(settings.root)
        self.path = target_path(settings)
        self.prefixes = target_prefixes(settings.root, paths)
        self.rules = all_rules()

    def in_scope(self, entry: Entry) -> bool:
        """Entries this run can judge: a selected code, within the given paths."""
        return entry.code in self.selected and within(entry.path, self.prefixes)

    def first(self) -> int:
        """No baseline yet: record every current finding."""
        entries = fingerprints(self.result.findings, self.rules, facts=self.result.facts,
                               root=self.root)
        self._write(entries)
        print(f"Wrote {self.path.name}: {_entries(len(entries))} "
              f"({len(self.result.findings)} current findings).")
        return EXIT_CLEAN

    def matched(self, old: Baseline) -> Matched:
        return match(self.result.findings, old.entries, self.rules, facts=self.result.facts,
                     root=self.root, in_scope=self.in_scope,
                     renames=lambda: followed_renames(self.root, old.commit))

    def prune(self) -> int:
        """Drop stale entries and tighten the rest; never add a finding. An entry whose
        finding got worse, or whose file could not be checked, stays as it was."""
        old = read(self.path)
        matched = self.matched(old)
        entries = (self._kept(matched) + [_moved(e, f.path) for f, e in matched.worse]
                   + self._recorded([f for f, _ in matched.baselined]))
        self._write(entries)
        print(f"Pruned {self.path.name}: {_entries(len(old.entries))} before, {len(entries)} now "
              f"({self._gone(matched)}{_unknown_note(matched)}).")
        _explain(matched)
        left_out = len(matched.new) + len(matched.worse)
        if left_out:
            print(f"{left_out} current finding(s) are new or worse than their entry and were "
                  "not added (the baseline only shrinks): fix them, or record them on purpose "
                  "with `agentrails baseline --update`.", file=sys.stderr)
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def update(self, *, accept_worse: bool) -> int:
        """Record today's findings on purpose, listing what is added; a worse finding is
        accepted only when asked (``accept_worse``)."""
        try:
            old = read(self.path)
        except BaselineError as error:
            print(f"agentrails: replacing an unusable baseline ({error})", file=sys.stderr)
            old = Baseline([])
        matched = self.matched(old)
        accepted = [f for f, _ in matched.baselined] + matched.new
        refused = []
        if accept_worse:
            accepted += [f for f, _ in matched.worse]
        else:
            refused = [_moved(e, f.path) for f, e in matched.worse]
        kept = matched.outside + [entry for entry, _ in matched.unknown]
        entries = kept + refused + self._recorded(sorted(accepted))
        self._write(entries)
        _list_additions(matched, accept_worse=accept_worse)
        print(f"Updated {self.path.name}: {_entries(len(old.entries))} before, {len(entries)} "
              f"now ({len(matched.new)} new, {len(matched.worse) if accept_worse else 0} worse "
              f"accepted, {self._gone(matched)}{_unknown_note(matched)}).")
        _explain(matched)
        if refused:
            _list_refused(matched)
            return EXIT_FINDINGS
        return EXIT_CLEAN

    def _gone(self, matched: Matched) -> str:
        """``N fixed``, and how many entries a rule's new analysis retired (not fixed)."""
        stale, retired = split_retired(matched.stale, self.rules, self.result)
        if not retired:
            return f"{len(stale)} fixed"
        return f"{len(stale)} fixed, {len(retired)} retired by a rule's new analysis"

    def _kept(self, matched: Matched) -> list[Entry]:
        """Entries kept as they are: outside this run, outgrown, or not re-checked."""
        return matched.outside + matched.outgrown + [entry for entry, _ in matched.unknown]

    def _recorded(self, findings: list) -> list[Entry]:
        return fingerprints(findings, self.rules, facts=self.result.facts, root=self.root)

    def _write(self, entries: list[Entry]) -> None:
        write(self.path, entries, head_commit(self.root))


def _moved(entry: Entry, path: str) -> Entry:
    """``entry`` under the path its finding has now (a followed rename)."""
    return entry if entry.path == path else entry._replace(path=path)


def _unknown_note(matched: Matched) -> str:
    count = len(matched.unknown)
    return f", {_entries(count)} kept unverified" if count else ""


def _explain(matched: Matched) -> None:
    """Say why unverified entries were kept and which renamed files were followed."""
    for entry, reason in matched.unknown[:MAX_LISTED]:
        print(escaped(f"  kept, not re-checked: {stale_text(entry)}: {reason}"))
    if len(matched.unknown) > MAX_LISTED:
        print(f"  ... and {len(matched.unknown) - MAX_LISTED} more kept")
    for old, new in sorted(matched.moved.items()):
        print(escaped(f"  followed a rename: {old} -> {new}"))


def _list_additions(matched: Matched, *, accept_worse: bool) -> None:
    """What an update adds: new findings, and worse ones when accepted."""
    lines = [f"  + {f.code} {f.path}:{f.line} {_symbol(f.symbol)}(new)" for f in matched.new]
    if accept_worse:
        lines += [f"  + {f.code} {f.path}:{f.line} {_symbol(f.symbol)}(worse: "
                  f"{_value(e.value)} -> {f.value}, accepted)" for f, e in matched.worse]
    for line in lines[:MAX_LISTED]:
        print(escaped(line))
    if len(lines) > MAX_LISTED:
        print(f"  ... and {len(lines) - MAX_LISTED} more added")


def _list_refused(matched: Matched) -> None:
    for f, e in matched.worse[:MAX_LISTED]:
        print(escaped(f"agentrails: not accepted: {f.path}:{f.line}: {f.code} {f.message}; "
                      f"baselined at {_value(e.value)}"), file=sys.stderr)
    print(f"{len(matched.worse)} finding(s) got worse than their baseline entry and keep the "
          "recorded value: fix them, pass --accept-worse to accept them, or name their "
          "paths (`agentrails baseline --update PATH`).", file=sys.stderr)


def _symbol(symbol: str) -> str:
    return f"{symbol!r} " if symbol else ""


def _value(value: float | None) -> str:
    if value is None:
        return "?"
    return str(int(value)) if value.is_integer() else f"{value:.2f}"


def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"
