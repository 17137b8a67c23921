"""What the per-file analysis learns about one file: cached, rule-independent facts.

Plain classes and named tuples, not dataclasses: a warm run defines them before it does
anything, and builds one ``FileFacts`` per cached file from the row the cache keeps.
"""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class Problem(namedtuple("Problem", ("code", "line", "column", "message"))):
    """Why a file could not be parsed (AR001) or analysed (AR002)."""

    __slots__ = ()
    code: str
    line: int
    column: int
    message: str


Row = tuple
_NO_NOQA: dict[int, frozenset[str]] = {}
"""A ``FileFacts`` without its path, as the cache stores it (see ``FileFacts.row``)."""


class FileFacts:
    """Facts about one file, independent of thresholds, so the cache survives config edits.

    ``families`` holds each rule family's own facts (see each ``checks`` family's
    ``collect``); ``noqa`` maps a line to the codes suppressed there (an empty set
    means every code), ``file_noqa`` the codes suppressed for the whole file.
    """

    __slots__ = ("path", "is_text", "is_python", "is_generated", "line_count", "blank_lines",
                 "problem", "noqa", "file_noqa", "families")

    def __init__(
        self, path: str, *, is_text: bool = True, is_python: bool = False,
        is_generated: bool = False, line_count: int = 0, blank_lines: int = 0,
        problem: Problem | None = None, noqa: dict[int, frozenset[str]] | None = None,
        file_noqa: frozenset[str] | None = None, families: dict[str, Any] | None = None,
    ):
        self.path = path
        self.is_text = is_text
        self.is_python = is_python
        self.is_generated = is_generated
        self.line_count = line_count
        self.blank_lines = blank_lines
        self.problem = problem
        self.noqa = {} if noqa is None else noqa
        self.file_noqa = file_noqa
        self.families = {} if families is None else families

    @property
    def content_lines(self) -> int:
        """Lines that are not blank: what a file's length cap (AR101) counts."""
        return self.line_count - self.blank_lines

    def row(self) -> Row:
        """Everything but the path, as plain data (the problem as a plain tuple). An empty
        ``noqa`` is one table every row shares, so a pack of rows loads one empty dict, not
        one per file (cached facts are read, never changed)."""
        problem = None if self.problem is None else tuple(self.problem)
        return (self.is_text, self.is_python, self.is_generated, self.line_count,
                self.blank_lines, problem, self.noqa or _NO_NOQA, self.file_noqa, self.families)

    @classmethod
    def from_row(cls, path: str, row: Row) -> FileFacts:
        """The facts ``row`` holds for ``path`` (the inverse of ``row``)."""
        facts = cls.__new__(cls)
        facts.path = path
        (facts.is_text, facts.is_python, facts.is_generated, facts.line_count,
         facts.blank_lines, problem, facts.noqa, facts.file_noqa, facts.families) = row
        facts.problem = None if problem is None else Problem(*problem)
        return facts

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.path == other.path and self.row() == other.row()

    __hash__ = None  # type: ignore[assignment] - mutable, as the dataclass it replaces

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"FileFacts({fields})"
