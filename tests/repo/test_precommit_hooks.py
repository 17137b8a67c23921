"""The pre-commit channel: ``.pre-commit-hooks.yaml`` at the root of this repository, run for
real with ``pre-commit try-repo`` inside a rendered repository."""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from tests.helpers.template import COMBOS, REPO, commit_all, git, render, run, tool

MANIFEST = REPO / ".pre-commit-hooks.yaml"
GENERATED_CONFIG = REPO / "template" / ".pre-commit-config.yaml.jinja"
FAMILY_SELECT = {
    "agentrails": None,
    "agentrails-size": "AR1",
    "agentrails-complexity": "AR2",
    "agentrails-dead-code": "AR3",
    "agentrails-context": "AR4,AR5,AR6,AR7",
    "agentrails-update-hygiene": "AR9",
}


def hooks() -> dict[str, dict]:
    return {hook["id"]: hook for hook in yaml.safe_load(MANIFEST.read_text())}


def test_manifest_validates() -> None:
    run([tool("pre-commit"), "validate-manifest", str(MANIFEST)], REPO)


def test_every_hook_is_a_documented_agentrails_check() -> None:
    found = hooks()
    assert set(found) == set(FAMILY_SELECT)
    for hook_id, hook in found.items():
        assert hook["language"] == "python", hook_id
        assert hook["name"].strip() and hook["description"].strip(), hook_id
        assert hook["require_serial"] is True, hook_id
        argv = shlex.split(hook["entry"])
        assert argv[:2] == ["agentrails", "check"], hook_id
        select = argv[argv.index("--select") + 1] if "--select" in argv else None
        assert select == FAMILY_SELECT[hook_id], hook_id


def test_whole_program_hooks_do_not_take_file_names() -> None:
    found = hooks()
    # Update hygiene checks the whole tree too: a leftover *.rej is never staged.
    whole = (
        "agentrails", "agentrails-dead-code", "agentrails-context", "agentrails-update-hygiene"
    )
    for hook_id in whole:
        assert found[hook_id]["pass_filenames"] is False, hook_id
    assert found["agentrails-update-hygiene"]["always_run"] is True
    for hook_id in ("agentrails-size", "agentrails-complexity"):
        assert found[hook_id].get("pass_filenames", True) is True, hook_id


def test_generated_config_uses_only_hooks_that_exist() -> None:
    used = set(re.findall(r"- id: (agentrails[\w-]*)", GENERATED_CONFIG.read_text()))
    assert used == set(FAMILY_SELECT) - {"agentrails"}


@pytest.mark.parametrize("hook_id", FAMILY_SELECT)
def test_every_entry_runs_against_the_installed_rules(hook_id: str, tmp_path: Path) -> None:
    """Each entry's selection names rules that exist (a bad selector would exit 2)."""
    (tmp_path / "ok.py").write_text('"""A module."""\n\nVALUE = 1\n')
    commit_all(tmp_path)
    argv = shlex.split(hooks()[hook_id]["entry"])
    result = run([sys.executable, "-m", "agentrails", *argv[1:], "--no-cache"], tmp_path,
                 check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def rendered(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], Path]:
    """A rendered and committed repository for a combination of answers, made once each."""
    root = tmp_path_factory.mktemp("rendered")
    repos: dict[str, Path] = {}

    def repo_for(combo: str) -> Path:
        if combo not in repos:
            render(source, root / combo, COMBOS[combo])
            commit_all(root / combo)
            repos[combo] = root / combo
        return repos[combo]

    return repo_for


@pytest.fixture
def project(source: Path, rendered: Callable[[str], Path]) -> tuple[Path, Path]:
    """(template source, the rendered and committed claude-package repository)."""
    return source, rendered("claude-package")


@pytest.mark.slow
@pytest.mark.parametrize("combo", COMBOS)
def test_try_repo_runs_every_hook_green(
    source: Path, rendered: Callable[[str], Path], combo: str
) -> None:
    """Every hook of this repository, run by pre-commit itself, passes in every rendered
    repository (package or adopting, every agent tool, optional workflows on or off). An
    adopting render has no Python file yet, so there pre-commit skips the Python-only hooks."""
    repo = rendered(combo)
    has_python = any(name.endswith(".py") for name in git(repo, "ls-files").split())
    assert has_python == COMBOS[combo]["python_package"]
    result = run([tool("pre-commit"), "try-repo", str(source), "--all-files"], repo, check=False)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    for hook in hooks().values():
        skipped = "python" in hook.get("types", []) and not has_python
        status = r"\(no files to check\)Skipped" if skipped else "Passed"
        assert re.search(rf"^{re.escape(hook['name'])}\.+{status}$", output, re.M), hook["name"]
    assert git(repo, "status", "--porcelain") == "", "a hook changed the rendered repository"


@pytest.mark.slow
def test_hooks_fail_on_findings(project: tuple[Path, Path], tmp_path: Path) -> None:
    """The hooks are not no-ops: a too-long file and a conflict marker make them fail."""
    source, repo = project
    rev = git(source, "rev-parse", "HEAD")
    (repo / "notes.txt").write_text("line\n" * 600)
    (repo / "merge.md").write_text("<<<<<<< before updating\na\n=======\nb\n>>>>>>> after\n")
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(source), "rev": rev, "hooks": [
        {"id": "agentrails-size"}, {"id": "agentrails-update-hygiene"}]}]}))
    git(repo, "add", "-A")
    try:
        result = run([tool("pre-commit"), "run", "--config", str(config), "--all-files"], repo,
                     env={"PRE_COMMIT_HOME": str(tmp_path / "cache")}, check=False)
    finally:
        git(repo, "reset", "-q", "--hard")
        git(repo, "clean", "-qfd")
    output = result.stdout + result.stderr
    assert result.returncode == 1, output
    assert "notes.txt:1:1: AR101" in output
    assert "merge.md:1:1: AR901" in output


@pytest.mark.slow
def test_hooks_honour_the_baseline(project: tuple[Path, Path], tmp_path: Path) -> None:
    """A finding recorded by ``agentrails baseline`` passes the hooks; a new one fails them."""
    source, repo = project
    rev = git(source, "rev-parse", "HEAD")
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"repos": [{"repo": str(source), "rev": rev, "hooks": [
        {"id": "agentrails-size"}]}]}))
    hook = [tool("pre-commit"), "run", "--config", str(config), "--all-files"]
    env = {"PRE_COMMIT_HOME": str(tmp_path / "cache")}
    (repo / "legacy.txt").write_text("line\n" * 600)
    try:
        run([sys.executable, "-m", "agentrails", "baseline"], repo)
        git(repo, "add", "-A")
        green = run(hook, repo, env=env, check=False)
        (repo / "fresh.txt").write_text("line\n" * 600)
        git(repo, "add", "-A")
        red = run(hook, repo, env=env, check=False)
    finally:
        git(repo, "reset", "-q", "--hard")
        git(repo, "clean", "-qfd")
    assert green.returncode == 0, green.stdout + green.stderr
    output = red.stdout + red.stderr
    assert red.returncode == 1, output
    assert "fresh.txt:1:1: AR101" in output and "legacy.txt" not in output
