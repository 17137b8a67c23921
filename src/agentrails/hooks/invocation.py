"""How the project runs agentrails, so that a hook's message names a command that works in
a clean shell: ``uv run agentrails`` in a uv project (the tool lives in its ``.venv``), plain
``agentrails`` otherwise (installed, or in an activated virtual environment)."""

from __future__ import annotations

from pathlib import Path

UV_LOCK = "uv.lock"


def agentrails_command(root: Path) -> str:
    """``uv run agentrails`` when ``root`` or a folder above it (a uv workspace) holds a
    ``uv.lock``, else ``agentrails``."""
    for folder in (root, *root.parents):
        if (folder / UV_LOCK).is_file():
            return "uv run agentrails"
        if (folder / ".git").exists():
            break  # the repository's top: a lock file above it belongs to another project
    return "agentrails"
