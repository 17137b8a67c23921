"""Glob matching with gitignore semantics, shared by exclude, per-file settings and caps."""

from __future__ import annotations

from collections.abc import Iterable

import pathspec


class GlobSet:
    """Paths (POSIX, relative to the project root) matched against gitignore-style globs.

    A glob without a slash matches at any depth (``*.md``); ``dir/**`` matches a tree.
    """

    def __init__(self, globs: Iterable[str]):
        self.globs = list(globs)
        self._spec = pathspec.PathSpec.from_lines("gitwildmatch", self.globs)

    def match(self, path: str) -> bool:
        """True when any glob matches ``path``."""
        return bool(self.globs) and self._spec.match_file(path)


class GlobTable:
    """A table of glob -> value; the last matching glob wins, as in ruff's per-file settings."""

    def __init__(self, table: dict[str, object]):
        self._entries = [(GlobSet([glob]), value) for glob, value in table.items()]

    def lookup(self, path: str, default: object = None) -> object:
        """The value of the last glob that matches ``path``, else ``default``."""
        found = default
        for globs, value in self._entries:
            if globs.match(path):
                found = value
        return found
