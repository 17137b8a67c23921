"""Helpers of the toolchain tests (this module holds no tests): the agentrails wheel built from
this checkout, an environment in which uv, pip and nox install it and find this machine's
interpreters (uv never downloads one), and the names a rendered project depends on.

This version of agentrails is not on PyPI yet, so the rendered ``agentrails==X.Y.Z`` pin is
served from the local wheel (``UV_FIND_LINKS``, ``PIP_FIND_LINKS``); everything else comes
from PyPI as it would for a team.
"""

from __future__ import annotations

import os
import re
import sys
import tomllib
from pathlib import Path
from typing import Any

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from tests.helpers.template import BIN, REPO, load_yaml, run

SUPPORTED = ("3.11", "3.12", "3.13", "3.14")
SHIMS = f"{os.sep}.pyenv{os.sep}shims"
TICKED = re.compile(r"`([^`]+)`")
TABLE_COLUMN = "package or hook repo"


def build_wheel(dest: Path) -> Path:
    """``python -m build --wheel`` of this checkout into ``dest``."""
    dest.mkdir(parents=True, exist_ok=True)
    run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dest), str(REPO)], dest)
    assert list(dest.glob("agentrails-*.whl")), "no wheel was built"
    return dest


def _search_path() -> list[Path]:
    """PATH without pyenv's shims (they fail for versions not selected), then every pyenv
    version's own bin directory."""
    path = [Path(p) for p in os.environ["PATH"].split(os.pathsep) if p and SHIMS not in p]
    return path + sorted(Path.home().glob(".pyenv/versions/*/bin"))


def interpreters() -> dict[str, Path]:
    """The directory holding ``pythonX.Y`` for each supported version found here."""
    found: dict[str, Path] = {}
    for version in SUPPORTED:
        for folder in _search_path():
            candidate = folder / f"python{version}"
            if candidate.is_file() and os.access(candidate, os.X_OK):
                found[version] = folder
                break
    return found


def current_python() -> str:
    """The ``X.Y`` of the interpreter running the tests (always available)."""
    return f"{sys.version_info.major}.{sys.version_info.minor}"


def toolchain_env(wheels: Path, home: Path) -> dict[str, str]:
    """Environment variables for uv, pip, nox and pre-commit in a rendered project."""
    folders = [str(BIN), *(str(folder) for folder in interpreters().values())]
    rest = [p for p in os.environ["PATH"].split(os.pathsep) if p and SHIMS not in p]
    links = " ".join(filter(None, [str(wheels), os.environ.get("PIP_FIND_LINKS", "")]))
    return {
        "PATH": os.pathsep.join(dict.fromkeys(folders + rest)),
        "UV_PYTHON_DOWNLOADS": "never",
        "UV_FIND_LINKS": str(wheels),
        "UV_NO_PROGRESS": "1",
        "PIP_FIND_LINKS": links,
        "PIP_DISABLE_PIP_VERSION_CHECK": "1",
        "PRE_COMMIT_HOME": str(home / "pre-commit"),
        "VIRTUAL_ENV": "",
    }


def with_venv(env: dict[str, str], venv: Path) -> dict[str, str]:
    """``env`` with a virtual environment activated (its bin directory first on PATH)."""
    return {**env, "PATH": f"{venv / 'bin'}{os.pathsep}{env['PATH']}", "VIRTUAL_ENV": str(venv)}


def local_hooks_config(repo: Path, dest: Path) -> tuple[Path, list[str]]:
    """A copy of the project's pre-commit config with only its ``repo: local`` hooks (the
    ones that need no GitHub access), and their names."""
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    config["repos"] = [entry for entry in config["repos"] if entry["repo"] == "local"]
    config.pop("ci", None)
    dest.write_text(yaml.safe_dump(config), encoding="utf-8")
    return dest, [hook["name"] for entry in config["repos"] for hook in entry["hooks"]]


def requirement_names(repo: Path) -> set[str]:
    """Every distribution ``pyproject.toml`` names (build backend, dependencies, extras and
    dependency groups), canonicalised, the project itself left out."""
    data = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    project = data["project"]
    requirements = [*data["build-system"]["requires"], *project.get("dependencies", [])]
    for extra in project.get("optional-dependencies", {}).values():
        requirements += extra
    for group in data.get("dependency-groups", {}).values():
        requirements += [item for item in group if isinstance(item, str)]
    names = {canonicalize_name(Requirement(text).name) for text in requirements}
    return names - {canonicalize_name(project["name"])}


def hook_repositories(repo: Path) -> set[str]:
    """The hook repositories of the project's pre-commit config (not ``local``/``meta``)."""
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return {entry["repo"] for entry in config["repos"] if entry["repo"] not in ("local", "meta")}


def tool_stack_names(rules: str) -> set[str]:
    """The backticked names in the "package or hook repo" column of the first table under
    "## Tool stack" in RULES.md."""
    section = rules.split("\n## Tool stack\n", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    cells = [[cell.strip() for cell in row.strip("|").split("|")] for row in rows]
    column = cells[0].index(TABLE_COLUMN)
    return {name for row in cells[2:] for name in TICKED.findall(row[column])}


def step_named(workflow: Path, job: str, prefix: str) -> dict[str, Any]:
    """The first step of ``job`` whose name starts with ``prefix``."""
    steps = load_yaml(workflow)["jobs"][job]["steps"]
    return next(step for step in steps if str(step.get("name", "")).startswith(prefix))
