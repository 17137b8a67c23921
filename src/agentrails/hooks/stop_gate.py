"""``agentrails hook stop-gate``: a Claude Code Stop hook that runs the checks on the files
the session changed (per ``git status``; the whole project outside git) and keeps the agent
working while any fail.

Findings exit 2 with the report on stderr, which Claude Code hands to the agent as the
reason to continue. When the event says ``stop_hook_active`` (the agent is already
continuing because of a stop hook), the gate lets it stop, so a finding the agent cannot
fix never loops. Input that is not a hook event exits 1: Claude Code shows the error and
lets the agent stop.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import BinaryIO

from agentrails.checks.common.git import dirty_files
from agentrails.engine.config.settings import Settings
from agentrails.hooks.checking import failing, report
from agentrails.hooks.claude_input import event_or_report, project_dir
from agentrails.hooks.invocation import agentrails_command
from agentrails.hooks.project import load_project

NAME = "stop-gate"
EXIT_STOP, EXIT_ERROR, EXIT_CONTINUE = 0, 1, 2


def main(stdin: BinaryIO | None = None, environ: dict[str, str] | None = None) -> int:
    """Read one Stop event; exit 0 to let the agent stop, 2 to keep it working."""
    event = event_or_report(NAME, stdin)
    if event is None:
        return EXIT_ERROR
    if event.get("stop_hook_active") is True:
        return EXIT_STOP
    settings = load_project(Path(project_dir(event, environ)))
    if settings is None:
        return _continue("the agentrails configuration is invalid (see above); fix it first.")
    changed = dirty_files(settings.root)
    if changed is not None and not changed:
        return EXIT_STOP
    return _gate(settings, changed)


def _gate(settings: Settings, changed: list[str] | None) -> int:
    """Check the changed files (all files when ``changed`` is None)."""
    given = [settings.root / path for path in changed] if changed is not None else []
    verdict = failing(settings, given)
    if isinstance(verdict, str):
        return _continue(verdict)
    if not verdict.errors:
        return EXIT_STOP
    command = agentrails_command(settings.root)
    return _continue("the checks fail on the files you changed; fix these before you stop "
                     f"(run `{command} check` to see them again):\n"
                     f"{report(verdict, command)}")


def _continue(message: str) -> int:
    print(f"agentrails hook {NAME}: {message}", file=sys.stderr)
    return EXIT_CONTINUE
