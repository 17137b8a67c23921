"""Names shared by the dated-document folders (handoffs, migrations): the slug a command
accepts, and the files in such a folder that are not documents."""

from __future__ import annotations

import re

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def is_exempt(name: str) -> bool:
    """README.md and names starting with ``_`` or ``TEMPLATE`` are not documents (templates,
    folder notes); neither are hidden files."""
    return (name.lower() == "readme.md" or name.startswith(("_", "."))
            or name.upper().startswith("TEMPLATE"))
