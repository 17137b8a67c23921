"""Find, read and validate configuration: ``[tool.agentrails]`` or ``agentrails.toml``."""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from agentrails.engine.protocol import Family, Option
from agentrails.engine.validators import integer, mapping_of, string, string_list

CONFIG_NAMES = (".agentrails.toml", "agentrails.toml", "pyproject.toml")

DEFAULT_EXCLUDE = [
    ".git/", ".hg/", ".svn/", ".venv/", "venv/", "node_modules/", "__pycache__/",
    ".agentrails_cache/", ".mypy_cache/", ".ruff_cache/", ".pytest_cache/", ".tox/", ".nox/",
    "*.egg-info/", "/build/", "/dist/",
]

TOP_LEVEL: dict[str, Option] = {
    "select": Option(None, string_list, "rule codes or prefixes to run (default: all)"),
    "ignore": Option([], string_list, "rule codes or prefixes to skip"),
    "per-file-ignores": Option({}, mapping_of(string_list), "glob -> codes to skip there"),
    "exclude": Option([], string_list, "globs of files never checked (added to defaults)"),
    "cache-dir": Option(".agentrails_cache", string, "where the content-hash cache lives"),
    "lanes": Option({}, mapping_of(string_list), "lane name -> globs of the paths it owns (AR703)"),
    "seams": Option([], string_list, "globs of files one change at a time may touch (AR704)"),
    "baseline": Option(
        None, string,
        "the baseline file (default: agentrails-baseline.json at the root, used if present)",
    ),
    "warn": Option(
        None, string_list,
        "codes or prefixes reported as warnings, never failing (default: the rules new in "
        "this release)",
    ),
    "max-depth": Option(
        500, integer(minimum=10),
        "Python files nested deeper than this are AR002 (dead code not analysed there)",
    ),
    "max-file-bytes": Option(
        10 * 1024 * 1024, integer(minimum=1), "files larger than this are not parsed (AR002)"
    ),
}


class ConfigError(Exception):
    """A configuration problem; the message names the key and the file."""


@dataclass
class Settings:
    """Validated configuration for one project root."""

    root: Path
    source: Path | None
    top: dict[str, Any]
    families: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def exclude(self) -> list[str]:
        """Default excludes plus the configured ones."""
        return DEFAULT_EXCLUDE + self.top["exclude"]

    def cache_dir(self) -> Path:
        """The cache directory, relative paths taken from the project root."""
        return self.root / self.top["cache-dir"]


def find_config(start: Path) -> tuple[Path, Path | None, dict[str, Any]]:
    """Walk up from ``start`` to the nearest config; return (root, file, raw table).

    A ``pyproject.toml`` counts only if it has a ``[tool.agentrails]`` table. With no config
    anywhere, the root is the nearest directory with ``.git``, else ``start`` itself.
    """
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in CONFIG_NAMES:
            candidate = directory / name
            if not candidate.is_file():
                continue
            table = _read_table(candidate)
            if table is not None:
                return directory, candidate, table
    for directory in (start, *start.parents):
        if (directory / ".git").exists():
            return directory, None, {}
    return start, None, {}


def _read_table(path: Path) -> dict[str, Any] | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
        data = tomllib.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read: {error}") from None
    except tomllib.TOMLDecodeError as error:
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


def load_file(path: Path, families: Iterable[Family]) -> Settings:
    """Settings from one named file; its directory is the project root."""
    path = path.resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return build_settings(path.parent, path, _read_table(path) or {}, families)


def load_settings(start: Path, families: Iterable[Family]) -> Settings:
    """Find and validate the configuration that governs ``start``."""
    root, source, raw = find_config(start)
    return build_settings(root, source, raw, families)


def build_settings(
    root: Path, source: Path | None, raw: Mapping[str, Any], families: Iterable[Family]
) -> Settings:
    """Validate a raw table against the top-level options and every family's section."""
    families = tuple(families)
    where = str(source) if source else "<defaults>"
    prefix = "tool.agentrails." if source and source.name == "pyproject.toml" else ""
    sections = {family.section: family for family in families if family.section}
    top = _validate(TOP_LEVEL, {k: v for k, v in raw.items() if k not in sections}, prefix, where)
    codes = {rule.code for family in families for rule in family.rules}
    _check_selectors(top, codes, prefix, where)
    settings = Settings(root=root, source=source, top=top)
    settings.families = _validate_sections(sections, raw, prefix, where)
    return settings


def _validate_sections(
    sections: Mapping[str, Family], raw: Mapping[str, Any], prefix: str, where: str
) -> dict[str, dict[str, Any]]:
    """Each family's validated options, by family name."""
    validated = {}
    for name, family in sections.items():
        table = raw.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {prefix}{name}: expected a table, got {table!r}")
        validated[family.name] = _validate(family.options, table, f"{prefix}{name}.", where)
    return validated


def _check_selectors(top: Mapping[str, Any], codes: set[str], prefix: str, where: str) -> None:
    """Each code or prefix in select, ignore and per-file-ignores must name a rule."""
    lists = [("select", top["select"] or []), ("ignore", top["ignore"]),
             ("warn", top["warn"] or [])]
    lists += [(f"per-file-ignores.{glob!r}", v) for glob, v in top["per-file-ignores"].items()]
    for key, selectors in lists:
        for selector in selectors:
            if selector != "ALL" and not any(code.startswith(selector) for code in codes):
                raise ConfigError(
                    f"{where}: {prefix}{key}: {selector!r} matches no rule (see `agentrails rules`)"
                )


def _validate(
    options: Mapping[str, Option], table: Mapping[str, Any], prefix: str, where: str
) -> dict[str, Any]:
    unknown = sorted(set(table) - set(options))
    if unknown:
        known = ", ".join(sorted(options)) or "none"
        raise ConfigError(f"{where}: unknown key {prefix}{unknown[0]} (known here: {known})")
    clean = {}
    for key, option in options.items():
        if key not in table:
            clean[key] = option.default
            continue
        try:
            clean[key] = option.validate(table[key])
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{where}: {prefix}{key}: {error}") from None
    return clean
