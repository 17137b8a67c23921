"""What the per-file analysis learns about one file: cached, rule-independent facts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Problem:
    """Why a file could not be parsed (AR001) or analysed (AR002)."""

    code: str
    line: int
    column: int
    message: str


@dataclass
class FileFacts:
    """Facts about one file, independent of thresholds, so the cache survives config edits.

    ``families`` holds each rule family's own facts (see each ``checks`` module's
    ``collect``); ``noqa`` maps a line to the codes suppressed there (an empty set
    means every code), ``file_noqa`` the codes suppressed for the whole file.
    """

    path: str
    is_text: bool = True
    is_python: bool = False
    is_generated: bool = False
    line_count: int = 0
    blank_lines: int = 0
    problem: Problem | None = None
    noqa: dict[int, frozenset[str]] = field(default_factory=dict)
    file_noqa: frozenset[str] | None = None
    families: dict[str, Any] = field(default_factory=dict)

    @property
    def content_lines(self) -> int:
        """Lines that are not blank: what a file's length cap (AR101) counts."""
        return self.line_count - self.blank_lines
