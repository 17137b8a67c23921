"""``scripts/demo``, the README's main command: render a demo project from this checkout and
run its gates (here with this interpreter's environment instead of a new .venv)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from tests.helpers.template import REPO, run

pytestmark = pytest.mark.slow

DEMO = REPO / "scripts" / "demo"
GATES = ["uv lock", "uv sync --locked", "ruff check, ruff format --check",
         "mdformat --check (the Markdown hook)", "nox -s typecheck (mypy, strict)",
         f"nox -s tests-{sys.version_info.major}.{sys.version_info.minor} (coverage floor)",
         "nox -s agentrails (agentrails check)", "pre-commit validate-config",
         "zizmor --offline", "check-jsonschema"]


def demo(target: Path, check: bool = False):
    return run(["bash", str(DEMO), str(target)], target.parent,
               env={"AGENTRAILS_DEMO_VENV": sys.prefix, "AGENTRAILS_DEMO_NAME": "Shop Demo",
                    "UV_PYTHON_DOWNLOADS": "never"},
               check=check)


def test_demo_renders_and_every_gate_passes(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    result = demo(target)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for gate in GATES:
        assert f"PASS  {gate}" in output, gate
    assert (target / "src" / "shop_demo" / "text.py").is_file()
    assert run(["git", "status", "--porcelain"], target).stdout == ""
    assert "uv.lock" in run(["git", "ls-files"], target).stdout

    again = demo(target)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Replacing the previous demo" in again.stdout


def test_demo_refuses_a_directory_it_did_not_make(tmp_path: Path) -> None:
    target = tmp_path / "mine"
    target.mkdir()
    (target / "notes.txt").write_text("keep me\n")
    result = demo(target)
    assert result.returncode == 2
    assert "not a previous demo" in result.stderr
    assert (target / "notes.txt").read_text() == "keep me\n"
