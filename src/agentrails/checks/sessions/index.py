"""Handoff names and the SESSIONS.md index: which files are handoffs, what the index must
list, and the index text ``agentrails sessions --write`` writes."""

from __future__ import annotations

import posixpath
from collections.abc import Iterable

from agentrails.checks.common.markdown import parse_markdown
from agentrails.checks.common.naming import is_exempt
from agentrails.checks.common.paths import folder, normalize
from agentrails.engine.regex import lazy
from agentrails.engine.text import split_lines

HANDOFF_NAME = lazy(r"^(\d{4}-\d{2}-\d{2}-\d{4})-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$")
INDEX_HEADER = "# Sessions\n\nOne line per session handoff, newest first.\n"


def valid_name(name: str) -> bool:
    """True for ``YYYY-MM-DD-HHMM-slug.md`` with a real date and time."""
    match = HANDOFF_NAME.match(name)
    if match is None:
        return False
    try:
        from datetime import datetime  # only a handoff's name needs it

        datetime.strptime(match.group(1), "%Y-%m-%d-%H%M")
    except ValueError:
        return False
    return True


def handoff_candidates(paths: Iterable[str], prefix: str) -> list[str]:
    """Markdown files directly in the handoffs folder that are not exempt."""
    found = []
    for path in paths:
        if not path.startswith(prefix) or not path.lower().endswith(".md"):
            continue
        name = path[len(prefix):]
        if "/" not in name and not is_exempt(name):
            found.append(path)
    return found


def expected_entries(paths: Iterable[str], prefix: str) -> list[str]:
    """The well-named handoffs, newest first (names start with their timestamp)."""
    named = [p for p in handoff_candidates(paths, prefix) if valid_name(p[len(prefix):])]
    return sorted(named, reverse=True)


def listed(
    text_path: str, references: Iterable[tuple[str, int]], prefix: str
) -> list[tuple[int, str]]:
    """(line, handoff path) for each link in the index to a file directly in the handoffs
    folder, links to exempt files (README.md, templates) left out."""
    entries = []
    for target, line in references:
        path = target.lstrip("/") if target.startswith("/") else folder(text_path) + target
        path = normalize(path)
        if not path or not path.startswith(prefix):
            continue
        name = path[len(prefix):]
        if name and "/" not in name and not is_exempt(name):
            entries.append((line, path))
    return entries


def entry_line(index_path: str, handoff: str, prefix: str) -> str:
    """One index line: ``- [YYYY-MM-DD HH:MM slug](relative/path.md)``."""
    name = handoff[len(prefix):]
    match = HANDOFF_NAME.match(name)
    label = name[:-3]
    if match:
        stamp = match.group(1)
        label = f"{stamp[:10]} {stamp[11:13]}:{stamp[13:]} {match.group(2)}"
    link = posixpath.relpath(handoff, folder(index_path).rstrip("/") or ".")
    return f"- [{label}]({link})"


def render_index(current: str | None, index_path: str, *, entries: list[str], prefix: str) -> str:
    """The index with its handoff lines replaced by ``entries``, other lines kept. The list
    goes where the first handoff line was, else at the end."""
    text = current if current is not None else INDEX_HEADER
    refs = parse_markdown(text, len(text)).references
    links = [(r.target, r.line) for r in refs if r.kind == "link"]
    entry_lines = {line for line, _ in listed(index_path, links, prefix)}
    block = [entry_line(index_path, handoff, prefix) for handoff in entries]
    kept = [line for number, line in enumerate(split_lines(text), 1) if number not in entry_lines]
    if entry_lines:
        position = min(entry_lines) - 1  # where the first handoff line was
        kept[position:position] = block
    else:
        kept = _append(kept, block)
    return "\n".join(kept).rstrip("\n") + "\n"


def _append(lines: list[str], block: list[str]) -> list[str]:
    """``block`` after ``lines`` (trailing blank lines dropped), one blank line between."""
    while lines and not lines[-1].strip():
        lines.pop()
    return [*lines, "", *block] if lines and block else [*lines, *block]
