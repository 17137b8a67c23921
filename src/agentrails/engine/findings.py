"""The one record every rule produces."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from agentrails.engine.posix import posix


@dataclass(frozen=True, order=True)
class Finding:
    """A rule violation at a place in a file.

    ``line`` and ``column`` are 1-based, as editors and ruff show them. Metric rules also
    carry the measured ``value`` and the ``limit`` it broke; rules that know the symbol at
    fault (a function's qualified name, an unused name) name it in ``symbol``, which the
    baseline uses instead of the line number. ``path`` is relative to the project root with
    ``/`` separators on every system (a ``Path`` or a Windows path given by a rule is
    converted). ``warn`` makes the finding a warning, never failing, whatever the project's
    ``warn`` list says: a rule sets it for behaviour it is phasing in (see docs/update.md).
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    value: float | int | None = None
    limit: float | int | str | None = None
    symbol: str = ""
    warn: bool = False

    def __post_init__(self) -> None:
        normal = posix(self.path)
        if normal is not self.path:
            object.__setattr__(self, "path", normal)

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: metric fields only where they apply."""
        data = asdict(self)
        del data["warn"]  # the report's severity says it
        if self.value is None:
            del data["value"]
        if self.limit is None:
            del data["limit"]
        if not self.symbol:
            del data["symbol"]
        return data
