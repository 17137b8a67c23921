"""``agentrails sessions [--write]``: check or rewrite the SESSIONS.md index of handoffs."""

from __future__ import annotations

import argparse

from agentrails.checks.common.paths import dir_prefix
from agentrails.checks.sessions.index import expected_entries, render_index
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.files import discover
from agentrails.hooks.project import EXIT_USAGE, fail, load_project

EXIT_CLEAN, EXIT_STALE = 0, 1


def wanted_index(settings: Settings, extra: tuple[str, ...] = ()) -> tuple[str, str | None, str]:
    """(index path, its current text or None, the text it should have)."""
    options = settings.families["sessions"]
    prefix = dir_prefix(options["dir"])
    index = options["index"]
    files = set(discover(settings.root, settings.exclude)) | set(extra)
    entries = expected_entries(files, prefix)
    try:
        current: str | None = (settings.root / index).read_text(encoding="utf-8")
    except FileNotFoundError:
        current = None
    if current is None and not entries:
        return index, None, ""
    return index, current, render_index(current, index, entries, prefix)


def write_index(settings: Settings, extra: tuple[str, ...] = ()) -> str | None:
    """Rewrite the index if it is out of date; the path written, else None."""
    index, current, wanted = wanted_index(settings, extra)
    if wanted == (current or ""):
        return None
    path = settings.root / index
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(wanted, encoding="utf-8")
    return index


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the index is current (or was rewritten), 1 when it is stale."""
    settings = load_project()
    if settings is None:
        return EXIT_USAGE
    try:
        index, current, wanted = wanted_index(settings)
        if wanted == (current or ""):
            print(f"{index} lists every handoff")
            return EXIT_CLEAN
        if args.write:
            write_index(settings)
            print(f"wrote {index}")
            return EXIT_CLEAN
    except (OSError, UnicodeDecodeError) as error:
        return fail(f"cannot update the index: {error}")
    print(f"{index} is out of date: run `agentrails sessions --write`")
    return EXIT_STALE
