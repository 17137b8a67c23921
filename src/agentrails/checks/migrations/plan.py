"""A migration plan as the rules see it: its front matter and its review passes, each pass
a ``## Review pass N`` section holding a ``| Severity | Finding | Status |`` table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from agentrails.checks.common.frontmatter import FrontMatter, parse_front_matter
from agentrails.checks.common.markdown import FENCE
from agentrails.engine.text import split_lines

PLAN_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
STATUSES = ("draft", "accepted", "done", "rejected")
SEVERITIES = ("critical", "high", "medium", "low")
FINDING_STATUSES = ("open", "resolved")
_PASS = re.compile(r"^##[ \t]+review pass[ \t]+(\d+)\b", re.I)
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]|$)")
_DELIMITER = re.compile(r"^\|?\s*:?-+:?\s*(?:\|\s*:?-+:?\s*)*\|?\s*$")
_CELL_SPLIT = re.compile(r"(?<!\\)\|")
_MARKUP = "*_` \t"


@dataclass(frozen=True)
class ReviewRow:
    """One finding of a review pass, cells as written (markup stripped)."""

    severity: str
    finding: str
    status: str
    line: int


@dataclass(frozen=True)
class ReviewPass:
    """A ``## Review pass N`` section: its number, line, whether it has the findings table,
    and the table's rows."""

    number: int
    line: int
    has_table: bool
    rows: tuple[ReviewRow, ...]


@dataclass(frozen=True)
class PlanFacts:
    """A plan's front matter (None when it has none) and review passes."""

    front: FrontMatter | None
    passes: tuple[ReviewPass, ...]


def valid_plan_name(name: str) -> bool:
    """True for ``YYYY-MM-DD-slug.md`` with a real date."""
    match = PLAN_NAME.match(name)
    if match is None:
        return False
    try:
        datetime.strptime(match.group(1), "%Y-%m-%d")
    except ValueError:
        return False
    return True


def parse_plan(text: str) -> PlanFacts:
    """Front matter and review passes of a plan's text."""
    lines = split_lines(text)
    front = parse_front_matter(lines)
    start = front.end if front is not None and front.end else 0
    sections: list[tuple[int, int, list[tuple[int, str]]]] = []
    for number, line in _unfenced(lines, start):
        heading = _HEADING.match(line)
        if heading and len(heading.group(1)) <= 2:
            match = _PASS.match(line.strip())
            sections.append((int(match.group(1)) if match else 0, number, []))
        elif sections:
            sections[-1][2].append((number, line))
    passes = [_review_pass(number, line, body) for number, line, body in sections if number]
    return PlanFacts(front, tuple(passes))


def _unfenced(lines: list[str], start: int) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of each line from ``start`` outside fenced code blocks."""
    fence: str | None = None
    for index in range(start, len(lines)):
        line = lines[index]
        if fence is not None:
            fence = None if line.strip().startswith(fence) else fence
            continue
        opening = FENCE.match(line)
        if opening:
            fence = opening.group(1)
            continue
        yield index + 1, line


def _cells(line: str) -> list[str]:
    inner = line.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return [cell.strip().strip(_MARKUP).strip() for cell in _CELL_SPLIT.split(inner)]


def _header(body: list[tuple[int, str]]) -> tuple[int, dict[str, int]] | None:
    """Where the findings table's header row is in ``body``, and its columns."""
    wanted = ("severity", "finding", "status")
    for index, (_, text) in enumerate(body):
        if text.strip().startswith("|"):
            names = [cell.lower() for cell in _cells(text)]
            if set(wanted) <= set(names):
                return index, {name: names.index(name) for name in wanted}
    return None


def _review_pass(number: int, line: int, body: list[tuple[int, str]]) -> ReviewPass:
    header = _header(body)
    if header is None:
        return ReviewPass(number, line, False, ())
    start, columns = header
    rows: list[ReviewRow] = []
    for number_in_file, text in body[start + 1:]:
        stripped = text.strip()
        if not stripped.startswith("|"):
            if rows or stripped:
                break
            continue
        if _DELIMITER.match(stripped):
            continue
        cells = _cells(stripped) + [""] * 3
        rows.append(ReviewRow(cells[columns["severity"]], cells[columns["finding"]],
                              cells[columns["status"]], number_in_file))
    return ReviewPass(number, line, True, tuple(rows))
