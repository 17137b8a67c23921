"""Findings against the baseline: fingerprints that survive ordinary edits, and the ratchet.

A finding's fingerprint is its code, path, symbol and the hash of its line's normalised
text (white space folded; no hash for file-level rules), never its line number, so
inserting or moving code elsewhere changes nothing. Where the symbol alone is unambiguous
(one finding and one entry with that code, path and symbol) it decides, so editing the
offending line of a baselined function keeps it baselined and no file is read; otherwise
the line's hash does. A finding matches an entry whose value is at least as bad; one
that got worse (complexity 14 -> 19) is new. Entries nothing matched are stale: the debt
was paid.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping

from agentrails.engine.baseline.entries import Entry
from agentrails.engine.cache.digest import blake2b
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule
from agentrails.engine.record import Record
from agentrails.engine.regex import lazy

_NEWLINE = lazy(rb"\r\n|\r|\n")
_UNLIMITED = float("inf")


def line_hash(text: str) -> str:
    """16 hex digits of the line with its white space folded (indentation included)."""
    normalised = " ".join(text.split())
    return blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class LineReader:
    """Lines of the project's files, read only when a fingerprint needs one, once per file."""

    def __init__(self, root: str):
        self._root = root
        self._lines: dict[str, list[bytes]] = {}

    def hash(self, path: str, line: int) -> str:
        """The hash of line ``line`` (1-based) of ``path``; an absent line hashes as empty."""
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = self._read(path)
        text = lines[line - 1] if 0 < line <= len(lines) else b""
        return line_hash(text.decode("utf-8", "replace"))

    def _read(self, path: str) -> list[bytes]:
        try:
            with open(os.path.join(self._root, path), "rb") as handle:
                return _NEWLINE.split(handle.read())
        except OSError:
            return []


def fingerprint(
    finding: Finding, rule: type[Rule] | None, facts: FileFacts | None, lines: LineReader
) -> Entry:
    """The baseline entry that records ``finding``."""
    file_level = rule is None or rule.file_level
    digest = "" if file_level else lines.hash(finding.path, finding.line)
    value = rule.debt(finding, facts) if rule is not None else None
    return Entry(finding.code, finding.path, finding.symbol, digest, value)


def fingerprints(
    findings: Iterable[Finding], rules: Mapping[str, type[Rule]],
    facts: Mapping[str, FileFacts], root: str,
) -> list[Entry]:
    """Entries for every finding, in order."""
    lines = LineReader(root)
    return [fingerprint(f, rules.get(f.code), facts.get(f.path), lines) for f in findings]


class Matched(Record):
    """A run's findings split by the baseline: ``new`` ones, ``baselined`` ones, ``stale``
    entries nothing matches any more (the debt was paid) and ``outgrown`` entries whose
    finding is still there but got worse (it is reported as new)."""

    __slots__ = ("new", "baselined", "stale", "outgrown")

    def __init__(self) -> None:
        self.new: list[Finding] = []
        self.baselined: list[Finding] = []
        self.stale: list[Entry] = []
        self.outgrown: list[Entry] = []


def match(
    findings: Iterable[Finding], entries: Iterable[Entry], rules: Mapping[str, type[Rule]],
    facts: Mapping[str, FileFacts], root: str, in_scope: Callable[[Entry], bool],
) -> Matched:
    """Which findings the baseline covers, which are new, and which entries are stale.

    A finding whose symbol is the only one of its code and path on both sides matches by
    that symbol (editing the ``def`` line of a baselined function keeps it baselined);
    otherwise the line's hash decides, read only then. Only entries ``in_scope`` (the
    codes and paths this run checked) can be stale."""
    findings = list(findings)
    pools = _Pools(entries, rules)
    mine = Counter((f.code, f.path, f.symbol) for f in findings)
    lines = LineReader(root)
    matched = Matched()
    ranked = [(_badness(finding, rules, facts), finding) for finding in findings]
    ranked.sort(key=lambda pair: pair[0])  # least bad first; stable, so ties keep their order
    for rank, finding in ranked:
        taken = _take(pools, finding, mine[(finding.code, finding.path, finding.symbol)],
                      rank, rules, facts, lines)
        (matched.baselined if taken else matched.new).append(finding)
    matched.new.sort()
    matched.baselined.sort()
    still_there = {(f.code, f.path, f.symbol) for f in matched.new}
    for entry in sorted(pools.left()):
        if (entry.code, entry.path, entry.symbol) in still_there:
            matched.outgrown.append(entry)
        elif in_scope(entry):
            matched.stale.append(entry)
    return matched


def _take(pools: _Pools, finding: Finding, twins: int, rank: float,
          rules: Mapping[str, type[Rule]], facts: Mapping[str, FileFacts],
          lines: LineReader) -> bool:
    """Use up the entry that covers ``finding`` (whose badness is ``rank``), if any: by
    symbol when it is the only one of its kind on both sides (``twins`` counts the findings
    that share it), else by the line's hash."""
    triple = (finding.code, finding.path, finding.symbol)
    available = pools.count(triple)
    if available == 0:
        return False
    if finding.symbol and twins == 1 and available == 1:
        return pools.take(triple, None, rank)
    rule = rules.get(finding.code)
    digest = fingerprint(finding, rule, facts.get(finding.path), lines).hash
    return pools.take(triple, digest, rank)


def _badness(finding: Finding, rules: Mapping[str, type[Rule]],
             facts: Mapping[str, FileFacts]) -> float:
    rule = rules.get(finding.code)
    value = rule.debt(finding, facts.get(finding.path)) if rule is not None else None
    return _rank(value, rule, finding=True)


def _rank(value: float | None, rule: type[Rule] | None, *, finding: bool) -> float:
    """How bad a value is, larger being worse; a missing value matches anything."""
    if value is None or rule is None or rule.worse is None:
        return -_UNLIMITED if finding else _UNLIMITED
    return value if rule.worse == "higher" else -value


Triple = tuple[str, str, str]


class _Pools:
    """Baseline entries by code, path and symbol, each pool sorted by the badness it accepts."""

    def __init__(self, entries: Iterable[Entry], rules: Mapping[str, type[Rule]]):
        pools: dict[Triple, list[tuple[float, Entry]]] = defaultdict(list)
        for entry in entries:
            rank = _rank(entry.value, rules.get(entry.code), finding=False)
            pools[(entry.code, entry.path, entry.symbol)].append((rank, entry))
        self._pools = {triple: sorted(pool, key=lambda pair: pair[0])
                       for triple, pool in pools.items()}

    def count(self, triple: Triple) -> int:
        """How many entries are left with this code, path and symbol."""
        return len(self._pools.get(triple, ()))

    def take(self, triple: Triple, digest: str | None, rank: float) -> bool:
        """Use up the least bad entry (with this line hash, unless None) that still covers
        ``rank``; False when none does."""
        pool = self._pools.get(triple, [])
        for index, (accepted, entry) in enumerate(pool):
            if accepted >= rank and (digest is None or entry.hash == digest):
                del pool[index]
                return True
        return False

    def left(self) -> list[Entry]:
        """The entries nothing took."""
        return [entry for pool in self._pools.values() for _, entry in pool]
