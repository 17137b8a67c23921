"""Precision and recall of one tool on one project, from its findings, labels and seeds.

Precision is measured on the project as published: each distinct finding (by label key) is
true or false as labelled. Recall is measured on the seeded copy: a seeded item is found
when the tool reports a finding with the item's key. The seeded copy's other findings are
moved back to the original's lines (``Origins``) and judged by the same labels; a finding
on a seeded line that is not the seeded item itself is false.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bench.deadcode.labels import Label
from bench.deadcode.seed import Origins, Seeded
from bench.deadcode.tools import Found, key


@dataclass
class Score:
    """Counts for one tool, added up over projects."""

    true: int = 0
    false: int = 0
    seeded: int = 0
    found: int = 0
    copy_true: int = 0
    copy_false: int = 0
    unlabelled: set[str] = field(default_factory=set)
    missed: list[str] = field(default_factory=list)
    false_keys: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add ``other``'s counts to these."""
        self.true += other.true
        self.false += other.false
        self.seeded += other.seeded
        self.found += other.found
        self.copy_true += other.copy_true
        self.copy_false += other.copy_false
        self.unlabelled |= other.unlabelled
        self.missed += other.missed
        self.false_keys += other.false_keys

    @property
    def precision(self) -> float | None:
        """True findings over findings on the published code (None without findings)."""
        total = self.true + self.false
        return self.true / total if total else None

    @property
    def recall(self) -> float | None:
        """Seeded items found over items seeded (None without seeds)."""
        return self.found / self.seeded if self.seeded else None

    @property
    def copy_precision(self) -> float | None:
        """True findings over findings on the seeded copies."""
        total = self.copy_true + self.copy_false
        return self.copy_true / total if total else None


def keys(tree: Path, findings: Iterable[Found]) -> set[str]:
    """The distinct label keys of some findings."""
    return {key(tree, found) for found in findings}


def judge_published(found: set[str], labels: dict[str, Label], prefix: str) -> Score:
    """Precision counts of the findings on the published code."""
    score = Score()
    for item in sorted(found):
        label = labels.get(item)
        if label is None:
            score.unlabelled.add(item)
        elif label.dead:
            score.true += 1
        else:
            score.false += 1
            score.false_keys.append(f"{prefix}{item}")
    return score


def judge_seeded(found: set[str], seeds: list[Seeded], origins: Origins,
                 labels: dict[str, Label], prefix: str) -> Score:
    """Recall counts, and the precision counts of every finding on the seeded copy."""
    score = Score(seeded=len(seeds))
    wanted = {seed.key for seed in seeds}
    score.found = len(wanted & found)
    score.missed = [f"{prefix}{seed.key} ({seed.kind})" for seed in seeds if seed.key not in found]
    for item in sorted(found - wanted):
        original = back(item, origins)
        label = labels.get(original) if original is not None else None
        if original is not None and label is None:
            score.unlabelled.add(original)
        elif label is not None and label.dead:
            score.copy_true += 1
        else:
            score.copy_false += 1
    score.copy_true += score.found
    return score


def back(item: str, origins: Origins) -> str | None:
    """The key a seeded copy's finding has in the original (None on a seeded line)."""
    path, line, name = item.rsplit(":", 2)
    lines = origins.get(path)
    if lines is None:
        return item
    number = int(line)
    original = lines[number - 1] if 0 < number <= len(lines) else None
    return None if original is None else f"{path}:{original}:{name}"
