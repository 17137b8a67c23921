"""The one record every rule produces."""

from __future__ import annotations

from dataclasses import asdict, dataclass


@dataclass(frozen=True, order=True)
class Finding:
    """A rule violation at a place in a file.

    ``line`` and ``column`` are 1-based, as editors and ruff show them. Metric rules also
    carry the measured ``value`` and the ``limit`` it broke; rules that know the symbol at
    fault (a function's qualified name, an unused name) name it in ``symbol``, which the
    baseline uses instead of the line number.
    """

    path: str
    line: int
    column: int
    code: str
    message: str
    value: float | int | None = None
    limit: float | int | str | None = None
    symbol: str = ""

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: metric fields only where they apply."""
        data = asdict(self)
        if self.value is None:
            del data["value"]
        if self.limit is None:
            del data["limit"]
        if not self.symbol:
            del data["symbol"]
        return data
