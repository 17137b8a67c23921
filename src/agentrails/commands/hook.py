"""``agentrails hook NAME``: run an agent hook; it reads its event on stdin."""

from __future__ import annotations

import argparse
from importlib import import_module

from agentrails.hooks.project import fail

HOOKS = {
    "check-edit": "agentrails.hooks.check_edit",
    "guard-paths": "agentrails.hooks.guard_paths",
    "session-start": "agentrails.hooks.session_start",
    "stop-gate": "agentrails.hooks.stop_gate",
}


def run(args: argparse.Namespace) -> int:
    """Dispatch to the named hook's ``main``."""
    module = HOOKS.get(args.name)
    if module is None:
        return fail(f"unknown hook {args.name!r} (known: {', '.join(sorted(HOOKS))})")
    return import_module(module).main()
