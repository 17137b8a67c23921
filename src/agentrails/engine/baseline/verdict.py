"""What a run's findings mean: new ones and ones worse than their baseline entry fail,
warn-mode ones are reported without failing, baselined ones are counted as debt, and
baseline entries that match nothing are named: stale when their file was checked, unknown
when it could not be."""

from __future__ import annotations

import os
from collections import namedtuple
from collections.abc import Mapping, Sequence
from pathlib import Path

from agentrails.engine.baseline.entries import DEFAULT_NAME, BaselineError, Entry, read_remembered
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.targets import target_prefixes, within
from agentrails.engine.findings import Finding, RunResult
from agentrails.engine.protocol import NOTHING, Rule
from agentrails.engine.selection import any_match

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Verdict(namedtuple(
    "Verdict", ("errors", "files", "warnings", "baselined", "stale", "baseline", "worse",
                "unknown", "moved", "recorded", "limited", "retired"),
    defaults=((), (), (), None, NOTHING, (), NOTHING, 0, False, ()),
)):
    """A run's findings sorted by what they mean for its exit code: ``errors`` fail it,
    ``warnings`` are reported without failing, ``baselined`` ones are accepted debt and
    ``stale`` the baseline entries nothing matches; ``files`` is how many files were
    checked. ``baseline`` is the baseline file in use, as the user would name it (None
    when there is none); ``worse`` maps each reported finding that outgrew its entry to the
    value the entry recorded; ``unknown`` pairs each entry whose file could not be checked
    with the reason; ``moved`` maps the old path of each file whose entries followed it to
    the new one; ``recorded`` counts the baseline's entries and ``limited`` says the run
    checked only some paths (so ``baselined`` counts the debt of those paths);
    ``retired`` are the entries a rule stopped reporting by design (``Rule.retired``), not
    fixed debt."""

    __slots__ = ()
    errors: Sequence[Finding]
    files: int
    warnings: Sequence[Finding]
    baselined: Sequence[Finding]
    stale: Sequence[Entry]
    baseline: str | None
    worse: Mapping[Finding, float | None]
    unknown: Sequence[tuple[Entry, str]]
    moved: Mapping[str, str]
    recorded: int
    limited: bool
    retired: Sequence[Entry]

    @property
    def reported(self) -> list[Finding]:
        """The findings a report shows: errors and warnings, in order."""
        return sorted([*self.errors, *self.warnings])


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
    settings: Settings, result: RunResult, rules: Mapping[str, type[Rule]], *,
    selected: frozenset[str], given: Sequence[Path] = (), use_baseline: bool = True,
    memo: str | None = None,
) -> Verdict:
    """Split the run's findings; raises BaselineError for a baseline that cannot be used.
    ``memo`` is the cache's memo folder, where the parsed baseline is remembered."""
    findings = result.findings
    against: dict[str, Any] = {}
    path = baseline_path(settings) if use_baseline else None
    if path is not None:
        findings, against = _against(path, settings, result, rules=rules, selected=selected,
                                     given=given, memo=memo)
    warned = warn_codes(settings, rules)
    errors: list[Finding] = []
    warnings: list[Finding] = []
    for finding in findings:
        warns = finding.warn or finding.code in warned
        (warnings if warns else errors).append(finding)
    return Verdict(errors=errors, files=result.files, warnings=warnings, **against)


def _against(path: Path, settings: Settings, result: RunResult,
             *, rules: Mapping[str, type[Rule]], selected: frozenset[str],
             given: Sequence[Path], memo: str | None) -> tuple[list[Finding], dict[str, Any]]:
    """Match the run against the baseline at ``path``: the findings it reports (new and
    worse ones), and the verdict's baseline fields."""
    from agentrails.engine.baseline.debt import match

    root = str(settings.root)
    recorded = read_remembered(path, memo)
    prefixes = target_prefixes(settings.root, given)
    matched = match(
        result.findings, recorded.entries, rules, facts=result.facts, root=root,
        in_scope=lambda entry: entry.code in selected and within(entry.path, prefixes),
        renames=lambda: followed_renames(root, recorded.commit),
    )
    worse = {finding: entry.value for finding, entry in matched.worse}
    stale, retired = split_retired(matched.stale, rules, result)
    fields = {
        "baselined": [finding for finding, _ in matched.baselined], "worse": worse,
        "stale": stale, "retired": retired, "unknown": matched.unknown, "moved": matched.moved,
        "baseline": _shown(path, settings.root), "recorded": len(recorded.entries),
        "limited": prefixes is not None and "" not in prefixes,
    }
    return sorted([*matched.new, *worse]), fields


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
