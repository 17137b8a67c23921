"""What the code says about itself: ``# noqa`` for a candidate, and dead ends left there on
purpose.

Unreachable code is intentional when coverage is told to skip it (``# pragma: no cover``
on its first line or on the statement that stops before it) or when it is the generator
idiom: a ``yield`` after ``raise`` (or ``return``) that only makes the function a
generator.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agentrails.checks.deadcode.records import Unreachable
from agentrails.checks.deadcode.vulture.names import ALL_CODES, CODES

_YIELD = re.compile(r"yield\b")
_NO_COVER = re.compile(r"#\s*pragma[:\s]?\s*no\s*cover", re.IGNORECASE)
_FLAKE8 = {"import": ("F401",), "variable": ("F841",),
           "argument": ("ARG001", "ARG002", "ARG003", "ARG004", "ARG005")}
_VULTURE = {**CODES, "argument": CODES["variable"]}


def suppression(noqa: dict[int, frozenset[str]]) -> Callable[[int, str], bool]:
    """``suppressed(line, kind)``: a ``# noqa`` on the line covers a finding of that kind
    (bare, vulture's code for it, or flake8's and ruff's: F401, F841, ARG)."""
    if not noqa:
        return lambda line, kind: False

    def suppressed(line: int, kind: str) -> bool:
        codes = noqa.get(line)
        if codes is None:
            return False
        return (ALL_CODES in codes or _VULTURE.get(kind) in codes
                or any(code in codes for code in _FLAKE8.get(kind, ())))

    return suppressed


def intentional(block: Unreachable, lines: list[str]) -> bool:
    """A dead end left on purpose (see the module docstring)."""
    first = block.line
    marked = (lines[first - 1], lines[first - 2] if first > 1 else "")
    if any(_NO_COVER.search(line) for line in marked):
        return True
    return block.name in ("raise", "return") and _only_yields(lines[first - 1:block.end_line])


def _only_yields(lines: list[str]) -> bool:
    """Code lines that are all ``yield`` (the generator idiom)."""
    code = [line.strip() for line in lines]
    code = [line for line in code if line and not line.startswith("#")]
    return bool(code) and all(_YIELD.match(line) for line in code)
