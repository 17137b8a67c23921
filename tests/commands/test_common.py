"""What the commands share: one error line and one exit code per kind of error, the report
written to a file or stdout, and the common options declared once."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

from agentrails.cli import build_parser, main
from agentrails.commands import common
from agentrails.errors import ConfigError, GitHubError, HookError, Refused, UsageError
from tests.helpers.paths import SRC


@pytest.mark.parametrize(("error", "code"), [
    (UsageError("bad"), 2), (ConfigError("bad"), 2), (GitHubError("bad"), 2),
    (HookError("bad"), 2), (Refused("bad"), 1),
])
def test_each_kind_of_error_has_its_exit_code(error, code, capsys) -> None:
    assert common.failed(error) == code
    assert capsys.readouterr().err == "agentrails: error: bad\n"


def test_details_follow_the_error_line(capsys) -> None:
    common.failed(Refused("refused: production stays", details=("gate: failed", "not ahead")))
    assert capsys.readouterr().err == (
        "agentrails: error: refused: production stays\n  - gate: failed\n  - not ahead\n")


def test_a_command_raising_an_error_exits_through_the_cli(capsys) -> None:
    assert main(["rule", "AR000"]) == 2
    captured = capsys.readouterr()
    assert captured.err == "agentrails: error: unknown rule 'AR000' (see `agentrails rules`)\n"
    assert captured.out == ""


def test_emit_writes_a_file_or_says_why_not(tmp_path: Path, capsys) -> None:
    common.emit("report \udcff\n", None)
    assert capsys.readouterr().out == "report \\udcff\n"
    common.emit("ok\n", tmp_path / "out.txt")
    assert (tmp_path / "out.txt").read_text(encoding="utf-8") == "ok\n"
    with pytest.raises(UsageError, match="cannot write .*missing"):
        common.emit("ok\n", tmp_path / "missing" / "out.txt")


def test_an_answer_of_an_unknown_shape_is_a_github_error() -> None:
    shape = r"GitHub answered in a shape .* \(KeyError: 'sha'\)"
    with pytest.raises(GitHubError, match=shape), common.github_answers():
        json.loads("{}")["sha"]


@pytest.mark.parametrize("command", ["check", "baseline", "report"])
def test_the_run_options_are_declared_once_and_shared(command: str) -> None:
    parser = build_parser(command)
    args = parser.parse_args([command, "--config", "x.toml", "--no-cache", "--jobs", "3"])
    assert (args.config, args.no_cache, args.jobs) == (Path("x.toml"), True, 3)
    cli_source = (SRC / "agentrails" / "cli.py").read_text(encoding="utf-8")
    assert cli_source.count('"--no-cache"') == 1 and cli_source.count('"--jobs"') == 1


def _assigned(path: Path) -> list[str]:
    """The names a module assigns anywhere."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets = [t for node in ast.walk(tree) for t in getattr(node, "targets", [])]
    return [n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)]


def test_no_command_defines_its_own_exit_codes_or_error_printer() -> None:
    """Exit codes and the error line live in ``commands/common.py`` only."""
    found = []
    for path in sorted((SRC / "agentrails" / "commands").glob("*.py")):
        if path.name != "common.py":
            exits = [name for name in _assigned(path) if name.startswith("EXIT_")]
            found += [f"{path.name}: {name}" for name in exits]
            if ": error: " in path.read_text(encoding="utf-8"):
                found.append(f"{path.name}: prints an error line itself")
    assert found == []
