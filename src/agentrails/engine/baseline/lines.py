"""The text a baseline fingerprint is made of: a line's hash and the hash of its block.

A line hashes with its white space folded (indentation included), so reformatting it
keeps its fingerprint and moving it does not matter. Identical lines of one file are told
apart by their *context*: the hash of the nearest line above that is indented less (the
``def``, ``class`` or ``if`` opening the block that holds them), so the n-th of three
identical ``def OpenKey(key, subkey):`` lines keeps its entry when a fourth is added
somewhere else. Files are read only when a fingerprint needs them, once each.
"""

from __future__ import annotations

import os

from agentrails.engine.cache.digest import blake2b
from agentrails.engine.regex import lazy

_NEWLINE = lazy(rb"\r\n|\r|\n")
_NOT_OPENERS = (b"#", b")", b"]", b"}", b"@")
"""Lines that are indented less but open no block: comments, closing brackets of a
signature split over lines, decorators."""


def line_hash(text: str) -> str:
    """16 hex digits of the line with its white space folded (indentation included)."""
    normalised = " ".join(text.split())
    return blake2b(normalised.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


TOP_LEVEL = line_hash("")
"""The context of a line that no other line encloses."""


class LineReader:
    """Lines of the project's files, read only when a fingerprint needs one, once per file."""

    def __init__(self, root: str):
        self._root = root
        self._lines: dict[str, list[bytes]] = {}
        self._contexts: dict[str, list[str]] = {}

    def hash(self, path: str, line: int) -> str:
        """The hash of line ``line`` (1-based) of ``path``; an absent line hashes as empty."""
        lines = self._file(path)
        text = lines[line - 1] if 0 < line <= len(lines) else b""
        return line_hash(text.decode("utf-8", "replace"))

    def context(self, path: str, line: int) -> str:
        """The hash of the line opening the block that holds line ``line`` of ``path``:
        the nearest line above it that is indented less and opens something."""
        contexts = self._contexts.get(path)
        if contexts is None:
            contexts = self._contexts[path] = _contexts(self._file(path))
        return contexts[line - 1] if 0 < line <= len(contexts) else TOP_LEVEL

    def _file(self, path: str) -> list[bytes]:
        lines = self._lines.get(path)
        if lines is None:
            lines = self._lines[path] = self._read(path)
        return lines

    def _read(self, path: str) -> list[bytes]:
        try:
            with open(os.path.join(self._root, path), "rb") as handle:
                return _NEWLINE.split(handle.read())
        except OSError:
            return []


def _contexts(lines: list[bytes]) -> list[str]:
    """The context of every line, in one pass: a stack holds the lines that may still open
    the block of a later line (their indentation grows towards the top), so each line's
    context is the nearest one on it indented less."""
    stack: list[tuple[int, int]] = []  # (indentation, index) of possible openers
    found: list[str] = []
    hashes: dict[int | None, str] = {None: TOP_LEVEL}
    for index, text in enumerate(lines):
        stripped = text.lstrip()
        depth = _indent(text)
        opener = bool(stripped) and not stripped.startswith(_NOT_OPENERS)
        if opener:
            while stack and stack[-1][0] >= depth:
                stack.pop()
            holder = stack[-1][1] if stack else None
            stack.append((depth, index))
        else:
            holder = next((i for d, i in reversed(stack) if d < depth), None)
        if holder not in hashes:
            hashes[holder] = line_hash(lines[holder].decode("utf-8", "replace"))
        found.append(hashes[holder])
    return found


def _indent(line: bytes) -> int:
    """Columns of leading white space (a tab counts as one: only comparisons matter)."""
    return len(line) - len(line.lstrip(b" \t\f"))
