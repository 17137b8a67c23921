"""``agentrails hook check-edit``: a Claude Code PostToolUse hook for Edit, MultiEdit, Write
and NotebookEdit. It checks the file just written with the file-level rules (size caps,
complexity, unreachable code, syntax, conflict markers: every rule that judges a file by
its own content) and hands what fails back to the agent at once, so it fixes the finding
in the same turn instead of at Stop or in CI.

A finding is printed on stdout as the JSON Claude Code reads from a PostToolUse hook,
``{"decision": "block", "reason": ...}`` with exit code 0: the edit stays (it already
happened) and the reason goes to the agent. A clean file, a file outside the project, an
excluded file or another tool prints nothing. Input that is not a hook event exits 1 with
the reason on stderr, which Claude Code shows the user without stopping the agent.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, BinaryIO

from agentrails.hooks.checking import failing, file_level_codes, report
from agentrails.hooks.claude_input import event_or_report, project_dir
from agentrails.hooks.invocation import agentrails_command
from agentrails.hooks.project import load_project

NAME = "check-edit"
EXIT_OK, EXIT_ERROR = 0, 1
PATH_KEYS = {"Edit": "file_path", "MultiEdit": "file_path", "Write": "file_path",
             "NotebookEdit": "notebook_path"}


def main(stdin: BinaryIO | None = None, environ: dict[str, str] | None = None) -> int:
    """Read one PostToolUse event; print the findings of the edited file for the agent."""
    event = event_or_report(NAME, stdin)
    if event is None:
        return EXIT_ERROR
    edited = edited_file(event)
    if edited is None:
        return EXIT_OK
    root = Path(project_dir(event, environ))
    settings = load_project(root)
    if settings is None:
        return _tell("the agentrails configuration is invalid (see the hook's error output); "
                     "fix it before you go on.")
    target = _absolute(edited, event, settings.root)
    top = settings.root.resolve()
    if not target.is_file() or not target.is_relative_to(top):
        return EXIT_OK
    shown = target.relative_to(top).as_posix()
    verdict = failing(settings, [settings.root / shown], only=file_level_codes())
    if isinstance(verdict, str):
        return _tell(f"{verdict}; fix it before you go on.")
    if not verdict.errors:
        return EXIT_OK
    command = agentrails_command(settings.root)
    return _tell(f"{shown} now breaks a rule the gates enforce; fix it before you go on "
                 f"(`{command} check {shown}` shows it again):\n{report(verdict, command)}")


def edited_file(event: dict[str, Any]) -> str | None:
    """The path the event's tool wrote, or None for another tool or a malformed input."""
    tool, tool_input = event.get("tool_name"), event.get("tool_input")
    key = PATH_KEYS.get(tool) if isinstance(tool, str) else None
    if key is None or not isinstance(tool_input, dict):
        return None
    path = tool_input.get(key)
    if not isinstance(path, str) or not path or "\0" in path:
        return None
    return path


def _absolute(path: str, event: dict[str, Any], root: Path) -> Path:
    """``path`` resolved against the event's working directory (else the project root)."""
    cwd = event.get("cwd")
    base = Path(cwd) if isinstance(cwd, str) and os.path.isdir(cwd) else root
    return (base / path).resolve()


def _tell(reason: str) -> int:
    """Hand ``reason`` to the agent (PostToolUse decision control) and exit 0."""
    print(json.dumps({"decision": "block", "reason": f"agentrails hook {NAME}: {reason}"}))
    return EXIT_OK
