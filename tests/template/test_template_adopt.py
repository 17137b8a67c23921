"""Adopting the template into an existing repository, and ``copier update`` to a newer tag:
the user's files stay as they were, the template's own files move to the new release."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from tests.helpers.template import (
    COMBOS,
    agentrails,
    commit_all,
    git,
    render,
    run,
    tagless_clone,
    tool,
    tracked_files,
)

pytestmark = pytest.mark.slow

USER_README = "# Legacy service\n\nOur own readme, written by hand.\n"
USER_PYPROJECT = """[project]
name = "legacy"
version = "3.1.4"
dependencies = ["requests>=2"]

[tool.ruff]
line-length = 88
"""
USER_CI = """name: ci
on: [push]
permissions: {}
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo our own build
"""
USER_CODE = '"""Legacy code."""\n\n\ndef answer() -> int:\n    """The answer."""\n    return 42\n'


def existing_repo(path: Path) -> dict[str, str]:
    """A repository with its own README, pyproject.toml, CI and code, committed."""
    files = {
        "README.md": USER_README,
        "pyproject.toml": USER_PYPROJECT,
        ".github/workflows/ci.yml": USER_CI,
        "legacy/__init__.py": USER_CODE,
        "tests/test_legacy.py": "from legacy import answer\n\n\ndef test_answer():\n"
                                "    assert answer() == 42\n",
    }
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    commit_all(path, "our own project")
    return files


@pytest.mark.parametrize("overwrite", [False, True])
def test_adoption_keeps_every_user_file(source: Path, tmp_path: Path, overwrite: bool) -> None:
    repo = tmp_path / "legacy"
    repo.mkdir()
    mine = existing_repo(repo)
    data = {**COMBOS["all-tools-adopt"], "project_name": "Legacy"}
    result = render(source, repo, data, extra=["--overwrite"] if overwrite else [])
    for name, text in mine.items():
        assert (repo / name).read_text() == text, f"{name} was changed"
    message = result.stdout + result.stderr
    assert "Kept as they were if they already existed" in message
    assert "README.md, LICENSE, pyproject.toml" in message
    for name in ("AGENTS.md", "agentrails.toml", ".github/workflows/agentrails.yml",
                 ".pre-commit-config.yaml", ".claude/settings.json", "handoffs/TEMPLATE.md"):
        assert (repo / name).is_file(), name
    commit_all(repo, "adopt agentrails")
    check = agentrails(repo, "check", "--no-cache", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_adoption_keeps_existing_agent_files(source: Path, tmp_path: Path) -> None:
    """A repository that already has its own AGENTS.md, .gitignore and pre-commit config."""
    repo = tmp_path / "legacy"
    repo.mkdir()
    own = {
        "AGENTS.md": "# Our agent notes\n\nRead the code.\n",
        ".gitignore": "*.log\n",
        ".pre-commit-config.yaml": "repos: []\n",
        ".claude/settings.json": '{"permissions": {"allow": []}}\n',
    }
    for name, text in own.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text)
    commit_all(repo, "ours")
    render(source, repo, {**COMBOS["all-tools-adopt"], "project_name": "Legacy"})
    for name, text in own.items():
        assert (repo / name).read_text() == text, f"{name} was changed"


def release(source: Path, clone: Path) -> tuple[str, str]:
    """A clone of the template tagged v0.1.0 and, one commit later, v0.2.0."""
    tagless_clone(source, clone)
    git(clone, "tag", "v0.1.0")
    rules = clone / "template" / "RULES.md.jinja"
    rules.write_text(rules.read_text() + "- New in v0.2.0: write the test first.\n")
    (text_py,) = clone.glob("template/*/*/text.py")
    text_py.write_text(text_py.read_text() + "# new in v0.2.0\n")
    git(clone, "commit", "-q", "-am", "v0.2.0")
    git(clone, "tag", "v0.2.0")
    return git(clone, "rev-parse", "v0.1.0^{commit}"), git(clone, "rev-parse", "v0.2.0^{commit}")


TEMPLATE_MOVES = {
    "RULES.md", ".pre-commit-config.yaml", ".copier-answers.yml", ".github/workflows/ci.yml",
    ".github/workflows/promote.yml", ".github/workflows/self-heal.yml",
    ".github/workflows/cleanup.yml",
}


def changed(before: dict[str, bytes], after: dict[str, bytes]) -> set[str]:
    """Files added, removed or modified between two snapshots."""
    return {name for name in set(before) | set(after) if before.get(name) != after.get(name)}


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_update_moves_template_files_and_keeps_user_edits(source: Path, tmp_path: Path) -> None:
    old_sha, new_sha = release(source, tmp_path / "template")
    repo = tmp_path / "project"
    render(tmp_path / "template", repo, COMBOS["claude-package"], vcs_ref="v0.1.0")
    commit_all(repo)
    assert "rev: v0.1.0\n" in (repo / ".pre-commit-config.yaml").read_text()
    edit(repo / "RULES.md", "# Rules\n", "# Rules of Acme\n")
    edit(repo / "AGENTS.md", "- Nothing yet.", "- Billing API, half done.")
    edit(repo / "src/acme_billing/text.py", '"""Text helpers', '"""Our text helpers')
    (repo / "src/acme_billing/py.typed").unlink()
    commit_all(repo, "our edits")
    before = tracked_files(repo)

    run([tool("copier"), "update", "--defaults", "--vcs-ref", "v0.2.0"], repo)

    moved = changed(before, tracked_files(repo))
    assert moved <= TEMPLATE_MOVES, moved - TEMPLATE_MOVES  # src/, AGENTS.md, pyproject kept
    rules = (repo / "RULES.md").read_text()
    assert rules.startswith("# Rules of Acme\n")
    assert rules.endswith("- New in v0.2.0: write the test first.\n")
    assert "rev: v0.2.0\n" in (repo / ".pre-commit-config.yaml").read_text()
    ci = (repo / ".github/workflows/ci.yml").read_text()
    assert f"ci/check@{new_sha} # v0.2.0\n" in ci
    assert old_sha not in ci
    assert not list(repo.rglob("*.rej"))
    commit_all(repo, "update")
    check = agentrails(repo, "check", "--no-cache", check=False)
    assert check.returncode == 0, check.stdout + check.stderr


def test_update_to_the_same_release_changes_nothing(source: Path, tmp_path: Path) -> None:
    repo = tmp_path / "project"
    render(source, repo, COMBOS["bare-adopt"])
    commit_all(repo)
    shutil.rmtree(repo / ".github" / "rulesets")  # deleted on purpose: stays deleted
    commit_all(repo, "no rulesets here")
    run([tool("copier"), "update", "--defaults", "--vcs-ref", "HEAD"], repo)
    assert git(repo, "status", "--porcelain") == ""
