"""The scope-aware analysis replaces the answer agentrails 0.2.0 gave, without surprises.

A repository that passed its checks with 0.2.0 must not turn red after ``copier update``
(the compatibility rule, docs/update.md). So, for one release:

- a finding 0.2.0 did not report (the same symbol in the same file) is a warning, never
  failing, unless the project configured ``warn`` itself (then its list decides);
- a baseline entry that 0.2.0's analysis still reports but this one no longer does is
  retired: not stale, not "fixed debt"; ``agentrails baseline --prune`` drops it.

0.2.0's answer is computed from the same cached facts (vulture's definitions and uses plus
that release's smart ignores, ``join.LEGACY``), only for the files that need it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.checks.deadcode.facts import Cached
from agentrails.checks.deadcode.records import Unreachable
from agentrails.checks.deadcode.vulture.join import LEGACY, unused_in

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from agentrails.engine.baseline.entries import Entry

PHASE_IN = "0.2.0"
"""The release whose answer decides what is new. The release after this one enforces every
finding: set this to None then (and say so in the CHANGELOG)."""


def active(top: Mapping[str, Any]) -> bool:
    """Phasing in, and the project left ``warn`` to the release's defaults."""
    return PHASE_IN is not None and top.get("warn") is None


class Legacy:
    """0.2.0's answer, module by module, computed when first asked."""

    def __init__(self, found: Mapping[str, Cached], used: set[str],
                 options: Mapping[str, Any]):
        self.found = found
        self.used = used
        self.options = options
        self._symbols: dict[str, frozenset[str]] = {}

    def symbols(self, path: str) -> frozenset[str]:
        """The names 0.2.0 reported as unused in ``path`` (AR301)."""
        if path not in self._symbols:
            module = self.found.get(path)
            names = () if module is None else (
                item.name for item in unused_in(module, self.used, self.options, answer=LEGACY))
            self._symbols[path] = frozenset(names)
        return self._symbols[path]

    def is_new(self, path: str, symbol: str) -> bool:
        """0.2.0 did not report ``symbol`` in ``path``."""
        return symbol not in self.symbols(path)

    def unreachable(self, path: str) -> list[Unreachable]:
        """The dead blocks 0.2.0 reported in ``path`` (AR302)."""
        module = self.found.get(path)
        if module is None or self.options["min-confidence"] > 100:
            return []
        return [Unreachable._make(block) for block in module.unreachable]

    def retired(self, entries: Iterable[Entry]) -> list[Entry]:
        """Of baseline entries no finding matches now, those 0.2.0 would still report:
        the analysis dropped them, nobody paid the debt."""
        found = []
        for entry in entries:
            if entry.code == "AR301":
                still = entry.symbol in self.symbols(entry.path)
            else:
                still = any(block.name == entry.symbol for block in self.unreachable(entry.path))
            if still:
                found.append(entry)
        return found
