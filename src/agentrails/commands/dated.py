"""Dated documents the commands create (session handoffs, migration plans): a slug checked,
a file written from its folder's template, never over an existing one."""

from __future__ import annotations

from pathlib import Path

from agentrails.checks.common.naming import SLUG
from agentrails.checks.common.paths import dir_prefix
from agentrails.commands.common import project_settings
from agentrails.errors import UsageError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentrails.engine.config.settings import Settings

TEMPLATE_NAMES = ("TEMPLATE.md", "_template.md")


def placed(slug: str, *, example: str, family: str, stamp: str) -> tuple[Settings, str]:
    """The project's settings and the new document's path, ``DIR/STAMP-SLUG.md`` in the
    folder the ``family``'s ``dir`` option names; UsageError unless ``slug`` is lowercase
    words joined by hyphens (as ``example``)."""
    if not SLUG.match(slug):
        raise UsageError(f"slug {slug!r} must be lowercase words joined by hyphens ({example})")
    settings = project_settings()
    prefix = dir_prefix(settings.families[family]["dir"])
    return settings, f"{prefix}{stamp}-{slug}.md"


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


def create(root: Path, relative: str, *, values: dict[str, str], built_in: str) -> None:
    """Write ``relative`` from its folder's template (or ``built_in``), filled with
    ``values``; UsageError when it exists already (nothing is overwritten) or cannot be
    written."""
    path = root / relative
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = fill(template_text(path.parent, built_in), values)
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise UsageError(f"{relative} already exists") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"cannot create {relative}: {error}") from None
