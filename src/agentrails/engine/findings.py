"""The one record every rule produces, and what a whole run found."""

from __future__ import annotations

from collections import namedtuple

from agentrails.engine.posix import posix

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentrails.engine.facts import FileFacts

_FIELDS = ("path", "line", "column", "code", "message", "value", "limit", "symbol", "warn")


class Finding(namedtuple("Finding", _FIELDS, defaults=(None, None, "", False))):
    """A rule violation at a place in a file: immutable, hashable, ordered by its fields.

    ``line`` and ``column`` are 1-based, as editors and ruff show them. Metric rules also
    carry the measured ``value`` and the ``limit`` it broke; rules that know the symbol at
    fault (a function's qualified name, an unused name) name it in ``symbol``, which the
    baseline uses instead of the line number. ``path`` is relative to the project root with
    ``/`` separators on every system (a ``Path`` or a Windows path given by a rule is
    converted). ``warn`` makes the finding a warning, never failing, whatever the project's
    ``warn`` list says: a rule sets it for behaviour it is phasing in (see docs/update.md).
    (A named tuple, not a dataclass: it costs next to nothing to define when a run starts.)
    """

    __slots__ = ()
    path: str
    line: int
    column: int
    code: str
    message: str
    value: float | int | None
    limit: float | int | str | None
    symbol: str
    warn: bool

    def __new__(cls, path: str, line: int, column: int, code: str, message: str,
                value: float | int | None = None, limit: float | int | str | None = None,
                symbol: str = "", warn: bool = False) -> Finding:
        return super().__new__(cls, posix(path), line, column, code, message, value, limit,
                               symbol, warn)

    def replace(self, **changes: object) -> Finding:
        """A copy with some fields changed (the path normalised again)."""
        return type(self)(**{**dict(zip(_FIELDS, self, strict=True)), **changes})

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: metric fields only where they apply (``warn`` is the report's
        severity, not a field)."""
        data = dict(zip(_FIELDS, self, strict=True))
        del data["warn"]
        if self.value is None:
            del data["value"]
        if self.limit is None:
            del data["limit"]
        if not self.symbol:
            del data["symbol"]
        return data


class RunResult(namedtuple("RunResult", ("findings", "files", "analysed", "facts", "contexts"))):
    """Findings of a run plus what the run looked at: how many target files, how many of
    them were analysed (not taken from the cache), every file's facts, and the
    ``RuleContext`` each selected rule ran with, by code (``Rule.retired`` needs it)."""

    __slots__ = ()
    findings: list[Finding]
    files: int
    analysed: int
    facts: dict[str, FileFacts]
    contexts: dict[str, object]
