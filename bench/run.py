"""Entry point: ``python bench/run.py [--corpus django|sympy|both] [--repeat N] [--json OUT]``."""

from __future__ import annotations

import sys
from pathlib import Path


def _main() -> int:
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.harness import main

    return main()


if __name__ == "__main__":
    raise SystemExit(_main())
