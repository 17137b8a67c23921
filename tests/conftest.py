"""Shared fixtures: real temporary git repositories and a runner for ``agentrails.cli.main``."""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

Files = Mapping[str, str | bytes]


@pytest.fixture(autouse=True)
def _hermetic_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration (global excludes, hooks) leaks into a test."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")


def write_files(root: Path, files: Files) -> None:
    """Write ``files`` (path -> text or bytes) under ``root``, creating folders."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` and return its output; a failure fails the test."""
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.fixture
def git_repo(tmp_path: Path) -> Callable[..., Path]:
    """A factory: ``git_repo(files, add=True, name="repo")`` makes a real git work tree."""

    def make(files: Files = {}, *, add: bool = True, name: str = "repo") -> Path:  # noqa: B006
        root = tmp_path / name
        root.mkdir()
        git(root, "init", "-q")
        write_files(root, files)
        if add and files:
            git(root, "add", "--", *files)
        return root

    return make


@pytest.fixture
def plain_dir(tmp_path: Path) -> Callable[..., Path]:
    """A factory for a project directory that is not a git work tree."""

    def make(files: Files = {}, *, name: str = "plain") -> Path:  # noqa: B006
        root = tmp_path / name
        root.mkdir()
        write_files(root, files)
        return root

    return make


@dataclass
class Outcome:
    """What one ``agentrails`` invocation did."""

    code: int
    out: str
    err: str


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str]) -> Callable[..., Outcome]:
    """Call ``agentrails.cli.main(argv)`` and capture its exit code, stdout and stderr.

    ``cwd`` runs it from that directory: text reports name files relative to the current
    directory, so a test comparing paths relative to a project runs from the project root.
    """
    from agentrails.cli import main

    def run(*argv: str | Path, cwd: Path | None = None) -> Outcome:
        capsys.readouterr()
        with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
            code = main([str(arg) for arg in argv])
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


def finding_lines(text: str) -> list[str]:
    """The finding lines of a text report (everything but the summary line)."""
    return [line for line in text.splitlines() if line and not _is_summary(line)]


def _is_summary(line: str) -> bool:
    return line.startswith(("Found ", "All checks passed"))


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template to render: this checkout when it is clean, else one frozen snapshot of
    its work tree (made once per session, shared by every template test)."""
    from template_helpers import template_source

    return template_source(tmp_path_factory.mktemp("source"))


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--start-method", choices=("fork", "spawn", "forkserver"), default=None,
        help="start agentrails' worker processes this way in every test (sets "
        "AGENTRAILS_START_METHOD; `spawn` runs the pool as on Windows and macOS)",
    )


def pytest_configure(config: pytest.Config) -> None:
    method = config.getoption("--start-method")
    if method:
        os.environ["AGENTRAILS_START_METHOD"] = method
