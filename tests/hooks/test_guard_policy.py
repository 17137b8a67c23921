"""What guard-paths protects cannot be switched off by the agent it guards: the policy is
the configuration in the work tree and as committed at ``HEAD`` together, plus the files
that configure agentrails and the paths the OS sandbox keeps read-only; a hard link to a
protected file is protected; and without ``CLAUDE_PROJECT_DIR`` the project is the top of
the git work tree, not a package's folder."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

from agentrails.hooks import guard_paths
from agentrails.hooks.protected import MOST_LISTED
from tests.helpers.repo import git, write_files

SETTINGS = {"sandbox": {"enabled": True, "filesystem": {"denyWrite": [
    "./.github/workflows", "./.venv", "./.git/hooks", "~/.ssh", "//etc"]}}}


@pytest.fixture
def repo(git_repo) -> Path:
    root = git_repo({"pyproject.toml": '[project]\nname = "x"\n\n[tool.agentrails]\n',
                     ".github/CODEOWNERS": "* @a\n", ".github/workflows/ci.yml": "on: push\n",
                     ".claude/settings.json": json.dumps(SETTINGS), "src/a.py": "",
                     "packages/core/src/b.py": ""})
    git(root, "commit", "-q", "-m", "start")
    return root


def guard(root: Path, command: str, cwd: Path | None = None, tool: str = "Bash",
          environ: dict | None = None) -> int:
    tool_input = {"command": command} if tool == "Bash" else {"file_path": command}
    event = {"hook_event_name": "PreToolUse", "cwd": str(cwd or root), "tool_name": tool,
             "tool_input": tool_input}
    env = {"CLAUDE_PROJECT_DIR": str(root)} if environ is None else environ
    return guard_paths.main(io.BytesIO(json.dumps(event).encode()), env)


@pytest.mark.parametrize("config", [".agentrails.toml", "agentrails.toml"])
def test_a_configuration_in_the_work_tree_cannot_switch_the_guard_off(repo: Path,
                                                                       config: str) -> None:
    assert guard(repo, f"printf '[agents]\\nprotected = []\\n' > {config}") == 2
    write_files(repo, {config: "[agents]\nprotected = []\n"})  # written some other way
    assert guard(repo, "echo x > .github/CODEOWNERS") == 2
    assert guard(repo, str(repo / ".github/CODEOWNERS"), tool="Edit") == 2
    assert guard(repo, "echo x > src/a.py") == 0


def test_a_committed_configuration_changes_only_what_the_sandbox_does_not_hold(
        repo: Path) -> None:
    write_files(repo, {"pyproject.toml": '[project]\nname = "x"\n\n[tool.agentrails.agents]\n'
                                         'protected = ["src/**"]\n'})
    assert guard(repo, "echo x > .github/CODEOWNERS") == 2  # still protected at HEAD
    assert guard(repo, "echo x > src/a.py") == 2  # added in the work tree
    git(repo, "commit", "-q", "-am", "narrow the policy")
    assert guard(repo, "echo x > .github/CODEOWNERS") == 0  # a reviewed commit changed it
    assert guard(repo, "echo x > .github/workflows/ci.yml") == 2  # the sandbox's denyWrite


def test_the_sandboxs_read_only_paths_are_protected(repo: Path) -> None:
    for command in ("rm -rf .venv", "echo x >> .venv/bin/agentrails", "mkdir -p .git/hooks/x",
                    "touch .git/hooks/pre-commit"):
        assert guard(repo, command) == 2, command
    assert guard(repo, "echo x > ~/.ssh/config") == 0  # outside the project: not its business
    assert guard(repo, "rm -rf build dist && mkdir build") == 0


def test_a_hard_link_to_a_protected_file_is_protected(repo: Path) -> None:
    assert guard(repo, "ln .github/CODEOWNERS src/owners") == 2
    assert guard(repo, "cp -l .github/CODEOWNERS src/owners") == 2
    assert guard(repo, "ln -s ../.github/CODEOWNERS src/link") == 0  # the link itself is new
    os.link(repo / ".github/CODEOWNERS", repo / "src/owners")  # made some other way
    assert guard(repo, "echo x > src/owners") == 2
    assert guard(repo, str(repo / "src/owners"), tool="Write") == 2
    assert guard(repo, "cat src/owners") == 0


def test_the_project_is_the_work_trees_top_without_claude_project_dir(repo: Path) -> None:
    package = repo / "packages/core"
    write_files(package, {"agentrails.toml": "[agents]\nprotected = []\n"})
    for cwd in (package, package / "src"):
        assert guard(repo, "echo x > ../../.github/CODEOWNERS", cwd=package, environ={}) == 2
        assert guard(repo, str(repo / ".github/CODEOWNERS"), cwd=cwd, tool="Edit",
                     environ={}) == 2
    assert guard(repo, "echo x > src/new.py", cwd=package, environ={}) == 0


def test_find_is_checked_against_a_crowded_environment_without_listing_it(repo: Path) -> None:
    """A virtual environment can hold tens of thousands of files: past ``MOST_LISTED`` the
    guard stops listing it and refuses what could reach into it."""
    site = repo / ".venv/lib/site-packages/pkg"
    site.mkdir(parents=True)
    for number in range(MOST_LISTED + 1):
        (site / f"m{number}.py").write_text("")
    assert guard(repo, "find . -name '*.pyc' -delete") == 2
    assert guard(repo, "find src -name '*.pyc' -delete") == 0
    assert guard(repo, "find .github -name '*.pyc' -delete") == 0  # nothing there is one
    assert guard(repo, "find .github -name '*.yml' -delete") == 2
