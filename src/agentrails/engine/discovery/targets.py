"""The files a run reports on: the paths it was given, relative to the project root."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def target_prefixes(root: Path, given: Sequence[Path]) -> list[str] | None:
    """The given paths relative to the root ('' for the root itself); None when none are
    given, which means the whole project."""
    if not given:
        return None
    prefixes = []
    for path in given:
        try:
            rel = path.resolve().relative_to(root.resolve()).as_posix()
        except ValueError:
            continue
        prefixes.append("" if rel == "." else rel)
    return prefixes


def within(path: str, prefixes: list[str] | None) -> bool:
    """True when ``path`` is one of the prefixes or below one (always, for None)."""
    if prefixes is None:
        return True
    return any(not p or path == p or path.startswith(p + "/") for p in prefixes)


def select_targets(root: Path, files: list[str], given: Sequence[Path]) -> set[str]:
    """The discovered files under the given paths (all of them when none are given)."""
    prefixes = target_prefixes(root, given)
    return {f for f in files if within(f, prefixes)}
