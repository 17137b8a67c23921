"""Find and read configuration files: ``[tool.agentrails]`` of pyproject.toml, or
``agentrails.toml``/``.agentrails.toml``, and the chain of files their ``extend`` names."""

from __future__ import annotations

from collections import namedtuple
from pathlib import Path

from agentrails.engine.config.tomlfile import TomlError, read_toml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

CONFIG_NAMES = (".agentrails.toml", "agentrails.toml", "pyproject.toml")


class ConfigError(Exception):
    """A configuration problem; the message names the key and the file."""


class Layer(namedtuple("Layer", ("source", "raw"))):
    """One configuration file of an ``extend`` chain and its raw table (``source`` None
    for a table that comes from no file)."""

    __slots__ = ()
    source: Path | None
    raw: dict[str, Any]


def find_config(start: Path) -> tuple[Path, Path | None, dict[str, Any]]:
    """Walk up from ``start`` to the nearest config; return (root, file, raw table).

    A ``pyproject.toml`` counts only if it has a ``[tool.agentrails]`` table. With no config
    anywhere, the root is the nearest directory with ``.git``, else ``start`` itself.
    """
    start = start.resolve()
    for directory in (start, *start.parents):
        found = config_in(directory)
        if found is not None:
            return directory, found[0], found[1]
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory, None, {}
    return start, None, {}


def config_in(directory: Path) -> tuple[Path, dict[str, Any]] | None:
    """The configuration file of ``directory`` and its table, by precedence, or None."""
    for name in CONFIG_NAMES:
        candidate = directory / name
        if candidate.is_file():
            table = read_table(candidate)
            if table is not None:
                return candidate, table
    return None


def read_table(path: Path) -> dict[str, Any] | None:
    """The agentrails table of ``path`` (None for a pyproject.toml without one)."""
    try:
        data = read_toml(path)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except TomlError as error:
        if error.limit:
            raise ConfigError(f"{path}: {error}") from None
        text = error.text
        merge = "\n<<<<<<< " in f"\n{text}" or "\n>>>>>>> " in f"\n{text}"
        hint = " (it holds conflict markers: finish the merge or update)" if merge else ""
        raise ConfigError(f"{path}: invalid TOML: {error}{hint}") from None
    if path.name != "pyproject.toml":
        return data
    tool = data.get("tool", {})
    table = tool.get("agentrails") if isinstance(tool, dict) else None
    if table is not None and not isinstance(table, dict):
        raise ConfigError(f"{path}: tool.agentrails must be a table")
    return table


def key_prefix(source: Path | None) -> str:
    """How keys are named in ``source``: ``tool.agentrails.`` in a pyproject.toml."""
    return "tool.agentrails." if source is not None and source.name == "pyproject.toml" else ""


def read_chain(source: Path, raw: dict[str, Any]) -> list[Layer]:
    """``source`` and every file its ``extend`` reaches, outermost (extended) first.

    ``extend`` is a path relative to the file that holds it. A file that does not exist,
    has no agentrails table, or closes a cycle is a ConfigError naming the file that
    extends it."""
    chain = [Layer(source.resolve(), raw)]
    while (extended := _extended(chain)) is not None:
        chain.append(extended)
    return chain[::-1]


def _extended(chain: list[Layer]) -> Layer | None:
    """The layer the last file of ``chain`` extends, or None when it extends nothing."""
    current = chain[-1]
    target = current.raw.get("extend")
    if target is None or current.source is None:
        return None
    where = f"{current.source}: {key_prefix(current.source)}extend"
    if not isinstance(target, str) or not target:
        raise ConfigError(f"{where}: expected a path to a configuration file, got {target!r}")
    path = (current.source.parent / target).resolve()
    seen = [layer.source for layer in chain]
    if path in seen:
        loop = " -> ".join(str(p) for p in [*seen[seen.index(path):], path])
        raise ConfigError(f"{where}: cycle: {loop}")
    if not path.is_file():
        raise ConfigError(f"{where}: {path} does not exist")
    table = read_table(path)
    if table is None:
        raise ConfigError(f"{where}: {path} has no [tool.agentrails] table")
    return Layer(path, table)
