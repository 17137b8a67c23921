"""Imports flow one way (cli -> commands -> github/hooks/report/sanitize -> checks -> engine),
families share only ``checks/common``, and no module imports itself back through others."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.helpers.import_layers import (
    LAYERS,
    SUBLAYERS,
    cycles,
    graph,
    modules,
    subpart,
    violations,
)
from tests.helpers.paths import SRC


def test_the_tree_keeps_the_direction() -> None:
    assert violations(SRC) == []


def test_the_tree_has_no_cycles() -> None:
    assert cycles(SRC) == []


def test_every_part_has_a_layer() -> None:
    parts = {name.split(".")[1] for name in modules(SRC) if "." in name}
    assert parts <= set(LAYERS), parts - set(LAYERS)


def test_every_subpackage_has_a_rank() -> None:
    for name in modules(SRC):
        pieces = name.split(".")
        if len(pieces) > 2 and pieces[1] in SUBLAYERS:
            assert subpart(name) in SUBLAYERS[pieces[1]], name


def test_an_engine_subpackage_importing_the_run_fails(copy: Path) -> None:
    bad = copy / "agentrails" / "engine" / "baseline" / "shortcut.py"
    bad.write_text("from agentrails.engine.run.runner import run_check\n")
    assert violations(copy) == [
        "agentrails.engine.baseline.shortcut imports agentrails.engine.run.runner: "
        "engine/baseline (rank 3) may not import engine/run (rank 5)"
    ]


def test_the_graph_sees_lazy_and_type_only_imports() -> None:
    edges = graph(SRC)
    assert "agentrails.engine.registry" in edges["agentrails.engine.run.runner"]  # in a function
    # under TYPE_CHECKING:
    assert "agentrails.engine.facts" in edges["agentrails.engine.findings"]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    shutil.copytree(SRC / "agentrails", tmp_path / "agentrails")
    return tmp_path


def test_an_engine_module_importing_checks_fails(copy: Path) -> None:
    bad = copy / "agentrails" / "engine" / "shortcut.py"
    bad.write_text("from agentrails.checks.size.rules import FAMILY\n")
    assert violations(copy) == [
        "agentrails.engine.shortcut imports agentrails.checks.size.rules: "
        "engine (layer 0) may not import checks (layer 1)"
    ]


def test_a_lazy_import_of_commands_from_a_hook_fails(copy: Path) -> None:
    bad = copy / "agentrails" / "hooks" / "shortcut.py"
    bad.write_text("def run():\n    from agentrails.commands import check\n    return check\n")
    assert [v.split(":")[0] for v in violations(copy)] == [
        "agentrails.hooks.shortcut imports agentrails.commands.check"
    ]


def test_one_family_importing_another_fails(copy: Path) -> None:
    bad = copy / "agentrails" / "checks" / "size" / "shortcut.py"
    bad.write_text("import agentrails.checks.context.refs\n")
    assert violations(copy) == [
        "agentrails.checks.size.shortcut imports agentrails.checks.context.refs: "
        "family size may not import family context"
    ]


def test_a_cycle_is_found(copy: Path) -> None:
    engine = copy / "agentrails" / "engine"
    (engine / "ping.py").write_text("from agentrails.engine import pong\n")
    (engine / "pong.py").write_text("def f():\n    from agentrails.engine.ping import x\n")
    assert cycles(copy) == [["agentrails.engine.ping", "agentrails.engine.pong"]]


def _packages() -> list[Path]:
    return sorted(init.parent for init in (SRC / "agentrails").rglob("__init__.py"))


def test_every_package_has_its_test_folder() -> None:
    """Tests mirror the source: ``src/agentrails/engine/cache/`` is tested in
    ``tests/engine/cache/``, and that folder holds at least one test module."""
    tests = SRC.parent / "tests"
    missing = []
    for package in _packages():
        relative = package.relative_to(SRC / "agentrails")
        folder = tests / relative
        if not any(folder.glob("test_*.py")):
            missing.append(relative.as_posix() or ".")
    assert missing == []


def test_no_folder_but_commands_holds_more_than_fifteen_modules() -> None:
    """Past fifteen modules a folder wants subpackages; ``commands/`` is one module per
    command, as pre-commit-hooks keeps one module per hook."""
    crowded = {
        package.relative_to(SRC).as_posix(): count
        for package in _packages()
        if package.name != "commands"
        and (count := len(list(package.glob("*.py")))) > 15
    }
    assert crowded == {}
