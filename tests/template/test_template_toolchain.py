"""The toolchain of a generated package, run for real: uv (the default) or pip, mypy or
pyright, nox sessions, the local pre-commit hooks, codespell, and the Python range CI tests.
agentrails comes from the wheel of this checkout (``toolchain_helpers``)."""

from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import pytest
from tests.helpers.template import commit_all, git, load_yaml, render, run, tool
from tests.helpers.update import recorded_answers
from tests.helpers.toolchain import (
    SUPPORTED,
    build_wheel,
    current_python,
    hook_repositories,
    interpreters,
    local_hooks_config,
    requirement_names,
    step_named,
    tool_stack_names,
    toolchain_env,
    with_venv,
)

pytestmark = pytest.mark.slow

TYPE_ERROR = '\n\ndef broken() -> int:\n    return "not an int"\n'


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    wheels = build_wheel(tmp_path_factory.mktemp("wheels"))
    return toolchain_env(wheels, tmp_path_factory.mktemp("home"))


def fresh(source: Path, repo: Path, **answers: object) -> Path:
    """A committed render of this checkout with ``answers``."""
    render(source, repo, answers)
    commit_all(repo)
    return repo


def matrix(repo: Path) -> list[str]:
    """The Pythons of the CI test matrix."""
    jobs = load_yaml(repo / ".github/workflows/ci.yml")["jobs"]
    return jobs["test"]["strategy"]["matrix"]["python"]


def nox_pythons(repo: Path) -> list[str]:
    """``PYTHONS`` of the rendered noxfile.py."""
    tree = ast.parse((repo / "noxfile.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") == "PYTHONS":
            return ast.literal_eval(node.value)
    raise AssertionError("noxfile.py defines no PYTHONS")


def available_test_sessions(repo: Path) -> list[str]:
    """``tests-X.Y`` for every Python of the matrix that this machine has."""
    return [f"tests-{version}" for version in nox_pythons(repo) if version in interpreters()]


def assert_lists_its_tools(repo: Path) -> None:
    """RULES.md's tool-stack table names every dependency and hook repository."""
    listed = tool_stack_names((repo / "RULES.md").read_text(encoding="utf-8"))
    missing = (requirement_names(repo) | hook_repositories(repo)) - listed
    assert not missing, f"RULES.md's tool stack does not list {sorted(missing)}"


def run_local_hooks(repo: Path, env: dict[str, str], prefix: list[str]) -> None:
    """``pre-commit run --all-files`` with the hooks that need no GitHub access."""
    config, names = local_hooks_config(repo, repo.parent / "local-hooks.yaml")
    assert names, "no local hook"
    result = run([*prefix, "pre-commit", "run", "--all-files", "--config", str(config)], repo,
                 env)
    for name in names:
        assert re.search(rf"^{re.escape(name)}\.+Passed$", result.stdout, re.M), name


def test_default_render_passes_its_gates_with_uv(source: Path, tmp_path: Path,
                                                 env: dict[str, str]) -> None:
    answers = {} if "3.12" in interpreters() else {"python_version": current_python()}
    repo = fresh(source, tmp_path / "repo", **answers)
    recorded = recorded_answers(repo)
    assert (recorded["package_manager"], recorded["type_checker"]) == ("uv", "mypy")
    uv = tool("uv")
    first = run([uv, "sync", "--locked"], repo, env, check=False)
    assert first.returncode != 0 and "uv lock" in first.stderr, "AGENTS.md's first step"
    run([uv, "lock"], repo, env)
    run([uv, "sync", "--locked"], repo, env)
    tests = run([uv, "run", "pytest", "-p", "no:cacheprovider"], repo, env)
    assert "Required test coverage of 90.0% reached" in tests.stdout
    assert "Success: no issues" in run([uv, "run", "mypy"], repo, env).stdout
    run([uv, "run", "agentrails", "check", "--no-cache"], repo, env)
    run_local_hooks(repo, env, [uv, "run"])
    run([tool("codespell"), *git(repo, "ls-files").split()], repo)
    sessions = ["typecheck", "agentrails", *available_test_sessions(repo)]
    assert len(sessions) > 2
    run([uv, "run", "nox", "-s", *sessions], repo, env)
    assert git(repo, "status", "--porcelain") == "?? uv.lock", "a gate changed the project"
    assert_lists_its_tools(repo)


def test_default_render_gates_fail_on_a_broken_change(source: Path, tmp_path: Path,
                                                      env: dict[str, str]) -> None:
    """The gates are not vacuous: a type error fails mypy, and a dependency added without
    `uv lock` fails CI's lock step (its script, run as CI runs it)."""
    repo = fresh(source, tmp_path / "repo", python_version=current_python())
    uv = tool("uv")
    lock_step = step_named(repo / ".github/workflows/ci.yml", "hooks", "uv.lock")["run"]
    created = run(["bash", "-e", "-c", lock_step], repo, env)
    assert (repo / "uv.lock").is_file() and "::warning title=uv.lock::" in created.stdout
    run(["bash", "-e", "-c", lock_step], repo, env)
    module = next((repo / "src").glob("*/text.py"))
    module.write_text(module.read_text() + TYPE_ERROR)
    mypy = run([uv, "run", "mypy"], repo, env, check=False)
    assert mypy.returncode == 1 and "Incompatible return value" in mypy.stdout
    pyproject = repo / "pyproject.toml"
    pyproject.write_text(pyproject.read_text().replace('  "hypothesis>=6.100",\n',
                                                       '  "hypothesis>=6.100",\n  "six",\n', 1))
    stale = run(["bash", "-e", "-c", lock_step], repo, env, check=False)
    assert stale.returncode != 0, stale.stdout + stale.stderr
    assert run([uv, "sync", "--locked"], repo, env, check=False).returncode != 0


def test_pip_render_passes_its_gates(source: Path, tmp_path: Path, env: dict[str, str]) -> None:
    repo = fresh(source, tmp_path / "repo", package_manager="pip",
                 python_version=current_python())
    pyproject = (repo / "pyproject.toml").read_text()
    assert "[dependency-groups]" in pyproject and "optional-dependencies" not in pyproject
    run([sys.executable, "-m", "venv", str(repo / ".venv")], repo)
    venv = with_venv(env, repo / ".venv")
    # AGENTS.md's two install commands, as written.
    run(["python", "-m", "pip", "install", "--quiet", "pip>=25.1"], repo, venv)
    run(["python", "-m", "pip", "install", "--quiet", "-e", ".", "--group", "dev"], repo, venv)
    assert "Required test coverage of 90.0% reached" in run(
        ["pytest", "-p", "no:cacheprovider"], repo, venv).stdout
    assert "Success: no issues" in run(["mypy"], repo, venv).stdout
    run(["agentrails", "check", "--no-cache"], repo, venv)
    run_local_hooks(repo, venv, [])
    run([tool("codespell"), *git(repo, "ls-files").split()], repo)
    sessions = ["typecheck", "agentrails", *available_test_sessions(repo)]
    result = run(["nox", "-s", *sessions], repo, venv)
    installs = [line for line in result.stderr.splitlines() if "pip install --group" in line]
    assert installs and all("--group dev" not in line for line in installs), installs
    assert git(repo, "status", "--porcelain") == "", "a gate changed the project"
    assert_lists_its_tools(repo)
    ci = (repo / ".github/workflows/ci.yml").read_text()
    assert "setup-uv" not in ci and "uv run" not in ci and "run: nox -s hooks" in ci


def test_pyright_render_type_checks_clean(source: Path, tmp_path: Path,
                                          env: dict[str, str]) -> None:
    repo = fresh(source, tmp_path / "repo", type_checker="pyright",
                 python_version=current_python())
    uv = tool("uv")
    run([uv, "lock"], repo, env)
    assert "0 errors" in run([uv, "run", "pyright"], repo, env).stdout
    run_local_hooks(repo, env, [uv, "run"])
    assert 'session.run("pyright"' in (repo / "noxfile.py").read_text()
    assert_lists_its_tools(repo)
    module = next((repo / "src").glob("*/text.py"))
    module.write_text(module.read_text() + TYPE_ERROR)
    assert run([uv, "run", "pyright"], repo, env, check=False).returncode == 1


def test_oldest_python_render_tests_every_python_up_to_3_14(
    source: Path, tmp_path: Path, env: dict[str, str]
) -> None:
    """CI and nox test the floor up to 3.14; the project passes its gates on each Python of
    that range that this machine has (3.11 at least)."""
    repo = fresh(source, tmp_path / "repo", python_version="3.11")
    assert matrix(repo) == list(SUPPORTED) == nox_pythons(repo)
    steps = load_yaml(repo / ".github/workflows/ci.yml")["jobs"]["test"]["steps"]
    assert steps[1]["with"]["python-version"] == "${{ matrix.python }}"
    assert steps[-1]["env"]["PYTHON"] == "${{ matrix.python }}"
    pyproject = (repo / "pyproject.toml").read_text()
    assert 'requires-python = ">=3.11"' in pyproject and 'python_version = "3.11"' in pyproject
    for version in SUPPORTED:
        assert f'"Programming Language :: Python :: {version}"' in pyproject
    uv = tool("uv")
    run([uv, "lock"], repo, env)
    run([uv, "sync", "--locked", "--python", "3.11"], repo, env)
    run([uv, "run", "mypy"], repo, env)
    sessions = available_test_sessions(repo)
    assert "tests-3.11" in sessions
    result = run([uv, "run", "nox", "-s", *sessions], repo, env)
    assert result.stderr.count("was successful") == len(sessions)


def test_floor_only_when_asked(source: Path, tmp_path: Path) -> None:
    repo = fresh(source, tmp_path / "repo", python_version="3.13", test_all_pythons=False)
    assert matrix(repo) == ["3.13"] == nox_pythons(repo)
