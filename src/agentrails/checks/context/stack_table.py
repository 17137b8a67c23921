"""The tool-stack table of RULES.md: which tools and libraries the project says it uses.

The table sits under a heading (``Tool stack`` by default, any level). Its ``tool`` column,
or every column when there is none, names the tools: backticked names and the words of
the cell (``pytest, hypothesis``; ``coverage.py via pytest-cov``) all count. Names compare
as PyPI does (PEP 503: case, ``_`` and ``.`` folded to ``-``).
"""

from __future__ import annotations

import re

_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_FOLD = re.compile(r"[-_.]+")
_SEPARATOR_CELL = re.compile(r"^:?-{1,}:?$")


def canonical_name(name: str) -> str:
    """A distribution name as PyPI compares it (PEP 503)."""
    return _FOLD.sub("-", name).lower().strip("-")


def stack_names(lines: list[str], heading: str) -> set[str] | None:
    """The canonical names the table under ``heading`` lists; None when there is no such
    heading or no table under it (the rule then has nothing to hold the project to)."""
    rows = _table_rows(lines, heading)
    if rows is None or len(rows) < 2:
        return None
    columns = _tool_columns([cell.lower() for cell in rows[0]])
    cells = [row[i] for row in rows[1:] if not _is_rule(row) for i in columns if i < len(row)]
    return {name for cell in cells for name in cell_names(cell)}


def _tool_columns(header: list[str]) -> list[int]:
    """The ``tool`` column, else every column."""
    return [header.index("tool")] if "tool" in header else list(range(len(header)))


def _is_rule(row: list[str]) -> bool:
    """The ``| --- | :---: |`` line under a table's header."""
    return all(_SEPARATOR_CELL.match(cell) for cell in row if cell)


def cell_names(cell: str) -> set[str]:
    """Every name a cell mentions, canonical."""
    text = _LINK.sub(r"\1", cell).replace("`", " ")
    words = {word.rstrip(".-_") for word in _WORD.findall(text)}
    return {canonical_name(word) for word in words if word}


def _table_rows(lines: list[str], heading: str) -> list[list[str]] | None:
    """The cells of the first table in the section under ``heading``."""
    start = _section_start(lines, heading)
    if start is None:
        return None
    rows: list[list[str]] = []
    for line in lines[start:]:
        if _HEADING.match(line):
            break
        stripped = line.strip()
        if stripped.startswith("|"):
            rows.append([cell.strip() for cell in stripped.strip("|").split("|")])
        elif rows:
            break
    return rows


def _section_start(lines: list[str], heading: str) -> int | None:
    wanted = heading.strip().lower()
    for number, line in enumerate(lines):
        match = _HEADING.match(line)
        if match and match.group(1).strip().lower() == wanted:
            return number + 1
    return None
