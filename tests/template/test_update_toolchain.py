"""The toolchain questions (package_manager, type_checker, test_all_pythons, release_workflow)
never change the toolchain of a repository that `copier update` brings to this release: a
repository made before they existed stays on pip, without a type checker, a Python matrix or
a release workflow, and its CI still runs its tests. A new repository gets uv and mypy, even
when copier is given answers on the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.helpers.template import COMBOS, agentrails, commit_all, git, load_yaml, render, run, tool
from tests.helpers.update import copier_update, history_clone, recorded_answers
from tests.helpers.toolchain import current_python, toolchain_env

pytestmark = pytest.mark.slow

QUESTION = "package_manager:"
CONFIG = ("copier.yml", "questions")
BEFORE = "v0.1.0"
OLD_DEFAULTS = {"package_manager": "pip", "type_checker": "none", "test_all_pythons": False,
                "release_workflow": False}


def release_before_the_questions(clone: Path) -> str:
    """The v0.1.0 tag, made here on the newest commit whose copier.yml does not ask
    package_manager yet unless the clone has the real one."""
    if BEFORE not in git(clone, "tag", "-l", BEFORE).split():
        added = git(clone, "log", "--format=%H", "-S", QUESTION, "--", *CONFIG).split()
        assert added, "no commit adds the package_manager question"
        git(clone, "tag", BEFORE, f"{added[-1]}^")
    asked = run(["git", "grep", "-q", f"^{QUESTION}", BEFORE, "--", *CONFIG], clone, check=False)
    assert asked.returncode == 1, f"{BEFORE} already asks package_manager"
    return BEFORE


def test_a_new_repository_gets_the_new_defaults_whatever_data_it_is_given(
    source: Path, tmp_path: Path
) -> None:
    repo = tmp_path / "repo"
    render(source, repo, {"staging_branch": "develop", "max_file_lines": 400,
                          "context_budget_lines": 150})
    answers = recorded_answers(repo)
    assert {key: answers[key] for key in OLD_DEFAULTS} == {
        "package_manager": "uv", "type_checker": "mypy", "test_all_pythons": True,
        "release_workflow": True}


def assert_new_in_0_3_0_is_off(answers: dict, ci: dict) -> None:
    """New in 0.3.0, and off for a repository made before: the hooks job only warns (ruff's
    lint job still gates), and pyproject.toml stays the team's."""
    assert (answers["ci_hooks"], answers["merge_pyproject"]) == ("warn", False)
    assert ci["jobs"]["gate"]["needs"] == ["lint", "test", "checks"]


def test_update_from_before_the_questions_keeps_pip(tmp_path: Path) -> None:
    clone = history_clone(tmp_path / "history")
    release = release_before_the_questions(clone)
    repo = tmp_path / "repo"
    floor = current_python()
    render(clone, repo, {**COMBOS["claude-package"], "python_version": floor}, vcs_ref=release)
    commit_all(repo, f"start from agentrails {release}")
    pyproject = (repo / "pyproject.toml").read_bytes()

    # An answer given on the command line does not make it look like a new repository.
    copier_update(repo, "--vcs-ref", "HEAD", "--data", "max_file_lines=450")

    answers = recorded_answers(repo)
    assert {key: answers[key] for key in OLD_DEFAULTS} == OLD_DEFAULTS
    assert (repo / "pyproject.toml").read_bytes() == pyproject
    assert not (repo / ".github/workflows/release.yml").exists()
    ci = load_yaml(repo / ".github/workflows/ci.yml")
    assert "typecheck" not in ci["jobs"] and {"hooks", "lint", "test"} <= set(ci["jobs"])
    assert_new_in_0_3_0_is_off(answers, ci)
    assert ci["jobs"]["test"]["strategy"]["matrix"]["python"] == [floor]
    text = (repo / ".github/workflows/ci.yml").read_text()
    assert "setup-uv" not in text and "uv run" not in text
    assert 'session.install("-e", ".[test]")' in (repo / "noxfile.py").read_text()
    hooks = (repo / ".pre-commit-config.yaml").read_text()
    assert "repo: local" not in hooks and "astral-sh/ruff-pre-commit" in hooks
    commit_all(repo, "update to HEAD")
    agentrails(repo, "check", "--no-cache")

    # What the test job of CI runs, on the team's own (old) pyproject.toml.
    (tmp_path / "wheels").mkdir()
    env = toolchain_env(tmp_path / "wheels", tmp_path / "home")
    result = run([tool("nox"), "-s", f"tests-{floor}"], repo, env)
    assert "Required test coverage of 90.0% reached" in result.stdout
