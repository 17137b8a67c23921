"""``agentrails package new NAME``: add ``packages/NAME/`` to a monorepo, with its own
AGENTS.md and a configuration that extends the repository's. The files come from the same
text the template renders for its first package (``agentrails/scaffold/package``)."""

from __future__ import annotations

import argparse
import os
import re
from importlib import resources
from pathlib import Path

from agentrails.engine.config.settings import Settings
from agentrails.hooks.project import EXIT_USAGE, fail, load_project

PACKAGES = "packages"
NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,49}$")
"""A package folder's name, as the template's ``package_name`` question accepts it."""
_PLACEHOLDER = re.compile(r"\{\{\s*(\w+)\s*\}\}")
SCAFFOLD_FILES = ("AGENTS.md", "agentrails.toml", "CLAUDE.md")


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


def repository_config(settings: Settings) -> Path | None:
    """The repository's configuration: the outermost file of the ``extend`` chain whose
    folder holds the current project (from inside a package, the root's)."""
    root = settings.root.resolve()
    holding = [layer for layer in settings.layers if root.is_relative_to(layer.parent)]
    return min(holding, key=lambda layer: len(layer.parts)) if holding else None


def files_for(name: str, config: Path, target: Path) -> dict[str, str]:
    """File name -> text of the new package: AGENTS.md, agentrails.toml, and CLAUDE.md
    when the repository has one at its root."""
    values = {"package_name": name,
              "root_config": Path(os.path.relpath(config, target)).as_posix()}
    names = [n for n in SCAFFOLD_FILES if n != "CLAUDE.md" or (config.parent / n).is_file()]
    return {n: fill(scaffold_text(n), values) for n in names}


def run(args: argparse.Namespace) -> int:
    """Create ``packages/NAME/`` below the repository root; never overwrite anything."""
    name = args.name
    if not NAME.match(name):
        return fail(f"package name {name!r} must be lowercase letters, digits, '-' or '_', "
                    "starting with a letter or digit")
    settings = load_project()
    if settings is None:
        return EXIT_USAGE
    config = repository_config(settings)
    if config is None:
        return fail(f"no agentrails configuration found above {Path.cwd()}: run it in a "
                    "repository made from the template")
    target = config.parent / PACKAGES / name
    shown = f"{PACKAGES}/{name}/"
    if target.exists() or target.is_symlink():
        return fail(f"{shown} already exists in {config.parent}; nothing written")
    files = files_for(name, config, target)
    try:
        target.mkdir(parents=True)
        for file_name, text in files.items():
            with open(target / file_name, "x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except OSError as error:
        return fail(f"cannot create {shown}: {error.strerror or error}")
    print(f"Created {shown}: {', '.join(files)}")
    return 0
