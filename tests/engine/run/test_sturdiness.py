"""Sturdiness: odd, broken and hostile files never crash a run, never hang it, and never hide
the findings of the good files next to them."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from agentrails.engine.run import runner
from tests.helpers.repo import git, write_files

TIMEOUT = 180
BIG = 5 * 1024 * 1024
NESTING = re.compile(r"nest|recurs", re.I)
LONG_FUNCTION = "def long():\n" + "    x = 1\n" * 90 + "    return x\n"
"""A good file with a real finding: AR102 (a 92-line function; the default cap is 80)."""


def deep_ifs(depth: int) -> str:
    """A program of ``depth`` nested ``if`` statements."""
    lines = [" " * level + f"if x{level}:" for level in range(depth)]
    return "\n".join([*lines, " " * depth + "pass", ""])


ODD_FILES: dict[str, str | bytes] = {
    "good.py": LONG_FUNCTION,
    "pkg/mod.py": LONG_FUNCTION,
    "latin1_no_cookie.py": b"x = '\xe9t\xe9'\n",
    "latin1_cookie.py": b"# -*- coding: latin-1 -*-\nx = '\xe9t\xe9'\n",
    "nul_early.py": b"x = 1\0\n",
    "nul_late.py": b"x = 1\n" * 2000 + b"y = 2\0\n",
    "nul.txt": b"\0\1\2 binary",
    "bom.py": b"\xef\xbb\xbfx = 1\n",
    "crlf.py": b"x = 1\r\ny = 2\r\n",
    "crlf_py2.py": b"x = 1\r\nprint 'x'\r\n",
    "empty.py": b"",
    "empty.txt": b"",
    "big_line.py": b"x = '" + b"a" * BIG + b"'",
    "big_line.txt": b"a" * BIG,
    "deep_parens.py": "x = " + "(" * 10000 + "1" + ")" * 10000 + "\n",
    "deep_list.py": "x = " + "[" * 10000 + "]" * 10000 + "\n",
    "deep_if.py": deep_ifs(1000),
    "deep_if_expression.py": "x = " + "1 if a else " * 10000 + "1\n",
    "deep_binop.py": "x = " + "+".join(["1"] * 100_000) + "\n",
    "deep_unary.py": "x = " + "-" * 10000 + "1\n",
    "deep_parseable.py": "x = " + "+".join(["a"] * 1500) + "\n",
    "py2.py": 'print "hello"\n',
    "dir.py/inner.txt": "a directory named like a Python file\n",
}
EXPECTED: dict[str, tuple[str, int, int] | None] = {
    "latin1_no_cookie.py": ("AR001", 1, 0),
    "nul_early.py": ("AR002", 1, 1),
    "nul_late.py": ("AR001", 0, 0),
    "crlf_py2.py": ("AR001", 2, 1),
    "deep_parens.py": ("AR001", 1, 0),
    "deep_list.py": ("AR001", 1, 0),
    "deep_if.py": ("AR001", 101, 0),
    "deep_binop.py": ("AR002", 1, 1),
    "deep_unary.py": ("AR002", 1, 1),
    "deep_if_expression.py": ("AR002", 1, 1),
    "py2.py": ("AR001", 1, 1),
}
"""Path -> (code, line, column) of the finding it must get; 0 means any line or column."""
CLEAN = ("latin1_cookie.py", "bom.py", "crlf.py", "empty.py", "empty.txt", "big_line.py",
         "big_line.txt", "nul.txt", "dir.py/inner.txt")
"""Files that must get neither AR001 nor AR002."""
LINKS = ("loop_a", "loop_b", "linkdir", "pkg/up", "dangling.py")


@dataclass(frozen=True)
class Line:
    """One ``path:line:col: CODE message`` line of the text report."""

    path: str
    line: int
    column: int
    code: str
    message: str


def parse(report: str) -> list[Line]:
    """The finding lines of a text report."""
    pattern = re.compile(r"^(.+?):(\d+):(\d+): ([A-Z]+\d+) (.*)$")
    found = []
    for text in report.splitlines():
        match = pattern.match(text)
        if match:
            found.append(Line(match[1], int(match[2]), int(match[3]), match[4], match[5]))
    return found


def agentrails(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """The real command line in ``root``, with a timeout so a hang fails instead of stalling."""
    return subprocess.run(
        [sys.executable, "-m", "agentrails", "check", *args],
        cwd=root, capture_output=True, text=True, timeout=TIMEOUT, check=False,
    )


def assert_sturdy(result: subprocess.CompletedProcess[str], code: int) -> list[Line]:
    """The expected exit code, no traceback; the findings."""
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == code, result.stdout + result.stderr
    return parse(result.stdout)


def add_links_and_fifos(root: Path) -> None:
    """Symlink loops, links to directories (one pointing up), a dangling link, a FIFO."""
    os.symlink("loop_b", root / "loop_a")
    os.symlink("loop_a", root / "loop_b")
    os.symlink("pkg", root / "linkdir")
    os.symlink("..", root / "pkg" / "up")
    os.symlink("missing.py", root / "dangling.py")
    os.mkfifo(root / "pipe.py")


def odd_project(root: Path, with_git: bool) -> Path:
    """Every odd file at once, with or without git (a tracked file later made a FIFO)."""
    root.mkdir()
    write_files(root, {**ODD_FILES, "tracked_fifo.py": "x = 1\n"})
    add_links_and_fifos(root)
    if with_git:
        git(root, "init", "-q")
        git(root, "add", "-A")
        git(root, "commit", "-q", "-m", "odd files")
    (root / "tracked_fifo.py").unlink()
    os.mkfifo(root / "tracked_fifo.py")
    return root


def check_expected(findings: list[Line]) -> None:
    """Every expected finding is there, clean files stay clean, the good files still report."""
    problems = {f.path: f for f in findings if f.code in ("AR001", "AR002")}
    for path, (code, line, column) in EXPECTED.items():
        found = problems.get(path)
        assert found is not None, f"{path}: no AR001/AR002"
        assert (found.code, line or found.line, column or found.column) == (
            code, found.line, found.column
        ), found
    assert not [path for path in CLEAN if path in problems], problems
    assert_good_files_reported(findings, "good.py", "pkg/mod.py")
    check_nesting_reasons(problems)


def check_nesting_reasons(problems: dict[str, Line]) -> None:
    """Too-deep files say so; a deep file that parses is clean or AR002 with that reason."""
    for path in ("deep_binop.py", "deep_unary.py", "deep_if_expression.py"):
        assert NESTING.search(problems[path].message), problems[path]
    deep = problems.get("deep_parseable.py")
    if deep is not None:  # once a recursive collector meets it
        assert deep.code == "AR002", deep
        assert NESTING.search(deep.message), deep


def assert_good_files_reported(findings: list[Line], *paths: str) -> None:
    """Each good file's real finding (AR102) is in the report (``good.py`` by default)."""
    reported = {(f.path, f.code) for f in findings}
    for path in paths or ("good.py",):
        assert (path, "AR102") in reported, path


@pytest.mark.parametrize("with_git", [True, False], ids=["git", "plain"])
def test_odd_files_never_stop_the_run(tmp_path: Path, with_git: bool) -> None:
    root = odd_project(tmp_path / "odd", with_git)
    first = assert_sturdy(agentrails(root), 1)
    check_expected(first)
    assert not [f for f in first if f.path.startswith(LINKS) or "pipe" in f.path], first
    assert not [f for f in first if f.path.startswith("tracked_fifo")], first
    second = assert_sturdy(agentrails(root), 1)
    assert second == first, "the cached run must report exactly what the first one did"
    assert assert_sturdy(agentrails(root, "--no-cache"), 1) == first


def test_python_2_syntax_is_ar001_with_position(tmp_path: Path) -> None:
    write_files(tmp_path, {"old.py": 'import os\n\nprint "x"\n', "good.py": LONG_FUNCTION})
    findings = assert_sturdy(agentrails(tmp_path, "--no-cache"), 1)
    syntax = [f for f in findings if f.code == "AR001"]
    assert [(f.path, f.line, f.column) for f in syntax] == [("old.py", 3, 1)]
    assert "print" in syntax[0].message
    assert_good_files_reported(findings)


def test_file_too_large_to_parse_is_ar002(tmp_path: Path) -> None:
    write_files(tmp_path, {
        "agentrails.toml": "max-file-bytes = 1000000\n",
        "big_line.py": b"x = '" + b"a" * BIG + b"'",
        "good.py": LONG_FUNCTION,
    })
    findings = assert_sturdy(agentrails(tmp_path, "--no-cache"), 1)
    big = [f for f in findings if f.path == "big_line.py"]
    assert [f.code for f in big] == ["AR002"] and "too large" in big[0].message
    assert_good_files_reported(findings)


def test_fifo_named_on_the_command_line_does_not_hang(tmp_path: Path) -> None:
    write_files(tmp_path, {"good.py": "x = 1\n"})
    os.mkfifo(tmp_path / "pipe.py")
    result = agentrails(tmp_path, "pipe.py")
    assert_sturdy(result, 0)


RACE = """
import os, sys
from agentrails.engine.run import runner
real = runner.discover
def discover(root, exclude, *memo):
    os.mkfifo(os.path.join(root, "late.py"))
    return sorted(real(root, exclude, *memo) + ["late.py"])
runner.discover = discover
from agentrails.cli import main
sys.exit(main(["check", "--no-cache"]))
"""


def test_fifo_swapped_in_after_discovery_does_not_hang(tmp_path: Path) -> None:
    write_files(tmp_path, {"good.py": LONG_FUNCTION})
    result = subprocess.run(
        [sys.executable, "-c", RACE], cwd=tmp_path, capture_output=True, text=True,
        timeout=TIMEOUT, check=False,
    )
    findings = assert_sturdy(result, 1)
    late = [f for f in findings if f.path == "late.py"]
    assert [f.code for f in late] == ["AR002"] and "regular file" in late[0].message
    assert_good_files_reported(findings)


def test_file_deleted_between_discovery_and_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    write_files(tmp_path, {"good.py": LONG_FUNCTION, "vanishing.py": LONG_FUNCTION})
    real = runner.discover

    def discover_then_delete(root: Path, exclude: list[str], *memo: str | None) -> list[str]:
        files = real(root, exclude, *memo)
        assert "vanishing.py" in files
        (root / "vanishing.py").unlink()
        return files

    monkeypatch.setattr(runner, "discover", discover_then_delete)
    outcome = cli("check", "--no-cache", tmp_path, cwd=tmp_path)
    assert outcome.code == 1, outcome.err
    findings = parse(outcome.out)
    assert {f.path for f in findings} == {"good.py"}
    assert any(f.code == "AR102" for f in findings)


def _refuse(target: Path, real_open):
    """An ``open`` that fails with EACCES for ``target`` only."""

    def fake_open(file, *args, **kwargs):
        if isinstance(file, (str, os.PathLike)) and Path(file).resolve() == target.resolve():
            raise PermissionError(13, "Permission denied", os.fspath(file))
        return real_open(file, *args, **kwargs)

    return fake_open


def test_unreadable_file_is_ar002_and_others_still_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli
) -> None:
    """A real ``chmod 000`` where it bites; as root (which reads anyway) a refused open."""
    write_files(tmp_path, {"good.py": LONG_FUNCTION, "secret.py": "x = 1\n"})
    secret = tmp_path / "secret.py"
    if os.geteuid() == 0:
        monkeypatch.setattr(io, "open", _refuse(secret, io.open))
        monkeypatch.setattr(os, "open", _refuse(secret, os.open))
        monkeypatch.setattr("builtins.open", _refuse(secret, open))
    else:
        secret.chmod(0)
    try:
        outcome = cli("check", "--no-cache", "--jobs", "1", tmp_path, cwd=tmp_path)
    finally:
        secret.chmod(0o644)
    assert outcome.code == 1, outcome.err
    findings = parse(outcome.out)
    unreadable = [f for f in findings if f.path == "secret.py"]
    assert [f.code for f in unreadable] == ["AR002"]
    assert "cannot read" in unreadable[0].message and "denied" in unreadable[0].message
    assert_good_files_reported(findings)


@pytest.fixture(scope="module")
def sympy_run(tmp_path_factory: pytest.TempPathFactory) -> subprocess.CompletedProcess[str]:
    """One ``agentrails check`` over a private copy of sympy 1.14.0."""
    from tests.helpers.corpora import SYMPY, corpus

    tree = tmp_path_factory.mktemp("sympy") / "sympy"
    shutil.copytree(corpus(*SYMPY), tree, ignore=shutil.ignore_patterns(".unpacked"))
    (tree / "agentrails.toml").write_text("# defaults\n", encoding="utf-8")
    return subprocess.run(
        [sys.executable, "-m", "agentrails", "check", "--no-cache"],
        cwd=tree, capture_output=True, text=True, timeout=900, check=False,
    )


@pytest.mark.corpus
@pytest.mark.slow
def test_sympy_finishes_with_findings_in_many_files(sympy_run) -> None:
    findings = assert_sturdy(sympy_run, 1)
    assert len({f.path for f in findings}) >= 100


@pytest.mark.corpus
@pytest.mark.slow
def test_sympy_names_the_file_vulture_dies_on(sympy_run) -> None:
    findings = assert_sturdy(sympy_run, 1)
    named = [f for f in findings if f.path == "sympy/polys/numberfields/resolvent_lookup.py"]
    unanalysable = [f for f in named if f.code == "AR002"]
    assert unanalysable, named
    assert NESTING.search(unanalysable[0].message), unanalysable[0]
