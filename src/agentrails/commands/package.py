"""``agentrails package new NAME``: add ``packages/NAME/`` to a monorepo, with its own
AGENTS.md and a configuration that extends the repository's; in a uv workspace also its
``pyproject.toml``, ``src/`` and ``tests/``. The files come from the same text the template
renders for its first package (``agentrails/scaffold/package``), and the package gets its
row in the root's AGENTS.md and CODEOWNERS."""

from __future__ import annotations

import argparse
import keyword
import os
import re
from pathlib import Path

from agentrails.commands.package_files import (
    PACKAGES,
    is_workspace,
    project_facts,
    scaffold_files,
)
from agentrails.commands.package_registry import register
from agentrails.engine.config.settings import Settings
from agentrails.hooks.project import EXIT_USAGE, fail, load_project

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
"""A package folder's name, as the template's ``package_name`` question accepts it."""
OWNER = re.compile(r"^(@[A-Za-z0-9](?:[A-Za-z0-9-]*)(?:/[A-Za-z0-9._-]+)?|[^@\s]+@[^@\s]+)$")
"""A code owner as CODEOWNERS writes one: @user, @org/team or an e-mail address."""


def repository_config(settings: Settings) -> Path | None:
    """The repository's configuration: the outermost file of the ``extend`` chain whose
    folder holds the current project (from inside a package, the root's)."""
    root = settings.root.resolve()
    holding = [layer for layer in settings.layers if root.is_relative_to(layer.parent)]
    return min(holding, key=lambda layer: len(layer.parts)) if holding else None


def module_name(name: str) -> str:
    """The Python module of package ``name``: its name with ``-`` as ``_``."""
    return name.replace("-", "_")


def _name_problem(name: str, workspace: bool) -> str | None:
    if not NAME.match(name):
        return (f"package name {name!r} must be lowercase letters, digits, '-' or '_', "
                "starting with a letter or digit")
    if workspace and (not name[0].isalpha() or keyword.iskeyword(module_name(name))):
        return (f"package name {name!r} cannot name a Python module: start it with a "
                "letter and avoid Python keywords")
    return None


def run(args: argparse.Namespace) -> int:
    """Create ``packages/NAME/`` below the repository root; never overwrite anything."""
    name, owner = args.name, getattr(args, "owner", None)
    if owner is not None and not OWNER.match(owner):
        return fail(f"owner {owner!r} is not a code owner: use @user, @org/team or an e-mail")
    found = _repository(name)
    if isinstance(found, int):
        return found
    root, config, workspace = found
    target = root / PACKAGES / name
    shown = f"{PACKAGES}/{name}/"
    if target.exists() or target.is_symlink():
        return fail(f"{shown} already exists in {root}; nothing written")
    values = {**project_facts(root, workspace), "package_name": name,
              "package_module": module_name(name),
              "root_config": Path(os.path.relpath(config, target)).as_posix()}
    files = scaffold_files(values, workspace, with_claude=(root / "CLAUDE.md").is_file())
    try:
        _write(target, files)
    except OSError as error:
        return fail(f"cannot create {shown}: {error.strerror or error}")
    print(f"Created {shown}: {', '.join(files)}")
    for note in register(root, name, owner):
        print(note)
    if workspace:
        print("Then `uv sync --all-packages` (it adds the member to uv.lock), and commit the "
              "package with uv.lock.")
    return 0


def _repository(name: str) -> tuple[Path, Path, bool] | int:
    """The repository's root, its configuration and whether it is a uv workspace, or the
    exit code after saying why the package cannot be made there."""
    if not NAME.match(name):
        return fail(_name_problem(name, False) or "")
    settings = load_project()
    if settings is None:
        return EXIT_USAGE
    config = repository_config(settings)
    if config is None:
        return fail(f"no agentrails configuration found above {Path.cwd()}: run it in a "
                    "repository made from the template")
    workspace = is_workspace(config.parent)
    problem = _name_problem(name, workspace)
    return fail(problem) if problem else (config.parent, config, workspace)


def _write(target: Path, files: dict[str, str]) -> None:
    """Every file under ``target``, created exclusively (the folder is new)."""
    target.mkdir(parents=True)
    for relative, text in files.items():
        path = target / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "x", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
