"""``agentrails handoff new SLUG``: start a session handoff and list it in SESSIONS.md."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from agentrails.checks.common.naming import SLUG
from agentrails.checks.common.paths import dir_prefix
from agentrails.commands.common import EXIT_CLEAN, project_settings
from agentrails.commands.sessions import write_index
from agentrails.errors import UsageError

TEMPLATE_NAMES = ("TEMPLATE.md", "_template.md")
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


def fill(template: str, values: dict[str, str]) -> str:
    """``template`` with ``{date}``, ``{time}``, ``{slug}``, ``{title}``, ``{owner}`` filled
    in; other braces are left alone."""
    for key, value in values.items():
        template = template.replace("{" + key + "}", value)
    return template


def template_text(folder: Path, built_in: str) -> str:
    """The folder's TEMPLATE.md (or _template.md), else the built-in template."""
    for name in TEMPLATE_NAMES:
        candidate = folder / name
        if candidate.is_file():
            return candidate.read_text(encoding="utf-8")
    return built_in


def create_from_template(root: Path, relative: str, *, values: dict[str, str],
                         built_in: str) -> None:
    """Write ``relative`` from its folder's template (or ``built_in``), filled with ``values``.

    Raises FileExistsError rather than overwrite anything, OSError when it cannot write."""
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    text = fill(template_text(path.parent, built_in), values)
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


def run(args: argparse.Namespace) -> int:
    """Create ``handoffs/YYYY-MM-DD-HHMM-SLUG.md`` and update the index."""
    if not SLUG.match(args.slug):
        raise UsageError(
            f"slug {args.slug!r} must be lowercase words joined by hyphens (fix-login)")
    settings = project_settings()
    now = datetime.now()
    prefix = dir_prefix(settings.families["sessions"]["dir"])
    relative = f"{prefix}{now:%Y-%m-%d-%H%M}-{args.slug}.md"
    values = {"date": f"{now:%Y-%m-%d}", "time": f"{now:%H:%M}", "slug": args.slug,
              "title": args.slug.replace("-", " ")}
    try:
        create_from_template(settings.root, relative, values=values, built_in=BUILT_IN)
        index = write_index(settings, extra=(relative,))
    except FileExistsError:
        raise UsageError(f"{relative} already exists") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot create {relative}: {error}") from None
    print(relative)
    if index:
        print(f"listed in {index}")
    return EXIT_CLEAN
