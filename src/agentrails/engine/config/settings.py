"""Find, read and validate configuration: ``[tool.agentrails]`` or ``agentrails.toml``,
and the files its ``extend`` names (the extended file's settings first, this file's on top)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

from agentrails.engine.config.files import (
    CONFIG_NAMES,
    ConfigError,
    Layer,
    find_config,
    key_prefix,
    read_chain,
    read_table,
)
from agentrails.engine.globs import GlobSet, unclosed_class
from agentrails.engine.protocol import GLOB_KEYS, GLOB_LIST, GLOB_VALUES, Family, Option
from agentrails.engine.rebase import relocate
from agentrails.engine.record import Record
from agentrails.engine.validators import integer, mapping_of, shown, string, string_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CONFIG_NAMES", "DEFAULT_EXCLUDE", "ConfigError", "Settings", "build_settings",
           "find_config", "load_file", "load_settings", "settings_for"]

DEFAULT_EXCLUDE = [
    ".git/", ".hg/", ".svn/", ".venv/", "venv/", "node_modules/", "__pycache__/",
    ".agentrails_cache/", ".mypy_cache/", ".ruff_cache/", ".pytest_cache/", ".tox/", ".nox/",
    "*.egg-info/", "/build/", "/dist/",
]

TOP_LEVEL: dict[str, Option] = {
    "select": Option(None, string_list, "rule codes or prefixes to run (default: all)"),
    "ignore": Option([], string_list, "rule codes or prefixes to skip"),
    "per-file-ignores": Option(
        {}, mapping_of(string_list), "glob -> codes to skip there", GLOB_KEYS
    ),
    "exclude": Option(
        [], string_list, "globs of files never checked (added to defaults)", GLOB_LIST
    ),
    "cache-dir": Option(".agentrails_cache", string, "where the content-hash cache lives"),
    "lanes": Option(
        {}, mapping_of(string_list), "lane name -> globs of the paths it owns (AR703)",
        GLOB_VALUES,
    ),
    "seams": Option(
        [], string_list, "globs of files one change at a time may touch (AR704)", GLOB_LIST
    ),
    "extend": Option(
        None, string,
        "another configuration file whose settings this one starts from (relative to this file)",
    ),
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


class Settings(Record):
    """Validated configuration for one project root.

    ``layers`` are the configuration files it was built from, the extended ones first."""

    __slots__ = ("root", "source", "top", "families", "layers")

    def __init__(self, root: Path, source: Path | None, top: dict[str, Any],
                 families: dict[str, dict[str, Any]] | None = None,
                 layers: tuple[Path, ...] = ()):
        self.root = root
        self.source = source
        self.top = top
        self.families = {} if families is None else families
        self.layers = layers

    @property
    def exclude(self) -> list[str]:
        """Default excludes plus the configured ones."""
        return DEFAULT_EXCLUDE + self.top["exclude"]

    def cache_dir(self) -> Path:
        """The cache directory, relative paths taken from the project root."""
        return self.root / self.top["cache-dir"]

    @property
    def enclosing(self) -> tuple[str, ...]:
        """Folders above the root whose configuration this one extends, outermost first."""
        root = self.root.resolve()
        above = {layer.parent for layer in self.layers if root.is_relative_to(layer.parent)}
        return tuple(str(folder) for folder in sorted(above - {root}, key=lambda p: len(p.parts)))


def load_file(path: Path, families: Iterable[Family]) -> Settings:
    """Settings from one named file; its directory is the project root."""
    path = path.resolve()
    if not path.is_file():
        raise ConfigError(f"{path}: no such configuration file")
    return settings_for(path.parent, path, read_table(path) or {}, families)


def load_settings(start: Path, families: Iterable[Family]) -> Settings:
    """Find and validate the configuration that governs ``start``."""
    root, source, raw = find_config(start)
    return settings_for(root, source, raw, families)


def settings_for(
    root: Path, source: Path | None, raw: dict[str, Any], families: Iterable[Family]
) -> Settings:
    """Settings for ``root`` from ``source`` and the files its ``extend`` chain names."""
    if source is None:
        return build_settings(root, None, raw, families)
    return build_layered(root, read_chain(source, raw), families)


def build_settings(
    root: Path, source: Path | None, raw: Mapping[str, Any], families: Iterable[Family]
) -> Settings:
    """Validate one raw table (``extend`` not followed) against the top-level options and
    every family's section."""
    return build_layered(root, [Layer(source, dict(raw))], families)


def build_layered(root: Path, layers: Sequence[Layer], families: Iterable[Family]) -> Settings:
    """Validate each layer (errors name its file), move its globs to ``root``, and let
    later layers override earlier ones key by key (a family's keys one by one)."""
    merged = _Merged(root, tuple(families))
    for layer in layers:
        merged.add(layer)
    return Settings(
        root=root, source=layers[-1].source if layers else None,
        top=_with_defaults(TOP_LEVEL, merged.top),
        families={family.name: _with_defaults(family.options, merged.by_family[family.name])
                  for family in merged.sections.values()},
        layers=tuple(layer.source for layer in layers if layer.source is not None),
    )


class _Merged:
    """The explicitly set values of the layers added so far, globs moved to ``root``."""

    def __init__(self, root: Path, families: tuple[Family, ...]):
        self.root = root
        self.sections = {family.section: family for family in families if family.section}
        self.codes = {rule.code for family in families for rule in family.rules}
        self.top: dict[str, Any] = {}
        self.by_family: dict[str, dict[str, Any]] = {f.name: {} for f in self.sections.values()}

    def add(self, layer: Layer) -> None:
        """Validate ``layer`` and put its values over the earlier ones."""
        where = str(layer.source) if layer.source else "<defaults>"
        prefix = key_prefix(layer.source)
        origin = layer.source.parent if layer.source is not None else self.root
        plain = {k: v for k, v in layer.raw.items() if k not in self.sections}
        explicit = _validate(TOP_LEVEL, plain, prefix, where)
        _check_selectors(explicit, self.codes, prefix, where)
        self.top.update(_relocated(TOP_LEVEL, explicit, origin, self.root))
        for section, family in self.sections.items():
            values = _validate_section(section, family, layer.raw, prefix, where)
            moved = _relocated(family.options, values, origin, self.root)
            self.by_family[family.name].update(moved)


def _validate_section(
    section: str, family: Family, raw: Mapping[str, Any], prefix: str, where: str
) -> dict[str, Any]:
    """A family's explicitly set options, validated."""
    table = raw.get(section, {})
    if not isinstance(table, dict):
        raise ConfigError(f"{where}: {prefix}{section}: expected a table, got {table!r}")
    return _validate(family.options, table, f"{prefix}{section}.", where)


def _relocated(
    options: Mapping[str, Option], values: Mapping[str, Any], origin: Path, root: Path
) -> dict[str, Any]:
    """``values`` with the globs of glob-holding options moved from ``origin`` to ``root``."""
    if origin == root:
        return dict(values)
    moved = {}
    for key, value in values.items():
        kind = options[key].globs
        moved[key] = _moved(kind, value, origin, root) if value is not None else value
    return moved


def _check_globs(kind: str, value: Any) -> None:
    """ValueError naming the first glob neither translation nor pathspec can compile."""
    if not kind or value is None:
        return
    globs = list(value) if kind in (GLOB_LIST, GLOB_KEYS) else [
        glob for item in value.values() for glob in item]
    bad = next((glob for glob in globs if unclosed_class(glob)), None)
    if bad is not None:
        raise ValueError(f"invalid glob {shown(bad)}: a '[' that no ']' closes (write '\\[' "
                         "for a literal bracket)")
    GlobSet(globs)


def _moved(kind: str, value: Any, origin: Path, root: Path) -> Any:
    if kind == GLOB_LIST:
        return [glob for item in value for glob in relocate(item, origin, root)]
    if kind == GLOB_VALUES:
        return {key: _moved(GLOB_LIST, globs, origin, root) for key, globs in value.items()}
    if kind == GLOB_KEYS:
        table: dict[str, Any] = {}
        for key, item in value.items():
            for glob in relocate(key, origin, root):
                table.pop(glob, None)  # re-inserted last: the last matching glob wins
                table[glob] = item
        return table
    return value


def _with_defaults(options: Mapping[str, Option], values: Mapping[str, Any]) -> dict[str, Any]:
    return {key: values.get(key, option.default)
            for key, option in options.items()}


def _check_selectors(top: Mapping[str, Any], codes: set[str], prefix: str, where: str) -> None:
    """Each code or prefix in select, ignore and per-file-ignores must name a rule."""
    lists = [(key, top.get(key) or []) for key in ("select", "ignore", "warn")]
    lists += [(f"per-file-ignores.{glob!r}", v)
              for glob, v in top.get("per-file-ignores", {}).items()]
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
            continue
        try:
            clean[key] = option.validate(table[key])
            _check_globs(option.globs, clean[key])
        except (ValueError, TypeError) as error:
            raise ConfigError(f"{where}: {prefix}{key}: {error}") from None
    return clean
