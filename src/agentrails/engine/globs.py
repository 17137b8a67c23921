"""Glob matching with gitignore semantics, shared by exclude, per-file settings and caps.

Plain globs (no negation, escape, nested or odd character class, or odd ``**``) are
translated here into regular expressions; anything else goes to pathspec's gitignore
implementation. Every run matches the default excludes and data-file globs, and importing
pathspec costs more than a warm run may spend, so it is imported only for globs that need
it. A character class never matches ``/`` here, as in git (pathspec's classes do).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import PurePath

from agentrails.engine import posix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    import pathspec

_NAMED_GROUP = re.compile(r"\(\?P<[^>]+>")
_NOT_PLAIN = frozenset("\\#{} \t")
_SIMPLE_CLASS = re.compile(r"(?!.*--)[^\[\\/&~|]+")
_ANY_DIRS = "(?:.+/)?"
"""Zero or more leading folders (``**/``, or a glob without a slash)."""


def plain_regex(glob: str) -> str | None:
    """A regular expression that ``re.match`` (a prefix match) applies to a path with
    gitignore's meaning of ``glob``, or None when ``glob`` is not plain.

    As in gitignore: a glob with a slash at its start or in its middle is anchored to the
    root, any other matches at every depth; a trailing slash matches folders only (so
    the paths below one); ``*``, ``?`` and a class such as ``[!a]`` never match a slash;
    ``**/`` at the start, ``/**/``
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
    try:
        return _assemble(segments, "/" in body, folders_only)
    except ValueError:  # a class this translation does not take on
        return None


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
    """One name's regular expression; ValueError for a class left to pathspec."""
    parts, index = [], 0
    while index < len(segment):
        char = segment[index]
        if char == "[":
            regex, index = _char_class(segment, index)
            parts.append(regex)
            continue
        parts.append("[^/]*" if char == "*" else "[^/]" if char == "?" else re.escape(char))
        index += 1
    return "".join(parts)


def _char_class(segment: str, start: int) -> tuple[str, int]:
    """The class opening at ``segment[start]`` and the index after it. As in git, ``!`` or
    ``^`` first negates, a ``]`` right after that is a member, and no class matches ``/``
    (pathspec's classes do: git's meaning is kept here)."""
    index = start + 1
    negated = index < len(segment) and segment[index] in "!^"
    index += negated
    first = index
    index += index < len(segment) and segment[index] == "]"
    close = segment.find("]", index)
    members = segment[first:close]
    if close < 0 or not members or not _SIMPLE_CLASS.fullmatch(members):
        raise ValueError(segment)
    # The members never hold a slash, so only a negated class needs it kept out (a
    # lookahead: a "/" inside the brackets could join a range with a "-" beside it).
    regex = ("(?!/)[^" if negated else "[") + re.sub(r"([\\\]\[^])", r"\\\1", members) + "]"
    try:
        re.compile(regex)
    except re.error as error:  # a reversed range, say
        raise ValueError(segment) from error
    return regex, close + 1


def unclosed_class(glob: str) -> bool:
    """True when a ``[`` of ``glob`` opens a character class that no ``]`` closes within
    its name: git's matcher then matches nothing at all, so such a glob is a mistake."""
    index = 0
    while index < len(glob):
        char = glob[index]
        if char == "\\":
            index += 2
            continue
        if char == "[":
            start = index + 1
            start += start < len(glob) and glob[start] in "!^"
            start += start < len(glob) and glob[start] == "]"
            close = glob.find("]", start)
            if close < 0 or "/" in glob[start:close]:
                return True
            index = close
        index += 1
    return False


def _fails(pathspec: Any, glob: str) -> bool:
    try:
        pathspec.GitIgnoreSpec.from_lines([glob])
    except (re.error, ValueError):
        return True
    return False


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

        try:
            self._spec = pathspec.GitIgnoreSpec.from_lines(self.globs)
        except (re.error, ValueError) as error:
            bad = next((g for g in self.globs if _fails(pathspec, g)), self.globs[0])
            raise ValueError(f"invalid glob {bad!r}: {getattr(error, 'msg', error)}") from None
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
