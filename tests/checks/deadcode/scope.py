"""Helpers for the scope-aware dead-code tests (this module holds no tests).

``found`` runs the dead-code family through the engine's real per-file pipeline and the
rules' join (``test_dead_code_support.findings``) with the defaults a project keeps
(``min-confidence = 80``, the scope-aware analysis) unless told otherwise, and returns
``path:line: message`` lines, sorted.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

from tests.helpers.deadcode import findings


def src(text: str) -> str:
    return textwrap.dedent(text).lstrip("\n")


def found(files: dict[str, str], root: str | Path = ".", floor: int = 80,
          **options: Any) -> list[str]:
    """What AR301/AR302 report for ``files`` at ``floor`` (warnings included)."""
    return sorted(f"{f.path}:{f.line}: {f.message}"
                  for f in findings(files, root, min_confidence=floor, **options))


def names(files: dict[str, str], root: str | Path = ".", floor: int = 80,
          **options: Any) -> set[str]:
    """The symbols reported (``unreachable`` blocks by their stop's name)."""
    return {f.symbol for f in findings(files, root, min_confidence=floor, **options)}
