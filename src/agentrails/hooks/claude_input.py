"""Reading the JSON event Claude Code sends a hook on stdin, with clear errors for anything
else (empty input, bytes that are not UTF-8, text that is not JSON, JSON that is not an
object)."""

from __future__ import annotations

import json
import os
from typing import Any, BinaryIO

from agentrails.errors import HookError

MAX_BYTES = 16 * 1024 * 1024
"""More than this on stdin is not an event Claude Code sent."""


class HookInputError(HookError):
    """Stdin does not hold a hook event; the message says what it holds instead."""


def read_event(stream: BinaryIO) -> dict[str, Any]:
    """The event object read from ``stream``."""
    data = stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise HookInputError(f"stdin holds more than {MAX_BYTES} bytes: not a hook event")
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
    if not isinstance(event, dict):
        raise HookInputError(f"expected a JSON object, got {type(event).__name__}")
    return event


def project_dir(event: dict[str, Any], environ: dict[str, str] | None = None) -> str:
    """Where the project is: ``$CLAUDE_PROJECT_DIR``, else the event's ``cwd``, else ours."""
    env = os.environ if environ is None else environ
    for candidate in (env.get("CLAUDE_PROJECT_DIR"), event.get("cwd")):
        if isinstance(candidate, str) and candidate and os.path.isdir(candidate):
            return candidate
    return os.getcwd()
