"""What a rule and a rule family are, and the options a family declares.

The records here are named tuples, not dataclasses: every run defines them first thing,
and a dataclass (with the ``inspect`` import it brings) costs far more than a warm run may
spend on it (docs/architecture.md, "What a warm run imports").
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType

from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.text import split_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast
    from typing import Any, ClassVar



class SourceFile:
    """One file as every collector sees it: read once, decoded once, parsed once."""

    __slots__ = ("path", "data", "text", "tree", "_lines")

    def __init__(self, path: str, data: bytes, text: str | None, *,
                 tree: ast.Module | None = None):
        self.path = path
        self.data = data
        self.text = text
        self.tree = tree
        self._lines: list[str] | None = None

    @property
    def lines(self) -> list[str]:
        """The decoded lines (empty for a binary file), split on first use."""
        if self._lines is None:
            self._lines = split_lines(self.text) if self.text is not None else []
        return self._lines


NOTHING: Mapping[str, Any] = MappingProxyType({})
"""An empty mapping no one can change: the default of a record's mapping field."""


class PackageScope(namedtuple("PackageScope", ("prefix", "options", "top"))):
    """A folder below the project root with a configuration of its own (a package of a
    monorepo): its path from the root (``/``-separated) and its settings, with their globs
    moved to the project root."""

    __slots__ = ()
    prefix: str
    options: Mapping[str, Any]
    top: Mapping[str, Any]


class RuleContext(namedtuple(
    "RuleContext", ("options", "root", "selected", "diff_base", "top", "packages", "enclosing"),
    defaults=(frozenset(), None, NOTHING, (), ()),
)):
    """What a rule may read while it checks: the family's options and the project root.

    ``selected`` are the codes this run checks, ``diff_base`` the git ref the diff rules
    compare against, ``top`` the top-level settings; ``packages`` are the nested
    configurations below the root, innermost last; ``enclosing`` the folders above the root
    whose configuration this one extends (absolute, outermost first), so a package knows
    the repository it sits in."""

    __slots__ = ()
    options: Mapping[str, Any]
    root: str
    selected: frozenset[str]
    diff_base: str | None
    top: Mapping[str, Any]
    packages: tuple[PackageScope, ...]
    enclosing: tuple[str, ...]

    def scope_of(self, path: str) -> PackageScope:
        """The innermost package holding ``path`` (relative to the root), or the project
        itself as a scope with prefix ""."""
        for scope in reversed(self.packages):
            if path.startswith(scope.prefix + "/"):
                return scope
        return PackageScope(prefix="", options=self.options, top=self.top)


class Rule:
    """Base class of every rule. A subclass's docstring is its documentation.

    The docstring has these parts, in this order, each headed by a line ending in a colon:
    ``What it finds:``, ``Why:``, ``Example:`` (what the rule finds), ``Use instead:``
    (what it accepts), ``How to fix:`` and, when the rule reads options, ``Options:`` (one
    ``- `key` (default ...): ...`` line each); ``agentrails rule CODE`` prints it.
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
    def retired(cls, entries: list[tuple], facts: Mapping[str, FileFacts],
                ctx: RuleContext) -> list[tuple]:
        """Of this rule's baseline entries (``engine.baseline.entries.Entry``) that match no
        finding, those the rule stopped reporting by design although the code is unchanged
        (a new analysis phased in): they are pruned, never counted as fixed debt. None by
        default."""
        return []

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


if TYPE_CHECKING:
    Validator = Callable[[Any], Any]
else:  # annotations are strings at run time: the alias only has to exist
    Validator = Callable

GLOB_LIST, GLOB_KEYS, GLOB_VALUES = "list", "keys", "values"
"""Where an option's value holds globs of paths: a list of globs, a table keyed by globs,
or a table whose values are lists of globs."""


class Option(namedtuple("Option", ("default", "validate", "help", "globs"), defaults=("",))):
    """One configuration key: its default, a validator that raises ValueError, a help line,
    and where its value holds globs of paths (``GLOB_LIST``, ``GLOB_KEYS``,
    ``GLOB_VALUES``; "" for none). Globs are relative to the folder of the configuration
    file that sets them, so ``extend`` moves them to the project being checked; every
    other value (names of files and folders included) is taken as written."""

    __slots__ = ()
    default: Any
    validate: Validator
    help: str
    globs: str


if TYPE_CHECKING:
    Collector = Callable[[SourceFile, RuleContext], Any]
else:
    Collector = Callable


class PartialFacts(Exception):  # noqa: N818 - it carries a result, it is not an error
    """Raised by a collector that could only partly analyse a file.

    The engine keeps ``facts`` (so, for example, the names a too-deep file uses still count
    for dead code elsewhere) and reports AR002 for the file with ``reason``.
    """

    def __init__(self, facts: Any, reason: str):
        super().__init__(reason)
        self.facts = facts
        self.reason = reason


def _no_fingerprint(ctx: RuleContext) -> str:
    return ""


class Family(namedtuple(
    "Family", ("name", "rules", "section", "options", "collect", "fingerprint"),
    defaults=(None, NOTHING, None, _no_fingerprint),
)):
    """A rule family: its config section, options, rules and per-file fact collector.

    ``collect`` runs once per file in a worker, on the one parse, and returns facts that do
    not depend on thresholds, so cached facts survive threshold changes. The cache keeps
    plain data only (tuples, lists, dicts, sets, strings, bytes, numbers, None, and
    agentrails' own named tuples; ``agentrails.engine.cache.memo``): facts holding any
    other object leave the cache unreadable, so every run analyses every file again.
    ``fingerprint`` names whatever in the options changes what ``collect`` returns.
    """

    __slots__ = ()
    name: str
    rules: tuple[type[Rule], ...]
    section: str | None
    options: Mapping[str, Option]
    collect: Collector | None
    fingerprint: Callable[[RuleContext], str]
