"""The project as the dead-code join sees it: library or application, and which modules
are published, public, tests, or Sphinx configuration.

A library's public names in its public modules are its API: nobody in the project has to
use them. Whether the project is a library is the ``application`` option, which defaults
from whether the project publishes a distribution (a ``[project]`` or ``[tool.poetry]``
table in ``pyproject.toml``, a ``setup.py`` or a ``setup.cfg``). A module is published when
it is not a test module (``test_*.py``, ``*_test.py``, ``conftest.py``, in a ``tests``
folder), not below a top-level folder of tests, docs, examples, benchmarks or scripts, and
not a file at the root (``setup.py``, ``noxfile.py``); it is public when no part of its path
below ``src/`` starts with an underscore (``__init__.py`` aside).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from agentrails.engine.config.tomlfile import TomlError, read_toml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

UNPUBLISHED_FOLDERS = frozenset({
    "tests", "test", "testing", "docs", "doc", "examples", "example", "benchmarks", "bench",
    "scripts", "tools", "tasks",
})
"""Top-level folders that hold no part of a distribution; a ``tests`` folder is tests
wherever it is (``pkg/core/tests/``), but a package's ``test`` module or folder may be its
public testing API (``django.test``)."""
DOC_INDEXES = ("index.rst", "index.md", "index.txt", "contents.rst")


class Layout:
    """What the join asks about the project and its modules."""

    def __init__(self, root: str, paths: Iterable[str], *, application: bool | None):
        self.paths = frozenset(paths)
        pyproject = _read_pyproject(root)
        if application is None:
            application = not (publishes(root, pyproject) or _distribution_files(self.paths))
        self.library = not application
        self.entry_points = _entry_references(root, pyproject)
        self._api: dict[str, bool] = {}

    @staticmethod
    def published(path: str) -> bool:
        """Part of what the project ships (see ``published``)."""
        return published(path)

    def api(self, path: str) -> bool:
        """A public module of a library: its public names are API."""
        known = self._api.get(path)
        if known is None:
            known = self._api[path] = self._is_api(path)
        return known

    def _is_api(self, path: str) -> bool:
        return self.library and published(path) and public_module(path)

    def sphinx_conf(self, path: str) -> bool:
        """A ``conf.py`` that Sphinx reads (beside an index document, or in docs/)."""
        folder, _, name = path.rpartition("/")
        if name != "conf.py":
            return False
        if folder.rpartition("/")[2] in ("doc", "docs", "source"):
            return True
        return any(f"{folder}/{index}".lstrip("/") in self.paths for index in DOC_INDEXES)


def module_path(path: str) -> str:
    """The module a file is, as a ``/``-separated path without ``.py`` (a package's
    ``__init__.py`` is its folder)."""
    stem = path[:-3] if path.endswith(".py") else path
    return stem[: -len("/__init__")] if stem.endswith("/__init__") else stem


def published(path: str) -> bool:
    """Part of what a project ships: not a test module, not below a top-level folder of
    tests, docs or tools, not a file at the root."""
    parts = path.split("/")
    name = parts[-1]
    if len(parts) == 1 or name.startswith("test_") or name.endswith("_test.py"):
        return False
    return (name != "conftest.py" and parts[0] not in UNPUBLISHED_FOLDERS
            and "tests" not in parts[:-1])


def public_module(path: str) -> bool:
    """No part of the module's path below ``src/`` starts with an underscore (but
    ``__init__``), and it is not a ``__main__``."""
    parts = path.split("/")
    if parts[0] == "src":
        parts = parts[1:]
    stem = parts[-1][:-3] if parts[-1].endswith(".py") else parts[-1]
    if stem == "__main__":
        return False
    return not any(part.startswith("_") for part in (*parts[:-1], stem) if part != "__init__")


def publishes(root: str, pyproject: dict[str, Any] | None) -> bool:
    """Whether the project builds a distribution."""
    if pyproject is not None:
        tool = pyproject.get("tool")
        if "project" in pyproject or (isinstance(tool, dict) and "poetry" in tool):
            return True
    return any(os.path.isfile(os.path.join(root, name)) for name in ("setup.py", "setup.cfg"))


def _distribution_files(paths: frozenset[str]) -> bool:
    """An unpacked sdist (``PKG-INFO``) or wheel (``*.dist-info/METADATA``) at the root."""
    return "PKG-INFO" in paths or any(
        path.endswith(".dist-info/METADATA") and path.count("/") == 1 for path in paths)


def _read_pyproject(root: str) -> dict[str, Any] | None:
    try:
        return read_toml(Path(root) / "pyproject.toml")
    except (OSError, UnicodeDecodeError, TomlError):
        return None


def _entry_references(root: str, pyproject: dict[str, Any] | None) -> frozenset[str]:
    """``module:name`` of every object an entry point names (pyproject.toml, setup.cfg)."""
    from agentrails.checks.deadcode.scan.typestrings import references_in
    from agentrails.checks.deadcode.vulture.smart import entry_point_tables

    found: set[str] = set()
    for table in entry_point_tables(pyproject or {}):
        for value in table.values():
            if isinstance(value, dict):
                value = value.get("callable") or value.get("reference")
            if isinstance(value, str):
                found.update(f"{module}:{name}" for module, name in references_in(value))
    try:
        text = Path(root, "setup.cfg").read_text(encoding="utf-8", errors="replace")
    except OSError:
        text = ""
    found.update(f"{module}:{name}" for module, name in references_in(text))
    return frozenset(found)
