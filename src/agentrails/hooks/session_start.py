"""``agentrails hook session-start``: a Claude Code SessionStart hook that hands a new
session where the repository stands, in a few lines: what the canonical context file's
"Current state" says is mid-flight or broken, the "Next" section of the newest handoff,
and what the checks fail on right now.

The lines go to the agent as ``hookSpecificOutput.additionalContext`` (JSON on stdout,
exit 0). Input that is not a hook event exits 1 with the reason on stderr; Claude Code
shows it and starts the session anyway.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import BinaryIO

from agentrails.checks.context.state import section_text
from agentrails.checks.sessions.index import valid_name
from agentrails.engine.config.settings import Settings
from agentrails.hooks.checking import failing
from agentrails.hooks.claude_input import event_or_report, project_dir
from agentrails.hooks.invocation import agentrails_command
from agentrails.hooks.project import load_project

NAME = "session-start"
EXIT_OK, EXIT_ERROR = 0, 1
MAX_ITEM = 160
"""Characters of one bullet kept; the rest is cut with an ellipsis."""
MAX_ITEMS = 4
"""Bullets kept from one part (the rest are counted)."""
MAX_FINDINGS = 3
BULLETS = ("- ", "* ", "+ ")
SKIPPED_PARTS = ("what works",)
"""Parts of the state section left out: what works is the long, stable part."""


def main(stdin: BinaryIO | None = None, environ: dict[str, str] | None = None) -> int:
    """Read one SessionStart event; print the state of the repository for the agent."""
    event = event_or_report(NAME, stdin)
    if event is None:
        return EXIT_ERROR
    settings = load_project(Path(project_dir(event, environ)))
    if settings is None:
        lines = ["The agentrails configuration is invalid: `agentrails check` says why."]
    else:
        lines = state_lines(settings)
    context = "\n".join(["Where this repository stands (agentrails, at session start):",
                         *(f"- {line}" for line in lines)])
    print(json.dumps({"hookSpecificOutput": {"hookEventName": "SessionStart",
                                             "additionalContext": context}}))
    return EXIT_OK


def state_lines(settings: Settings) -> list[str]:
    """The current state, the newest handoff's next steps, the failing checks."""
    return [*current_state(settings), newest_handoff(settings), checks_now(settings)]


def current_state(settings: Settings) -> list[str]:
    """One line per part of the state section (its ``###`` headings), what works left out."""
    options = settings.families.get("context", {})
    canonical = str(options.get("canonical", "AGENTS.md"))
    heading = str(options.get("state-heading", "Current state"))
    text = _read(settings.root / canonical)
    found = section_text(text, heading) if text is not None else None
    if found is None:
        return [f"{canonical} has no \"{heading}\" section."]
    parts = _parts(found[0].splitlines()[1:])
    lines = [f"{title} ({canonical}): {_items(items)}" for title, items in parts
             if title.lower() not in SKIPPED_PARTS]
    return lines or [f"{heading} ({canonical}): nothing recorded."]


def newest_handoff(settings: Settings) -> str:
    """The newest handoff's "Next" section, in one line."""
    folder = str(settings.families.get("sessions", {}).get("dir", "handoffs")).strip("/")
    names = sorted((p.name for p in (settings.root / folder).glob("*.md") if valid_name(p.name)),
                   reverse=True)
    if not names:
        return f"No handoff in {folder}/ yet."
    path = f"{folder}/{names[0]}"
    text = _read(settings.root / path)
    found = section_text(text, "Next") if text is not None else None
    items = _parts(found[0].splitlines()[1:])[0][1] if found is not None else []
    return f"Newest handoff {path}, next: {_items(items)}"


def checks_now(settings: Settings) -> str:
    """What ``agentrails check`` fails on now, the first few findings named."""
    command = f"{agentrails_command(settings.root)} check"
    verdict = failing(settings, [])
    if isinstance(verdict, str):
        return f"`{command}` cannot run: {verdict}"
    if not verdict.errors:
        return f"`{command}` passes."
    first = "; ".join(f"{f.path}:{f.line} {f.code} {f.message}"
                      for f in verdict.errors[:MAX_FINDINGS])
    more = len(verdict.errors) - MAX_FINDINGS
    return (f"`{command}` fails with {len(verdict.errors)} finding(s): {_cut(first, 400)}"
            + (f"; and {more} more" if more > 0 else ""))


def _parts(lines: list[str]) -> list[tuple[str, list[str]]]:
    """(title, items) per ``###`` part of a section; lines before the first part, or a
    section without parts, form one untitled part. Items are the list entries."""
    parts: list[tuple[str, list[str]]] = [("Current state", [])]
    for line in lines:
        stripped = line.strip()
        if stripped.startswith("#"):
            parts.append((stripped.lstrip("#").strip().rstrip(":"), []))
        else:
            _add_item(parts[-1][1], line, stripped)
    return [part for index, part in enumerate(parts) if index or part[1]] or parts


def _add_item(items: list[str], line: str, stripped: str) -> None:
    """A list entry starts a new item; an indented line continues the last one."""
    if stripped[:2] in BULLETS:
        items.append(stripped[2:].strip())
    elif stripped and items and line[:1].isspace():
        items[-1] += " " + stripped


def _items(items: list[str]) -> str:
    if not items:
        return "nothing recorded."
    shown = "; ".join(_cut(item.rstrip("."), MAX_ITEM) for item in items[:MAX_ITEMS])
    more = len(items) - MAX_ITEMS
    return shown + (f"; and {more} more" if more > 0 else "")


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
