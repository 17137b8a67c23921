"""``agentrails handoff new SLUG``: start a session handoff and list it in SESSIONS.md."""

from __future__ import annotations

import argparse
from datetime import datetime

from agentrails.commands.common import EXIT_CLEAN
from agentrails.commands.dated import create, placed
from agentrails.commands.sessions import write_index
from agentrails.errors import UsageError

BUILT_IN = """# {date} {time} {title}

## Goal

What this session set out to do, in a sentence or two.

## Done

- What changed, with the files or commits that show it.

## Decisions

- What was decided and why; what was rejected.

## Next

- What the next session should pick up first.
"""


def run(args: argparse.Namespace) -> int:
    """Create ``handoffs/YYYY-MM-DD-HHMM-SLUG.md`` and update the index."""
    now = datetime.now()
    settings, relative = placed(args.slug, example="fix-login", family="sessions",
                                stamp=f"{now:%Y-%m-%d-%H%M}")
    values = {"date": f"{now:%Y-%m-%d}", "time": f"{now:%H:%M}", "slug": args.slug,
              "title": args.slug.replace("-", " ")}
    create(settings.root, relative, values=values, built_in=BUILT_IN)
    try:
        index = write_index(settings, extra=(relative,))
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"created {relative}, but cannot update the index: {error}") from None
    print(relative)
    if index:
        print(f"listed in {index}")
    return EXIT_CLEAN
