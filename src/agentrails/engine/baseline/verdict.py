"""What a run's findings mean: new ones and ones worse than their baseline entry fail,
warn-mode ones are reported without failing, baselined ones are counted as debt, and
baseline entries that match nothing are named: stale when their file was checked, unknown
when it could not be."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from agentrails.engine.baseline.entries import DEFAULT_NAME, BaselineError, Entry, read_remembered
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.targets import target_prefixes, within
from agentrails.engine.findings import Finding, RunResult
from agentrails.engine.protocol import Rule
from agentrails.engine.record import Record
from agentrails.engine.selection import any_match


class Verdict(Record):
    """A run's findings sorted by what they mean for its exit code. ``baseline`` is the
    baseline file in use, as the user would name it (None when there is none); ``worse``
    maps each reported finding that outgrew its entry to the value the entry recorded;
    ``unknown`` pairs each entry whose file could not be checked with the reason;
    ``moved`` maps the old path of each file whose entries followed it to the new one;
    ``recorded`` counts the baseline's entries and ``limited`` says the run checked only
    some paths (so ``baselined`` counts the debt of those paths)."""

    __slots__ = ("errors", "files", "warnings", "baselined", "stale", "baseline", "worse",
                 "unknown", "moved", "recorded", "limited", "retired")

    def __init__(self, errors: list[Finding], files: int, warnings: list[Finding] | None = None,
                 baselined: list[Finding] | None = None, stale: list[Entry] | None = None,
                 baseline: str | None = None, worse: dict[Finding, float | None] | None = None,
                 unknown: list[tuple[Entry, str]] | None = None,
                 moved: dict[str, str] | None = None, recorded: int = 0,
                 limited: bool = False, retired: list[Entry] | None = None):
        self.errors = errors
        self.files = files
        self.warnings = [] if warnings is None else warnings
        self.baselined = [] if baselined is None else baselined
        self.stale = [] if stale is None else stale
        self.baseline = baseline
        self.worse = {} if worse is None else worse
        self.unknown = [] if unknown is None else unknown
        self.moved = {} if moved is None else moved
        self.recorded = recorded
        self.limited = limited
        self.retired = [] if retired is None else retired
        """Entries a rule stopped reporting by design (``Rule.retired``): not fixed debt."""

    @property
    def reported(self) -> list[Finding]:
        """The findings a report shows: errors and warnings, in order."""
        return sorted(self.errors + self.warnings)


def baseline_path(settings: Settings) -> Path | None:
    """The configured baseline, else ``agentrails-baseline.json`` at the root if present.

    A configured baseline that does not exist is an error: a gate must not pass because a
    path was mistyped. Anything at the path is used, so a folder or a link loop there is
    an error when it is read, never a run without the baseline."""
    configured = settings.top["baseline"]
    if configured is None:
        default = settings.root / DEFAULT_NAME
        return default if os.path.lexists(default) else None
    path = settings.root / configured
    if not os.path.lexists(path):
        where = settings.source or settings.root
        raise BaselineError(f"{where}: baseline {configured!r} does not exist (create it with "
                            "`agentrails baseline`)")
    return path


def target_path(settings: Settings) -> Path:
    """Where ``agentrails baseline`` writes: the configured path or the default one."""
    return settings.root / (settings.top["baseline"] or DEFAULT_NAME)


def warn_codes(settings: Settings, rules: Mapping[str, type[Rule]]) -> frozenset[str]:
    """Codes in warn mode: the configured ``warn`` selectors, else the rules that ship in
    warn mode in this release."""
    selectors = settings.top["warn"]
    if selectors is None:
        return frozenset(code for code, rule in rules.items() if rule.warn_by_default)
    return frozenset(code for code in rules if any_match(code, selectors))


def judge(
    settings: Settings, result: RunResult, rules: Mapping[str, type[Rule]],
    selected: frozenset[str], given: Sequence[Path] = (), use_baseline: bool = True,
    memo: str | None = None,
) -> Verdict:
    """Split the run's findings; raises BaselineError for a baseline that cannot be used.
    ``memo`` is the cache's memo folder, where the parsed baseline is remembered."""
    findings = result.findings
    verdict = Verdict(errors=[], files=result.files)
    path = baseline_path(settings) if use_baseline else None
    if path is not None:
        findings = _against(verdict, path, settings, result, rules, selected, given, memo)
    warned = warn_codes(settings, rules)
    for finding in findings:
        warns = finding.warn or finding.code in warned
        (verdict.warnings if warns else verdict.errors).append(finding)
    return verdict


def _against(verdict: Verdict, path: Path, settings: Settings, result: RunResult,
             rules: Mapping[str, type[Rule]], selected: frozenset[str], given: Sequence[Path],
             memo: str | None) -> list[Finding]:
    """Match the run against the baseline at ``path``, fill the verdict's baseline fields,
    and return the findings it reports (new and worse ones)."""
    from agentrails.engine.baseline.debt import match

    root = str(settings.root)
    recorded = read_remembered(path, memo)
    prefixes = target_prefixes(settings.root, given)
    matched = match(
        result.findings, recorded.entries, rules, result.facts, root,
        lambda entry: entry.code in selected and within(entry.path, prefixes),
        renames=lambda: followed_renames(root, recorded.commit),
    )
    verdict.baselined = [finding for finding, _ in matched.baselined]
    verdict.worse = {finding: entry.value for finding, entry in matched.worse}
    verdict.stale, verdict.retired = split_retired(matched.stale, rules, result)
    verdict.unknown, verdict.moved = matched.unknown, matched.moved
    verdict.baseline = _shown(path, settings.root)
    verdict.recorded = len(recorded.entries)
    verdict.limited = prefixes is not None and "" not in prefixes
    return sorted(matched.new + list(verdict.worse))


def followed_renames(root: str, commit: str | None) -> dict[str, str]:
    """The files git saw renamed since ``commit`` (none without one)."""
    if commit is None:
        return {}
    from agentrails.engine.baseline.renames import renamed_since

    return renamed_since(root, commit)


def split_retired(stale: list[Entry], rules: Mapping[str, type[Rule]],
                  result: RunResult) -> tuple[list[Entry], list[Entry]]:
    """Stale entries, and those their rules retired (``Rule.retired``) instead."""
    retired: list[Entry] = []
    for code in sorted({entry.code for entry in stale}):
        rule, ctx = rules.get(code), result.contexts.get(code)
        if rule is not None and ctx is not None:
            mine = [entry for entry in stale if entry.code == code]
            retired.extend(rule.retired(mine, result.facts, ctx))
    if not retired:
        return stale, []
    gone = set(retired)
    return [entry for entry in stale if entry not in gone], retired


def _shown(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
