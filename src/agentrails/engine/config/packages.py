"""The packages of a monorepo as the root sees them: folders below the project root with a
configuration file of their own, and what each contributes to a rule's context."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from agentrails.engine.config.files import CONFIG_NAMES, config_in
from agentrails.engine.config.settings import Settings, settings_for
from agentrails.engine.protocol import Family, PackageScope


def nested_settings(
    root: Path, files: Iterable[str], families: Sequence[Family]
) -> dict[str, Settings]:
    """Folder (relative to ``root``, outermost first) -> the settings of its own
    configuration, for every folder below the root where a discovered file is one (a
    pyproject.toml without ``[tool.agentrails]`` does not count). Its ``extend`` chain is
    followed as when the package is checked itself, but its globs are moved to ``root``
    (so they match the paths a check of the whole project sees)."""
    folders = sorted({
        folder for folder, _, name in (path.rpartition("/") for path in files)
        if folder and name in CONFIG_NAMES
    })
    found = {}
    for folder in folders:
        directory = root / folder
        config = config_in(directory)
        if config is not None:
            found[folder] = settings_for(root, config[0], config[1], families)
    return found


def scopes_for(family: Family, packages: Mapping[str, Settings]) -> tuple[PackageScope, ...]:
    """Each package's options for ``family`` and its top-level settings (globs relative to
    the project root), innermost last."""
    return tuple(
        PackageScope(folder, settings.families.get(family.name, {}), settings.top)
        for folder, settings in sorted(packages.items())
    )
