"""A small project with known complexity findings, for the baseline tests."""

from __future__ import annotations

CONFIG = "[complexity]\nmax-function = 3\n"


def tangle(name: str, branches: int, *, extra: str = "") -> str:
    """A function of complexity ``branches + 1``."""
    body = "".join(f"    if a == {i}:\n        return {i}\n" for i in range(branches))
    return f"def {name}(a):\n{extra}{body}    return -1\n"
