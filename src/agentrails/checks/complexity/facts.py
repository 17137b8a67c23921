"""The complexity family's facts and radon's rank letters, without the counting walk (the
rules read these on every run; ``count`` is needed only to analyse a file).

The cache keeps a module's facts as plain tuples: ``(functions, blocks,
maintainability)`` with each function ``(name, line, column, complexity)``. ``measure``
returns them as the named tuples below, which unpack the same way.
"""

from __future__ import annotations

import math
from collections import namedtuple

RANKS = "ABCDEF"


class FunctionComplexity(namedtuple("FunctionComplexity", ("name", "line", "column",
                                                           "complexity"))):
    """One function or method: qualified name, ``def`` position (1-based) and complexity."""

    __slots__ = ()
    name: str
    line: int
    column: int
    complexity: int


class ComplexityFacts(namedtuple("ComplexityFacts", ("functions", "blocks", "maintainability"),
                                 defaults=(None,))):
    """A module's threshold-independent complexity facts.

    ``functions`` holds every function, method and closure; ``blocks`` the complexities of
    the blocks radon's ``cc_visit`` returns (module functions, classes, their methods), whose
    mean is xenon's module average; ``maintainability`` radon's MI, when it was asked for.
    """

    __slots__ = ()
    functions: tuple[FunctionComplexity, ...]
    blocks: tuple[int, ...]
    maintainability: float | None

    def plain(self) -> tuple[tuple[tuple[str, int, int, int], ...], tuple[int, ...],
                             float | None]:
        """The same facts as plain tuples, as the cache keeps them."""
        return tuple(map(tuple, self.functions)), tuple(self.blocks), self.maintainability


def rank(average: float) -> str:
    """radon's letter for a complexity: A up to 5, B to 10, C to 20, D to 30, E to 40, else F."""
    index = max(math.ceil(average / 10.0), 1) - (0 if 5 - average < 0 else 1)
    return RANKS[min(index, 5)]
