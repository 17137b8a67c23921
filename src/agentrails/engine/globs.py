"""Glob matching with gitignore semantics, shared by exclude, per-file settings and caps.

Plain globs (no negation, escape, character class or odd ``**``) are translated here into
regular expressions; anything else goes to pathspec's gitignore implementation. Every run
matches the default excludes and data-file globs, and importing pathspec costs more than
a warm run may spend, so it is imported only for globs that need it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from agentrails.engine import posix

TYPE_CHECKING = False
if TYPE_CHECKING:
    import pathspec

_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")
_NOT_PLAIN = frozenset("\\[]!#{} \t")
_ANY_DIRS = "(?:.+/)?"
"""Zero or more leading folders (``**/``, or a glob without a slash)."""


def plain_regex(glob: str) -> str | None:
    """A regular expression that ``re.match`` (a prefix match) applies to a path with
    gitignore's meaning of ``glob``, or None when ``glob`` is not plain.

    As in gitignore: a glob with a slash at its start or in its middle is anchored to the
    root, any other matches at every depth; a trailing slash matches folders only (so
    the paths below one); ``*`` and ``?`` never match a slash; ``**/`` at the start, ``/**/``
    in the middle and ``/**`` at the end stand for any number of folders; a glob that
    names a file or folder also matches every path below that folder.
    """
    if not glob or glob[0] in "#!" or not _NOT_PLAIN.isdisjoint(glob):
        return None
    folders_only = glob.endswith("/")
    body = glob[:-1] if folders_only else glob
    segments = _plain_segments(body[1:] if body.startswith("/") else body, folders_only)
    if segments is None:
        return None
    if segments == ["**"]:
        return ".+"
    return _assemble(segments, "/" in body, folders_only)


def _plain_segments(body: str, folders_only: bool) -> list[str] | None:
    """The ``/``-separated parts of a glob's body, None when one is not plain: empty, a
    lone ``*`` (pathspec reads it as one or more characters), ``**`` within a name, two
    ``**`` in a row, or a trailing ``**`` of a folder-only glob."""
    segments = body.split("/")
    if "" in segments or "*" in segments or any("**" in s and s != "**" for s in segments):
        return None
    if "**/**" in body or (folders_only and segments[-1] == "**"):
        return None
    return segments


def _assemble(segments: list[str], anchored: bool, folders_only: bool) -> str:
    parts = [] if anchored else [_ANY_DIRS]
    last = len(segments) - 1
    for index, segment in enumerate(segments):
        if segment == "**":
            parts.append(_ANY_DIRS if index < last else "")
            continue
        parts.append(_segment(segment))
        if index < last:
            parts.append("/")
    if segments[-1] != "**":
        parts.append("/" if folders_only else "(?:/|$)")
    return "".join(parts)


def _segment(segment: str) -> str:
    return "".join(
        "[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char) for char in segment
    )


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
        self._spec: pathspec.GitIgnoreSpec | None = None
        self._regex: re.Pattern[str] | None = None
        plain = [plain_regex(glob) for glob in self.globs]
        if plain and None not in plain:
            self._regex = re.compile("|".join(f"(?:{regex})" for regex in plain))
        elif self.globs:
            self._compile_with_pathspec()

    def _compile_with_pathspec(self) -> None:
        import pathspec

        self._spec = pathspec.GitIgnoreSpec.from_lines(self.globs)
        patterns = [p for p in self._spec.patterns if p.include is not None]
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
        return self._spec is not None and self._spec.match_file(path)


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
