"""Paths as the engine writes them: ``/`` separators, relative to the project root, on every
operating system; and the path a text report shows, relative to the current directory."""

from __future__ import annotations

import os
from pathlib import Path, PurePath

BACKSLASH_IS_SEPARATOR = os.sep == "\\" or os.altsep == "\\"
"""True on Windows, where ``\\`` separates folders; elsewhere it is a character of a name."""


def posix(path: str | PurePath) -> str:
    """``path`` with ``/`` separators: a pure path by its own flavour (``PureWindowsPath``
    gives ``src/app.py`` on any system), a string by this system's separators."""
    if isinstance(path, PurePath):
        return path.as_posix()
    if BACKSLASH_IS_SEPARATOR and "\\" in path:
        return path.replace("\\", "/")
    return path


def posix_glob(glob: str) -> str:
    """A configured glob with ``/`` separators. On Windows a ``\\`` in a glob is a folder
    separator (``src\\api\\**``); elsewhere it keeps gitignore's meaning, an escape."""
    return glob.replace("\\", "/") if BACKSLASH_IS_SEPARATOR else glob


def shown(path: str, root: Path, cwd: Path) -> str:
    """How a text report names ``path`` (relative to ``root``), as ruff does: relative to
    ``cwd`` when the file lies below it, else absolute. Unchanged when ``cwd`` is the root."""
    if root == cwd:
        return path
    full = root / path
    try:
        return full.relative_to(cwd).as_posix()
    except ValueError:
        return os.fspath(full)
