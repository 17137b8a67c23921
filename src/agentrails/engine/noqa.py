"""Suppression comments: ``# noqa: AR201`` on a line, ``# agentrails: noqa: AR101`` for a file."""

from __future__ import annotations

import re

from agentrails.engine.regex import lazy

_CODES = r"(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[\s,]+[A-Z]+[0-9]+)*))?"
LINE_NOQA = lazy(r"#\s*noqa" + _CODES, re.I)
# The file directive must open a comment line (``#``, ``//``, ``/*``, ``*``, ``<!--``, ``--``,
# ``;``, ``%``, ``{#``, ``..``), so prose or a docstring that mentions it suppresses nothing.
_FILE = lazy(
    r"^\s*(?:#|//|/\*+|\*|<!--|--|;|%|\{#|\.\.)\s*agentrails:\s*noqa" + _CODES, re.I
)
_SPLIT = lazy(r"[\s,]+")
_NEWLINE = lazy(r"\r\n|\r|\n")
"""Line breaks as Python's tokenizer and ``bytes.splitlines`` see them (not form feeds)."""

ALL: frozenset[str] = frozenset()
"""The empty set stands for "every code"."""


def _codes(match: re.Match[str]) -> frozenset[str]:
    codes = match.group("codes")
    return ALL if not codes else frozenset(_SPLIT.split(codes.strip().upper()))


def parse_noqa(text: str) -> tuple[dict[int, frozenset[str]], frozenset[str] | None]:
    """Line suppressions (1-based line -> codes) and file suppressions (None if there are none)."""
    per_line: dict[int, frozenset[str]] = {}
    whole_file: frozenset[str] | None = None
    if "noqa" not in text.lower():
        return per_line, whole_file
    lines = _NEWLINE.split(text)
    for number, line in enumerate(lines, start=1):
        if "noqa" not in line.lower():
            continue
        file_match = _FILE.search(line)
        if file_match:
            whole_file = _merge(whole_file, _codes(file_match))
            continue
        line_match = LINE_NOQA.search(line)
        if line_match:
            per_line[number] = codes = _codes(line_match)
            _continued(per_line, lines, number, codes)
    return per_line, whole_file


def _continued(per_line: dict[int, frozenset[str]], lines: list[str], number: int,
               codes: frozenset[str]) -> None:
    """A comment at the end of a logical line covers the lines continued into it with a
    backslash (``import os, \\`` then ``sys  # noqa``), as in ruff."""
    above = number - 1
    while above >= 1 and lines[above - 1].endswith("\\") and above not in per_line:
        per_line[above] = codes
        above -= 1


def _merge(current: frozenset[str] | None, codes: frozenset[str]) -> frozenset[str]:
    """Union of file suppressions, where ALL (empty) absorbs everything."""
    if current is None:
        return codes
    if current == ALL or codes == ALL:
        return ALL
    return current | codes


def suppressed(code: str, line: int, per_line: dict[int, frozenset[str]],
               whole_file: frozenset[str] | None) -> bool:
    """True when a line or file comment suppresses ``code`` at ``line``."""
    if whole_file is not None and (not whole_file or code in whole_file):
        return True
    codes = per_line.get(line)
    return codes is not None and (not codes or code in codes)
