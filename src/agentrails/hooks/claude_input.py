"""Reading the JSON event Claude Code sends a hook on stdin, with clear errors for anything
else (empty input, bytes that are not UTF-8, text that is not JSON, JSON that is not an
object or holds a number too long to read), and finding the project it is about."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, BinaryIO

from agentrails.engine.discovery.files import work_tree_top
from agentrails.errors import HookError

MAX_BYTES = 16 * 1024 * 1024
"""More than this on stdin is not an event Claude Code sent."""


class HookInputError(HookError):
    """Stdin does not hold a hook event; the message says what it holds instead."""


def read_event(stream: BinaryIO, max_bytes: int = MAX_BYTES) -> dict[str, Any]:
    """The event object read from ``stream`` (more than ``max_bytes`` is refused)."""
    data = stream.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise HookInputError(f"stdin holds more than {max_bytes} bytes: not an event this "
                             "hook reads")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise HookInputError(f"stdin is not UTF-8 text (byte {error.start})") from None
    if not text.strip():
        raise HookInputError("stdin is empty: expected the JSON event Claude Code sends")
    try:
        event = json.loads(text)
    except json.JSONDecodeError as error:
        raise HookInputError(
            f"stdin is not JSON ({error.msg} at line {error.lineno}, column {error.colno})"
        ) from None
    except RecursionError:
        raise HookInputError("stdin is JSON nested too deeply to be a hook event") from None
    except ValueError as error:  # a number too long to convert, say
        raise HookInputError(f"stdin is not a usable JSON event ({error})") from None
    if not isinstance(event, dict):
        raise HookInputError(f"expected a JSON object, got {type(event).__name__}")
    return event


def event_or_report(hook: str, stdin: BinaryIO | None) -> dict[str, Any] | None:
    """The event on ``stdin`` (our stdin when None), or None once the reason it cannot be
    read is printed on stderr for the hook named ``hook``."""
    try:
        return read_event(stdin if stdin is not None else sys.stdin.buffer)
    except HookInputError as error:
        print(f"agentrails hook {hook}: cannot read the hook input: {error}", file=sys.stderr)
        return None


def project_dir(event: dict[str, Any], environ: dict[str, str] | None = None) -> str:
    """Where the project is: ``$CLAUDE_PROJECT_DIR``, else the event's ``cwd``, else ours."""
    env = os.environ if environ is None else environ
    for candidate in (env.get("CLAUDE_PROJECT_DIR"), event.get("cwd")):
        if isinstance(candidate, str) and candidate and os.path.isdir(candidate):
            return candidate
    return os.getcwd()


def guarded_root(event: dict[str, Any], environ: dict[str, str] | None = None) -> str:
    """The project guard-paths protects: ``$CLAUDE_PROJECT_DIR``; without it, the top of the
    git work tree holding the event's ``cwd`` (else ours), so a command run from a subfolder
    or a package with its own configuration is still judged by the project's policy."""
    env = os.environ if environ is None else environ
    given = env.get("CLAUDE_PROJECT_DIR")
    if isinstance(given, str) and given and os.path.isdir(given):
        return given
    start = project_dir(event, {})
    return work_tree_top(start) or start
