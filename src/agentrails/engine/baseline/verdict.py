"""What a run's findings mean: new ones fail, warn-mode ones are reported without failing,
baselined ones are counted as debt, and baseline entries that match nothing are named."""

from __future__ import annotations

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
    baseline file in use, as the user would name it (None when there is none)."""

    __slots__ = ("errors", "files", "warnings", "baselined", "stale", "baseline", "retired")

    def __init__(self, errors: list[Finding], files: int, warnings: list[Finding] | None = None,
                 baselined: list[Finding] | None = None, stale: list[Entry] | None = None,
                 baseline: str | None = None, retired: list[Entry] | None = None):
        self.errors = errors
        self.files = files
        self.warnings = [] if warnings is None else warnings
        self.baselined = [] if baselined is None else baselined
        self.stale = [] if stale is None else stale
        self.baseline = baseline
        self.retired = [] if retired is None else retired
        """Entries a rule stopped reporting by design (``Rule.retired``): not fixed debt."""

    @property
    def reported(self) -> list[Finding]:
        """The findings a report shows: errors and warnings, in order."""
        return sorted(self.errors + self.warnings)


def baseline_path(settings: Settings) -> Path | None:
    """The configured baseline, else ``agentrails-baseline.json`` at the root if present.

    A configured baseline that does not exist is an error: a gate must not pass because a
    path was mistyped."""
    configured = settings.top["baseline"]
    if configured is None:
        default = settings.root / DEFAULT_NAME
        return default if default.is_file() else None
    path = settings.root / configured
    if not path.is_file():
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
        from agentrails.engine.baseline.debt import match

        prefixes = target_prefixes(settings.root, given)
        matched = match(
            findings, read_remembered(path, memo), rules, result.facts, str(settings.root),
            lambda entry: entry.code in selected and within(entry.path, prefixes),
        )
        findings, verdict.baselined = matched.new, matched.baselined
        verdict.stale, verdict.retired = split_retired(matched.stale, rules, result)
        verdict.baseline = _shown(path, settings.root)
    warned = warn_codes(settings, rules)
    for finding in findings:
        warns = finding.warn or finding.code in warned
        (verdict.warnings if warns else verdict.errors).append(finding)
    return verdict


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
