"""``agentrails hook guard-paths``: a Claude Code PreToolUse hook that refuses changes to
protected paths (see ``hooks.protected``) by Edit, MultiEdit, Write, NotebookEdit and Bash.

For an edit tool the path is the tool's file; for Bash the command line is read as a shell
would (``hooks.shell_writes``) and every path it would write is checked. Paths are taken from
the event's ``cwd``, with ``..``, ``//``, ``~``, symlinks, and on Windows and macOS the
platform's spelling and case (``hooks.path_rules``). A refusal exits 2 with one line on
stderr, which Claude Code hands to the agent. Input that is not a hook event also exits 2,
and so does an internal error: Claude Code lets a call through on any other exit code, so the
guard fails closed. Other tools, reads and paths outside the project pass.

The hook is the early, friendly layer: a shell can always find another way. The boundary is
on the server: the rulesets and CODEOWNERS.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from agentrails.engine.config.settings import Settings
from agentrails.hooks.claude_input import HookInputError, guarded_root, read_event
from agentrails.hooks.policy import guarded
from agentrails.hooks.project import load_project
from agentrails.hooks.protected import pattern_protection, protection
from agentrails.hooks.shell.glob_overlap import has_glob, unescape
from agentrails.hooks.shell.path_rules import PathRules, host_rules
from agentrails.hooks.shell.words import READING_UNTIL, TooComplex
from agentrails.hooks.shell.writes import Place, Write, writes

NAME = "guard-paths"
GUARDED_TOOLS = {"Edit": "file_path", "MultiEdit": "file_path", "Write": "file_path",
                 "NotebookEdit": "notebook_path", "Bash": "command"}
EXIT_ALLOW, EXIT_BLOCK = 0, 2
MAX_EVENT_BYTES = 1024 * 1024
"""A larger event is refused unread: every event up to this size is answered in time."""
READING_SECONDS = 0.5
"""How long the hook reads a command before it refuses it as too complex."""
ASK_A_HUMAN = "describe the change you need and ask a human to make it."
_LONGEST_SHOWN = 160


@dataclass(frozen=True)
class _Request:
    tool: str
    value: str
    cwd: str
    base: str


def main(
    stdin: BinaryIO | None = None,
    environ: dict[str, str] | None = None,
    platform: str | None = None,
) -> int:
    """Read one PreToolUse event; exit 0 to allow the call, 2 to refuse it. ``platform``
    forces another platform's path rules (tests)."""
    deadline = time.monotonic() + READING_SECONDS
    try:
        event = read_event(stdin if stdin is not None else sys.stdin.buffer, MAX_EVENT_BYTES)
        request = _request(event, environ)
    except HookInputError as error:
        return _block(f"cannot read the hook input: {error}")
    if request is None:
        return EXIT_ALLOW
    reading = READING_UNTIL.set(deadline)
    try:
        return _check(request, environ, host_rules(platform), deadline)
    except TooComplex as error:  # a loop outside the command's reading ran out of time
        return _block(f"the command is too complex to check ({error}); run it in smaller "
                      "steps")
    except Exception as error:  # noqa: BLE001 - a crash exits 1, which Claude Code lets through
        return _block(f"internal error ({type(error).__name__}: {_one_line(str(error))}); the "
                      "call is refused, please report it")
    finally:
        READING_UNTIL.reset(reading)


def _check(request: _Request, environ: dict[str, str] | None, rules: PathRules,
           deadline: float) -> int:
    settings = load_project(Path(request.base))
    settings = guarded(settings) if settings is not None else None
    if request.tool == "Bash":
        env = os.environ if environ is None else environ
        return _check_command(request, settings, rules, env, deadline)
    if settings is None:
        return _block("the agentrails configuration is invalid (see above); edits are blocked")
    return _check_edit(request, settings, rules)


def _request(event: dict[str, Any], environ: dict[str, str] | None) -> _Request | None:
    """The tool and the path or command it acts on; None for tools this hook does not guard."""
    tool = event.get("tool_name")
    if not isinstance(tool, str):
        raise HookInputError("the event has no tool_name string")
    key = GUARDED_TOOLS.get(tool)
    if key is None:
        return None
    tool_input = event.get("tool_input")
    if not isinstance(tool_input, dict):
        raise HookInputError(f"{tool} event without a tool_input object")
    value = tool_input.get(key)
    if not isinstance(value, str) or not value.strip() or "\0" in value:
        raise HookInputError(f"{tool} event without a usable tool_input.{key}")
    base = guarded_root(event, environ)
    cwd = event.get("cwd")
    return _Request(tool, value, cwd if isinstance(cwd, str) and os.path.isdir(cwd) else base,
                    base)


def _check_edit(request: _Request, settings: Settings, rules: PathRules) -> int:
    try:
        full = rules.absolute(request.value, request.cwd)
    except ValueError as error:
        return _block(f"cannot read the hook input: unusable path {request.value!r}: {error}")
    relative = rules.relative(full, rules.absolute(str(settings.root), request.cwd))
    reason = protection(relative, settings) if relative else None
    if reason is None:
        return EXIT_ALLOW
    return _block(f"{relative} is protected ({reason}). Agents may not edit it; {ASK_A_HUMAN}")


def _check_command(
    request: _Request, settings: Settings | None, rules: PathRules, env: Mapping[str, str],
    deadline: float,
) -> int:
    root = rules.absolute(str(settings.root if settings else request.base), request.cwd)
    variables = {name: env[name] for name in ("HOME", "TMPDIR", "OLDPWD") if name in env}
    variables |= {"CLAUDE_PROJECT_DIR": root}
    try:
        found = writes(request.value, Place(request.cwd, root, rules, variables, deadline))
    except TooComplex as error:
        return _block(f"the command is too complex to check ({error}); run it in smaller "
                      "steps")
    if settings is None:  # reads stay possible, so the agent can see what is wrong
        return _block("the agentrails configuration is invalid (see above); commands that "
                      "write files are blocked") if found else EXIT_ALLOW
    for write in found:
        if time.monotonic() > deadline:
            return _block("the command is too complex to check (it takes too long to read); "
                          "run it in smaller steps")
        reason = pattern_protection(write.pattern, write.recursive, settings, write.on_disk)
        if reason is not None:
            return _block(_refusal(write, reason))
    return EXIT_ALLOW


def _refusal(write: Write, reason: str) -> str:
    shown = _one_line((write.pattern if has_glob(write.pattern) else unescape(write.pattern))
                      or ".")
    under = " and everything under it" if write.recursive else ""
    return (f"`{_one_line(write.via)}` would write {shown}{under}, which is protected "
            f"({reason}). Agents may not change it, from the shell either; {ASK_A_HUMAN}")


def _one_line(text: str) -> str:
    flat = text.encode("unicode_escape").decode("ascii") if not text.isprintable() else text
    return flat if len(flat) <= _LONGEST_SHOWN else flat[:_LONGEST_SHOWN] + "..."


def _block(message: str) -> int:
    print(f"agentrails hook {NAME}: {message}", file=sys.stderr)
    return EXIT_BLOCK
