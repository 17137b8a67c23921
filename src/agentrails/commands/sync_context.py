"""``agentrails sync-context [--write]``: check or regenerate the instruction shims that
``[tool.agentrails.context] shims`` lists from the canonical context file."""

from __future__ import annotations

import argparse

from agentrails.checks.context.shims import drift, render_shim
from agentrails.commands.common import EXIT_CLEAN, EXIT_FINDINGS, project_settings
from agentrails.errors import UsageError


def run(args: argparse.Namespace) -> int:
    """Exit 0 when every shim is current (or was rewritten), 1 when one is stale."""
    settings = project_settings()
    options = settings.families["context"]
    canonical, shims = options["canonical"], options["shims"]
    root = str(settings.root)
    if not shims:
        print("no shims configured ([tool.agentrails.context] shims)")
        return EXIT_CLEAN
    if render_shim(root, canonical, "markdown") is None:
        raise UsageError(f"cannot read the canonical file {canonical}")
    stale = drift(root, canonical, shims)
    if not stale:
        print(f"{len(shims)} shim(s) match {canonical}")
        return EXIT_CLEAN
    if not args.write:
        for path, _, reason in stale:
            print(f"{path} {reason}: run `agentrails sync-context --write`")
        return EXIT_FINDINGS
    for path, _, _ in stale:
        target = settings.root / path
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(render_shim(root, canonical, shims[path]) or "", encoding="utf-8")
        except OSError as error:
            raise UsageError(f"cannot write {path}: {error}") from None
        print(f"wrote {path}")
    return EXIT_CLEAN
