"""The one record every rule produces."""

from __future__ import annotations

from collections import namedtuple

_FIELDS = ("path", "line", "column", "code", "message", "value", "limit", "symbol")


class Finding(namedtuple("Finding", _FIELDS, defaults=(None, None, ""))):
    """A rule violation at a place in a file: immutable, hashable, ordered by its fields.

    ``line`` and ``column`` are 1-based, as editors and ruff show them. Metric rules also
    carry the measured ``value`` and the ``limit`` it broke; rules that know the symbol at
    fault (a function's qualified name, an unused name) name it in ``symbol``, which the
    baseline uses instead of the line number. (A named tuple, not a dataclass: it costs
    nothing to define when a warm run starts.)
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

    def as_dict(self) -> dict[str, object]:
        """The JSON shape: metric fields only where they apply."""
        data = dict(zip(_FIELDS, self, strict=True))
        if self.value is None:
            del data["value"]
        if self.limit is None:
            del data["limit"]
        if not self.symbol:
            del data["symbol"]
        return data
