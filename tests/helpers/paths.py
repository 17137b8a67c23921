"""Where things are: the repository root, the test tree and its fixtures."""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
REPO = TESTS.parent
FIXTURES = TESTS / "fixtures"
SRC = REPO / "src"
TEMPLATE = REPO / "template"
