"""Shared fixtures: real temporary git repositories and a runner for ``agentrails.cli.main``."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers.repo import Files, Outcome, git, write_files


@pytest.fixture(autouse=True)
def _hermetic_git(monkeypatch: pytest.MonkeyPatch) -> None:
    """No user or system git configuration (global excludes, hooks) leaks into a test."""
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", "/dev/null")
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_AUTHOR_NAME", "test")
    monkeypatch.setenv("GIT_AUTHOR_EMAIL", "test@example.invalid")
    monkeypatch.setenv("GIT_COMMITTER_NAME", "test")
    monkeypatch.setenv("GIT_COMMITTER_EMAIL", "test@example.invalid")


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


@pytest.fixture(scope="session")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The template to render: this checkout when it is clean, else one frozen snapshot of
    its work tree (made once per session, shared by every template test)."""
    from tests.helpers.template import template_source

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
