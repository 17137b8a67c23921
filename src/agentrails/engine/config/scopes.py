"""Which settings govern a path when the project holds packages with configurations of
their own: the innermost package's (its options, per-file-ignores and exclude), else the
project's. Package settings here have their globs relative to the project root."""

from __future__ import annotations

from collections.abc import Mapping

from agentrails.engine.config.settings import Settings
from agentrails.engine.findings import Finding
from agentrails.engine.globs import GlobSet
from agentrails.engine.protocol import RuleContext
from agentrails.engine.selection import PerFileIgnores


class Scopes:
    """The project and its packages, keyed by folder ("" for the project itself)."""

    def __init__(self, settings: Settings, packages: Mapping[str, Settings]):
        self._settings = {"": settings, **packages}
        self._innermost_first = sorted(packages, key=len, reverse=True)
        self._ignores: dict[str, PerFileIgnores] = {}
        self._excludes: dict[str, GlobSet] = {}

    @property
    def nested(self) -> bool:
        """True when some package below the root has a configuration of its own."""
        return bool(self._innermost_first)

    def prefix_of(self, path: str) -> str:
        """The folder of the innermost package holding ``path``, else ""."""
        for prefix in self._innermost_first:
            if path.startswith(prefix + "/"):
                return prefix
        return ""

    def excluded(self, path: str) -> bool:
        """True when the package holding ``path`` excludes it (the project's own exclude
        was applied at discovery)."""
        prefix = self.prefix_of(path)
        if not prefix:
            return False
        if prefix not in self._excludes:
            self._excludes[prefix] = GlobSet(self._settings[prefix].exclude)
        return self._excludes[prefix].match(path)

    def ignored(self, finding: Finding) -> bool:
        """True when the per-file-ignores governing the finding's path name its code."""
        prefix = self.prefix_of(finding.path)
        if prefix not in self._ignores:
            table = self._settings[prefix].top["per-file-ignores"]
            self._ignores[prefix] = PerFileIgnores(table)
        return self._ignores[prefix].ignored(finding.path, finding.code)

    def context(self, family: str, base: RuleContext, path: str) -> RuleContext:
        """``base`` with the options and top-level settings governing ``path``."""
        prefix = self.prefix_of(path) if self._innermost_first else ""
        if not prefix:
            return base
        package = self._settings[prefix]
        return base.replace(options=package.families.get(family, {}), top=package.top)
