"""The files of a new monorepo package, from the scaffold the template also renders
(``agentrails/scaffold/package``), and the facts of the repository they are filled with."""

from __future__ import annotations

import re
import tomllib
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

PACKAGES = "packages"
SCAFFOLD_FILES = ("AGENTS.md", "agentrails.toml", "CLAUDE.md")
"""The files every package gets (CLAUDE.md only when the root has one)."""
WORKSPACE_FILES = {
    "AGENTS.md": "workspace/AGENTS.md",
    "pyproject.toml": "workspace/pyproject.toml",
    "src/{module}/__init__.py": "workspace/__init__.py",
    "src/{module}/py.typed": None,
    "tests/test_{module}.py": "workspace/test_module.py",
}
"""A workspace member's files (by destination) and the scaffold each comes from; None is
an empty file."""
ANSWERS = ".copier-answers.yml"
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")


def scaffold_text(name: str) -> str:
    """The text of scaffold file ``name`` (shipped in the package, included by the template)."""
    folder = resources.files("agentrails") / "scaffold" / "package"
    return (folder / f"{name}.jinja").read_text(encoding="utf-8")


def fill(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{{ key }}`` replaced; any other template syntax is an error
    (the same file must render alike here and under copier's Jinja)."""
    if "{%" in text or "{#" in text:
        raise ValueError("scaffold files take no template statements or comments")

    def value(match: re.Match[str]) -> str:
        return values[match.group(1)]

    return _PLACEHOLDER.sub(value, text)


def scaffold_files(values: dict[str, str], workspace: bool, with_claude: bool) -> dict[str, str]:
    """Path in the package (``/``-separated) -> text of every file it gets."""
    names = [n for n in SCAFFOLD_FILES if n != "CLAUDE.md" or with_claude]
    files = {n: fill(scaffold_text(n), values) for n in names}
    if workspace:
        for destination, source in WORKSPACE_FILES.items():
            path = destination.format(module=values["package_module"])
            files[path] = fill(scaffold_text(source), values) if source else ""
    return files


def _toml(path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return {}


def is_workspace(root: Path) -> bool:
    """True when the root's pyproject.toml declares a uv workspace."""
    tool = _toml(root / "pyproject.toml").get("tool", {})
    return isinstance(tool, dict) and isinstance(tool.get("uv", {}).get("workspace"), dict)


def _answers(root: Path) -> dict[str, Any]:
    """The template answers the repository was made with (empty when unreadable)."""
    try:
        data = yaml.safe_load((root / ANSWERS).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return data if isinstance(data, dict) else {}


def project_facts(root: Path, workspace: bool) -> dict[str, str]:
    """What the scaffold needs of the repository: how it runs agentrails and, in a
    workspace, the root's ``requires-python``."""
    uv = workspace or _answers(root).get("package_manager") == "uv"
    project = _toml(root / "pyproject.toml").get("project", {})
    requires = project.get("requires-python") if isinstance(project, dict) else None
    return {"agentrails_cli": "uv run agentrails" if uv else "agentrails",
            "requires_python": requires if isinstance(requires, str) else ">=3.11"}
