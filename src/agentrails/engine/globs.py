"""Glob matching with gitignore semantics, shared by exclude, per-file settings and caps."""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

import pathspec

from agentrails.engine import posix

_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")


class GlobSet:
    """Paths (relative to the project root) matched against gitignore-style globs.

    A glob without a slash matches at any depth (``*.md``); ``dir/`` matches a directory
    anywhere; ``dir/**`` or ``/dir/`` only at the root. Without negations the globs are
    compiled into one regular expression, which is much faster than matching one by one.
    Paths and globs are compared with ``/`` separators: a Windows path (``src\\app.py``,
    or a ``PureWindowsPath``) matches the glob ``src/*.py``.
    """

    def __init__(self, globs: Iterable[str]):
        self.globs = [posix.posix_glob(glob) for glob in globs]
        self._spec = pathspec.GitIgnoreSpec.from_lines(self.globs)
        patterns = [p for p in self._spec.patterns if p.include is not None]
        self._regex: re.Pattern[str] | None = None
        if patterns and all(p.include for p in patterns):
            joined = "|".join(f"(?:{_NAMED_GROUP.sub('(?:', p.regex.pattern)})" for p in patterns)
            self._regex = re.compile(joined)

    def match(self, path: str | PurePath) -> bool:
        """True when the globs select ``path`` (a directory path ends with ``/``)."""
        if not self.globs:
            return False
        path = posix.posix(path)
        if self._regex is not None:
            return self._regex.match(path) is not None
        return self._spec.match_file(path)


class GlobTable:
    """A table of glob -> value; the last matching glob wins, as in ruff's per-file settings."""

    def __init__(self, table: dict[str, object]):
        self._entries = [(GlobSet([glob]), value) for glob, value in table.items()]

    def lookup(self, path: str | PurePath, default: object = None) -> object:
        """The value of the last glob that matches ``path``, else ``default``."""
        found = default
        for globs, value in self._entries:
            if globs.match(path):
                found = value
        return found
