"""``agentrails hook guard-paths``: a Claude Code PreToolUse hook on Edit, MultiEdit, Write
and NotebookEdit that blocks edits to protected paths.

Protected: the agents family's ``protected`` globs (workflows, rulesets, CODEOWNERS, agent
settings by default), matched without regard to case, and migration plans whose status is
``accepted`` or ``done``. A blocked edit exits 2 with the reason on stderr, which Claude
Code hands to the agent. Input that is not a hook event also exits 2 (the guard fails
closed); other tools and paths outside the project pass.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any, BinaryIO

from agentrails.checks.common.frontmatter import parse_front_matter
from agentrails.checks.common.paths import dir_prefix, glob_set
from agentrails.checks.migrations.rules import GATED, plan_path
from agentrails.engine.config import Settings
from agentrails.engine.text import split_lines
from agentrails.hooks.claude_input import HookInputError, project_dir, read_event
from agentrails.hooks.project import load_project

NAME = "guard-paths"
GUARDED_TOOLS = {"Edit": "file_path", "MultiEdit": "file_path", "Write": "file_path",
                 "NotebookEdit": "notebook_path"}
EXIT_ALLOW, EXIT_BLOCK = 0, 2


def main(stdin: BinaryIO | None = None, environ: dict[str, str] | None = None) -> int:
    """Read one PreToolUse event; exit 0 to allow the edit, 2 to block it."""
    try:
        event = read_event(stdin if stdin is not None else sys.stdin.buffer)
        target = _target(event)
    except HookInputError as error:
        return _block(f"cannot read the hook input: {error}")
    if target is None:
        return EXIT_ALLOW
    base = project_dir(event, environ)
    settings = load_project(Path(base))
    if settings is None:
        return _block("the agentrails configuration is invalid (see above); edits are blocked")
    try:
        relative = _inside(target, event, base, settings.root)
    except ValueError as error:
        return _block(f"cannot read the hook input: unusable path {target!r}: {error}")
    reason = protection(relative, settings) if relative is not None else None
    if reason is None:
        return EXIT_ALLOW
    return _block(f"{relative} is protected ({reason}). Agents may not edit it; "
                  "describe the change you need and ask a human to make it.")


def _inside(target: str, event: dict[str, Any], base: str, root: Path) -> str | None:
    """``target`` relative to the project root (symlinks resolved), None when outside it.
    A relative target is taken from the event's ``cwd``, where the tool runs."""
    cwd = event.get("cwd")
    start = cwd if isinstance(cwd, str) and os.path.isdir(cwd) else base
    full = os.path.realpath(os.path.join(start, target))
    relative = os.path.relpath(full, os.path.realpath(root)).replace(os.sep, "/")
    return None if relative == ".." or relative.startswith("../") else relative


def _target(event: dict[str, Any]) -> str | None:
    """The path the tool call would write, None for tools this hook does not guard."""
    tool = event.get("tool_name")
    if not isinstance(tool, str):
        raise HookInputError("the event has no tool_name string")
    key = GUARDED_TOOLS.get(tool)
    if key is None:
        return None
    tool_input = event.get("tool_input")
    if not isinstance(tool_input, dict):
        raise HookInputError(f"{tool} event without a tool_input object")
    path = tool_input.get(key)
    if not isinstance(path, str) or not path.strip() or "\0" in path:
        raise HookInputError(f"{tool} event without a usable tool_input.{key}")
    return path


def protection(relative: str, settings: Settings) -> str | None:
    """Why ``relative`` (a path inside the project) is protected, or None."""
    options = settings.families.get("agents", {})
    globs = glob_set(tuple(g.lower() for g in options.get("protected", ())))
    if globs.match(relative.lower()):
        return "listed in [tool.agentrails.agents] protected"
    if not options.get("protect-accepted-migrations", True):
        return None
    prefix = dir_prefix(settings.families.get("migrations", {}).get("dir", "migrations"))
    if not plan_path(relative, prefix):
        return None
    try:
        text = (settings.root / relative).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    front = parse_front_matter(split_lines(text))
    status = str(front.values.get("status", "")).lower() if front is not None else ""
    return f"a migration plan with status {status}" if status in GATED else None


def _block(message: str) -> int:
    print(f"agentrails hook {NAME}: {message}", file=sys.stderr)
    return EXIT_BLOCK
