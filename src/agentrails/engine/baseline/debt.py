"""Findings against the baseline: fingerprints that survive ordinary edits, and the ratchet.

A finding's fingerprint is its code, path, symbol and the hash of its line's normalised
text (no hash for file-level rules), never its line number, so inserting or moving code
elsewhere changes nothing. Where the symbol alone is unambiguous (one finding and one
entry with that code, path and symbol) it decides, so editing the offending line of a
baselined function keeps it baselined and no file is read; otherwise the line's hash
does, identical lines being paired by their block (``lines.LineReader.context``) and
then in order of occurrence: the n-th identical line is the n-th entry.

Each finding then is *baselined* (an entry covers it), *worse* (its entry recorded a
better value: complexity 12, now 15) or *new*; each entry left over is *stale* (its file
was checked and the finding is gone: the debt was paid), *unknown* (its file could not
be checked: it does not parse, cannot be read, or was not analysed; the debt may still
be there) or *outgrown* (a finding of its code, path and symbol is still there, on
another line). Entries whose file is gone follow it when git saw it renamed since the
baseline's commit (``renames``), else when a new finding has the same code, symbol and
line text.
"""

from __future__ import annotations

import os
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Mapping

from agentrails.engine.baseline.entries import Entry
from agentrails.engine.baseline.lines import LineReader, line_hash
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule

__all__ = ["LineReader", "Matched", "fingerprint", "fingerprints", "line_hash", "match"]

Triple = tuple[str, str, str]
Rules = Mapping[str, type[Rule]]
Facts = Mapping[str, FileFacts]


def fingerprint(
    finding: Finding, rule: type[Rule] | None, facts: FileFacts | None, lines: LineReader
) -> Entry:
    """The baseline entry that records ``finding`` (without a context)."""
    file_level = rule is None or rule.file_level
    digest = "" if file_level else lines.hash(finding.path, finding.line)
    value = rule.debt(finding, facts) if rule is not None else None
    return Entry(finding.code, finding.path, finding.symbol, digest, value)


def fingerprints(findings: Iterable[Finding], rules: Rules, facts: Facts, root: str) -> list[Entry]:
    """Entries for every finding, in order; identical lines of one file get the context
    that tells them apart."""
    lines = LineReader(root)
    found = list(findings)
    entries = [fingerprint(f, rules.get(f.code), facts.get(f.path), lines) for f in found]
    seen: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for entry in entries:
        seen[entry.key] += 1
    return [
        entry._replace(context=lines.context(f.path, f.line))
        if entry.hash and seen[entry.key] > 1 else entry
        for f, entry in zip(found, entries, strict=True)
    ]


class Matched:
    """A run's findings split by the baseline (see the module's docstring). ``baselined``
    and ``worse`` pair each finding with its entry; ``unknown`` pairs each entry with why
    its file could not be checked; ``outside`` holds the entries left over that this run
    could not judge (another code, another path); ``moved`` maps the old path of each
    followed file to its new one."""

    __slots__ = ("new", "baselined", "worse", "stale", "unknown", "outgrown", "outside",
                 "moved")

    def __init__(self) -> None:
        self.new: list[Finding] = []
        self.baselined: list[tuple[Finding, Entry]] = []
        self.worse: list[tuple[Finding, Entry]] = []
        self.stale: list[Entry] = []
        self.unknown: list[tuple[Entry, str]] = []
        self.outgrown: list[Entry] = []
        self.outside: list[Entry] = []
        self.moved: dict[str, str] = {}


def match(
    findings: Iterable[Finding], entries: Iterable[Entry], rules: Rules, facts: Facts,
    root: str, in_scope: Callable[[Entry], bool],
    renames: Callable[[], dict[str, str]] | None = None,
) -> Matched:
    """Which findings the baseline covers, which got worse, which are new, and what became
    of the entries left over. Only entries ``in_scope`` (the codes and paths this run
    checked) can be stale or unknown; ``renames`` (asked only when an entry's file is gone)
    gives the files git saw renamed since the baseline was written."""
    pairing = _Pairing(rules, facts, LineReader(root))
    pools: dict[Triple, list[Entry]] = defaultdict(list)
    for entry in entries:
        pools[(entry.code, entry.path, entry.symbol)].append(entry)
    left = pairing.pair_all(list(findings), pools)
    if left:
        left = _follow_gone(pairing, left, pools, root, renames)
    matched = pairing.matched
    matched.new = sorted(_worse_or_new(pairing, left, pools))
    matched.baselined.sort(key=_first)
    matched.worse.sort(key=_first)
    accepted = {(f.path, f.code) for f, _ in matched.baselined}
    _classify(matched, pools, _Checked(rules, facts, root, accepted), in_scope)
    return matched


class _Pairing:
    """Pairs findings with entries of the same code, path and symbol, and records the
    pairs in ``matched``."""

    def __init__(self, rules: Rules, facts: Facts, lines: LineReader):
        self.rules, self.facts, self.lines = rules, facts, lines
        self.matched = Matched()

    def pair_all(self, findings: list[Finding], pools: dict[Triple, list[Entry]]
                 ) -> list[Finding]:
        """Pair every finding it can; return the findings left over."""
        by_triple: dict[Triple, list[Finding]] = defaultdict(list)
        for finding in sorted(findings):
            by_triple[(finding.code, finding.path, finding.symbol)].append(finding)
        left: list[Finding] = []
        for triple, found in by_triple.items():
            pool = pools.get(triple)
            if pool:
                left += self.pair(found, pool)
            else:
                left += found
        return left

    def pair(self, found: list[Finding], pool: list[Entry]) -> list[Finding]:
        """Pair the findings of one code, path and symbol (in line order) with their
        entries (in file order), leaving in ``pool`` the entries not paired; return the
        findings not paired. Linear in both, however many identical lines there are."""
        if found[0].symbol and len(found) == 1 and len(pool) == 1:
            self.record(found[0], pool.pop())
            return []
        by_hash: dict[str, list[Finding]] = defaultdict(list)
        for finding in found:
            by_hash[self.digest(finding)].append(finding)
        entries: dict[str, list[Entry]] = defaultdict(list)
        for entry in pool:
            entries[entry.hash].append(entry)
        left: list[Finding] = []
        for digest, findings in by_hash.items():
            group = entries.get(digest)
            if group:
                findings, entries[digest] = self._by_context(findings, group)
                left += self._in_order(findings, entries[digest])
            else:
                left += findings
        pool[:] = [entry for group in entries.values() for entry in group]
        return sorted(left)

    def _by_context(self, found: list[Finding], group: list[Entry]
                    ) -> tuple[list[Finding], list[Entry]]:
        """Pair identical lines that sit in the block their entry recorded; return the
        findings and entries left."""
        if not any(entry.context for entry in group):
            return found, group
        waiting: dict[str, deque[int]] = defaultdict(deque)
        for index, entry in enumerate(group):
            if entry.context:
                waiting[entry.context].append(index)
        used: set[int] = set()
        left = []
        for finding in found:
            queue = waiting.get(self.lines.context(finding.path, finding.line))
            if queue:
                index = queue.popleft()
                used.add(index)
                self.record(finding, group[index])
            else:
                left.append(finding)
        return left, [entry for index, entry in enumerate(group) if index not in used]

    def _in_order(self, found: list[Finding], group: list[Entry]) -> list[Finding]:
        """The n-th finding with the n-th entry (baselined, or worse than it); the entries
        paired leave ``group``; return the findings left."""
        paired = min(len(found), len(group))
        for finding, entry in zip(found[:paired], group[:paired], strict=True):
            self.record(finding, entry)
        del group[:paired]
        return found[paired:]

    def digest(self, finding: Finding) -> str:
        rule = self.rules.get(finding.code)
        if rule is None or rule.file_level:
            return ""
        return self.lines.hash(finding.path, finding.line)

    def measure(self, finding: Finding) -> float | None:
        rule = self.rules.get(finding.code)
        return rule.debt(finding, self.facts.get(finding.path)) if rule is not None else None

    def covers(self, entry: Entry, finding: Finding) -> bool:
        """True when the entry's recorded value is at least as bad as the finding's."""
        rule = self.rules.get(finding.code)
        if rule is None or rule.worse is None or entry.value is None:
            return True
        value = self.measure(finding)
        if value is None:
            return True
        return value <= entry.value if rule.worse == "higher" else value >= entry.value

    def record(self, finding: Finding, entry: Entry) -> None:
        kind = self.matched.baselined if self.covers(entry, finding) else self.matched.worse
        kind.append((finding, entry))
        if entry.path != finding.path:
            self.matched.moved[entry.path] = finding.path


def _gone(path: str, facts: Facts, root: str) -> bool:
    """True when no file is at ``path`` any more (one that cannot be looked at is there)."""
    if path in facts:
        return False
    try:
        os.lstat(os.path.join(root, path))
    except (FileNotFoundError, NotADirectoryError):
        return True
    except OSError:
        return False
    return False


def _follow_gone(pairing: _Pairing, left: list[Finding], pools: dict[Triple, list[Entry]],
                 root: str, renames: Callable[[], dict[str, str]] | None) -> list[Finding]:
    """Pair the findings left over with the entries of files that are gone: first where
    git saw the file renamed, then by code, symbol and line text."""
    gone = {path for (_, path, _), pool in pools.items()
            if pool and _gone(path, pairing.facts, root)}
    if not gone:
        return left
    moves = {old: new for old, new in (renames() if renames else {}).items() if old in gone}
    if moves:
        left = _follow_renames(pairing, left, pools, moves)
    return _by_content(pairing, left, pools, gone)


def _follow_renames(pairing: _Pairing, left: list[Finding], pools: dict[Triple, list[Entry]],
                    moves: dict[str, str]) -> list[Finding]:
    """Pair the findings left over with the entries of the files ``moves`` renamed, as if
    the entries had their new path; the entries left go back under their old one."""
    moved: dict[Triple, list[Entry]] = defaultdict(list)
    for (code, path, symbol), pool in pools.items():
        if path in moves:
            moved[(code, moves[path], symbol)] += pool
            pool.clear()
    left = pairing.pair_all(left, moved)
    for (code, _, symbol), pool in moved.items():
        for entry in pool:
            pools[(code, entry.path, symbol)].append(entry)
    return left


def _by_content(pairing: _Pairing, left: list[Finding], pools: dict[Triple, list[Entry]],
                gone: set[str]) -> list[Finding]:
    """Pair left-over findings with entries of gone files that have the same code, symbol
    and line text (never file-level entries: nothing but the path would tell them apart)."""
    candidates = _by_text(pools, gone)
    if not candidates:
        return left
    rest: list[Finding] = []
    taken: dict[Triple, set[int]] = defaultdict(set)
    for finding in left:
        digest = pairing.digest(finding)
        found = candidates.get((finding.code, finding.symbol, digest)) if digest else None
        if not found:
            rest.append(finding)
            continue
        triple, index = found.popleft()
        taken[triple].add(index)
        pairing.record(finding, pools[triple][index])
    for triple, indexes in taken.items():
        pools[triple] = [e for i, e in enumerate(pools[triple]) if i not in indexes]
    return rest


def _by_text(pools: dict[Triple, list[Entry]], gone: set[str]
             ) -> dict[tuple[str, str, str], deque[tuple[Triple, int]]]:
    """The entries of gone files that record a line, by code, symbol and line hash (each
    as its pool and its place there)."""
    candidates: dict[tuple[str, str, str], deque[tuple[Triple, int]]] = defaultdict(deque)
    for triple, pool in pools.items():
        if triple[1] in gone:
            for index, entry in enumerate(pool):
                if entry.hash:
                    candidates[(triple[0], triple[2], entry.hash)].append((triple, index))
    return candidates


def _worse_or_new(pairing: _Pairing, left: list[Finding],
                  pools: dict[Triple, list[Entry]]) -> list[Finding]:
    """The left-over findings that are new. One whose code, path and symbol still has an
    entry left that records a better value is worse than it (its line changed too): the
    n-th such finding is compared with the n-th such entry."""
    by_triple: dict[Triple, list[Finding]] = defaultdict(list)
    for finding in left:
        by_triple[(finding.code, finding.path, finding.symbol)].append(finding)
    new: list[Finding] = []
    for triple, found in by_triple.items():
        pool = pools.get(triple)
        rule = pairing.rules.get(triple[0])
        if not pool or rule is None or rule.worse is None:
            new += found
            continue
        kept: list[Entry] = []
        for finding, entry in zip(found, pool, strict=False):
            if entry.value is not None and not pairing.covers(entry, finding):
                pairing.matched.worse.append((finding, entry))
            else:
                new.append(finding)
                kept.append(entry)
        new += found[len(pool):]
        pool[:] = kept + pool[len(found):]
    return new


def _classify(matched: Matched, pools: dict[Triple, list[Entry]], checked: _Checked,
              in_scope: Callable[[Entry], bool]) -> None:
    """Sort the entries nothing took into outgrown, outside, unknown and stale."""
    still_there = {(f.code, f.path, f.symbol) for f in matched.new}
    for entry in sorted((e for pool in pools.values() for e in pool), key=_entry_key):
        if (entry.code, entry.path, entry.symbol) in still_there:
            matched.outgrown.append(entry)
        elif not in_scope(entry):
            matched.outside.append(entry)
        else:
            reason = checked.not_checked(entry)
            if reason is None:
                matched.stale.append(entry)
            else:
                matched.unknown.append((entry, reason))


class _Checked:
    """Whether a run could check what an entry records."""

    def __init__(self, rules: Rules, facts: Facts, root: str, accepted: set[tuple[str, str]]):
        self.rules, self.facts, self.root = rules, facts, root
        self.accepted = accepted  # (path, code) of the baselined findings
        self._incomplete: str | None | bool = False  # not looked for yet

    def not_checked(self, entry: Entry) -> str | None:
        """Why the run could not tell whether ``entry``'s finding is still there, None when
        it could: its file does not parse, cannot be read or was not looked at; its file is
        gone while some file was not analysed (it may have moved there); or its rule joins
        the whole project and some file was not analysed (an unused name's one use may be
        in a file that no longer parses)."""
        found = self.facts.get(entry.path)
        if found is not None and found.problem is not None:
            return f"{found.problem.code} {found.problem.message}"
        gone = found is None and _gone(entry.path, self.facts, self.root)
        if found is None and not gone:
            return "not checked in this run"
        if not (gone or self._whole_project(entry.code)):
            return None
        broken = self.incomplete()
        what = "its file is gone" if gone else "whole-project rule"
        return None if broken is None else f"{what}, and {broken} was not analysed"

    def _whole_project(self, code: str) -> bool:
        rule = self.rules.get(code)
        return rule is not None and rule.is_project_rule()

    def incomplete(self) -> str | None:
        """The first file no run could analyse (with its problem), None when every file
        was. A file whose AR001/AR002 finding is itself baselined was not analysed when the
        baseline was written either, so it explains nothing that changed since."""
        if self._incomplete is False:
            broken = [path for path, facts in self.facts.items() if facts.problem is not None
                      and (path, facts.problem.code) not in self.accepted]
            self._incomplete = None
            if broken:
                path = min(broken)
                problem = self.facts[path].problem
                assert problem is not None
                self._incomplete = f"{path} ({problem.code} {problem.message})"
        return self._incomplete  # type: ignore[return-value]


def _first(pair: tuple[Finding, Entry]) -> Finding:
    return pair[0]


def _entry_key(entry: Entry) -> tuple[str, str, str, str]:
    return entry.key
