"""What a rule and a rule family are, and the options a family declares."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, ClassVar

from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.text import split_lines


@dataclass(frozen=True)
class SourceFile:
    """One file as every collector sees it: read once, decoded once, parsed once."""

    path: str
    data: bytes
    text: str | None
    tree: ast.Module | None = None

    @cached_property
    def lines(self) -> list[str]:
        """The decoded lines (empty for a binary file)."""
        return split_lines(self.text) if self.text is not None else []


@dataclass(frozen=True)
class PackageScope:
    """A folder below the project root with a configuration of its own (a package of a
    monorepo): its path from the root (``/``-separated) and its settings, with their globs
    moved to the project root."""

    prefix: str
    options: Mapping[str, Any]
    top: Mapping[str, Any]


@dataclass(frozen=True)
class RuleContext:
    """What a rule may read while it checks: the family's options and the project root.

    ``packages`` are the nested configurations below the root, innermost last;
    ``enclosing`` the folders above the root whose configuration this one extends
    (absolute, outermost first), so a package knows the repository it sits in."""

    options: Mapping[str, Any]
    root: str
    selected: frozenset[str] = frozenset()
    diff_base: str | None = None
    top: Mapping[str, Any] = field(default_factory=dict)
    packages: tuple[PackageScope, ...] = ()
    enclosing: tuple[str, ...] = ()

    def scope_of(self, path: str) -> PackageScope:
        """The innermost package holding ``path`` (relative to the root), or the project
        itself as a scope with prefix ""."""
        for scope in reversed(self.packages):
            if path.startswith(scope.prefix + "/"):
                return scope
        return PackageScope("", self.options, self.top)


class Rule:
    """Base class of every rule. A subclass's docstring is its documentation.

    The docstring has four parts, each headed by a line ending in a colon: ``What it
    finds:``, ``Why:``, ``Example:`` and ``How to fix:``; ``agentrails rule CODE`` prints it.
    """

    code: ClassVar[str]
    summary: ClassVar[str]
    opt_in: ClassVar[bool] = False
    needs: ClassVar[str | None] = None
    """A family whose facts the rule reads: files without them (None, empty) are skipped
    before ``check_file`` is called, which saves a call per file on a warm run."""
    file_level: ClassVar[bool] = False
    """True when a finding is about the whole file (or project): the baseline then matches
    it by code, path and symbol alone, not by the text of a line."""
    worse: ClassVar[str | None] = None
    """``"higher"`` or ``"lower"``: which way the finding's ``value`` gets worse. A
    baselined finding whose value got worse is reported again (the ratchet)."""
    warn_by_default: ClassVar[bool] = False
    """A rule new in this release: reported as a warning, never failing, unless the
    project's ``warn`` list says otherwise (see docs/update.md)."""

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        """Findings for one file; project-wide rules override ``check_project`` instead."""
        return ()

    def check_project(
        self, facts: Mapping[str, FileFacts], ctx: RuleContext
    ) -> Iterable[Finding]:
        """Findings that need every file's facts at once (dead code's join)."""
        return ()

    @classmethod
    def is_project_rule(cls) -> bool:
        """True when the rule overrides ``check_project``."""
        return cls.check_project is not Rule.check_project

    @classmethod
    def debt(cls, finding: Finding, facts: FileFacts | None) -> float | None:
        """The number the baseline compares for this finding (see ``worse``); None when
        the rule's findings have no measure worth a ratchet."""
        if cls.worse is None or not isinstance(finding.value, int | float):
            return None
        return float(finding.value)

    @classmethod
    def documentation(cls) -> str:
        """The rule's doc, dedented, as ``agentrails rule`` prints it."""
        import inspect

        return inspect.cleandoc(cls.__doc__ or "")


Validator = Callable[[Any], Any]

GLOB_LIST, GLOB_KEYS, GLOB_VALUES = "list", "keys", "values"
"""Where an option's value holds globs of paths: a list of globs, a table keyed by globs,
or a table whose values are lists of globs."""


@dataclass(frozen=True)
class Option:
    """One configuration key: its default, a validator that raises ValueError, a help line,
    and where its value holds globs of paths (``GLOB_LIST``, ``GLOB_KEYS``,
    ``GLOB_VALUES``; "" for none). Globs are relative to the folder of the configuration
    file that sets them, so ``extend`` moves them to the project being checked; every
    other value (names of files and folders included) is taken as written."""

    default: Any
    validate: Validator
    help: str
    globs: str = ""


Collector = Callable[[SourceFile, RuleContext], Any]


class PartialFacts(Exception):  # noqa: N818 - it carries a result, it is not an error
    """Raised by a collector that could only partly analyse a file.

    The engine keeps ``facts`` (so, for example, the names a too-deep file uses still count
    for dead code elsewhere) and reports AR002 for the file with ``reason``.
    """

    def __init__(self, facts: Any, reason: str):
        super().__init__(reason)
        self.facts = facts
        self.reason = reason


@dataclass(frozen=True)
class Family:
    """A rule family: its config section, options, rules and per-file fact collector.

    ``collect`` runs once per file in a worker, on the one parse, and returns picklable
    facts that do not depend on thresholds, so cached facts survive threshold changes.
    ``fingerprint`` names whatever in the options changes what ``collect`` returns.
    """

    name: str
    rules: tuple[type[Rule], ...]
    section: str | None = None
    options: Mapping[str, Option] = field(default_factory=dict)
    collect: Collector | None = None
    fingerprint: Callable[[RuleContext], str] = lambda ctx: ""
