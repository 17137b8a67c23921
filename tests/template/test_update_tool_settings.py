"""Everything the template decides in pyproject.toml rolls out with `copier update`, merged
three-way with the team's own edits. Two real tags of this template: v0.1.0 is this
checkout; v0.2.0 adds a ruff rule, a mypy flag and raises the coverage floor. A repository
rendered at v0.1.0 adds a dependency with `uv add` and a ruff option of its own; the update
to v0.2.0 brings all three changes in, keeps both edits, leaves no conflict, and the lock
still matches."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from tests.helpers.template import (
    commit_all,
    git,
    render,
    run,
    tagless_clone,
    template_source,
    tool,
)
from tests.helpers.toolchain import build_wheel, current_python, toolchain_env
from tests.helpers.update import copier_update, replace_once

pytestmark = pytest.mark.slow

PYPROJECT = "template/{% if python_package %}pyproject.toml{% endif %}.jinja"
NEW_RULE = ('  "C90",\n]', '  "C90",\n  "RUF",\n]')
NEW_FLAG = ("warn_unreachable = true\n",
            "warn_unreachable = true\ndisallow_any_unimported = true\n")
NEW_FLOOR = ("fail_under = {{ coverage_floor }}", "fail_under = 95")
TEAM_OPTION = ('  "C90",\n]\n', '  "C90",\n]\nignore = ["E501"]\n')


def release_b(clone: Path) -> None:
    """v0.2.0: a ruff rule more, a stricter mypy, a higher coverage floor."""
    template = clone / PYPROJECT
    for old, new in (NEW_RULE, NEW_FLAG, NEW_FLOOR):
        replace_once(template, old, new)
    git(clone, "commit", "-qam", "v0.2.0: RUF, disallow_any_unimported, coverage 95%")
    git(clone, "tag", "v0.2.0")


def assert_no_conflict(repo: Path, text: str) -> None:
    """No inline conflict in the file, none recorded by git, no rejected hunk."""
    assert "<<<<<<<" not in text
    assert ">>>>>>>" not in text
    assert git(repo, "diff", "--name-only", "--diff-filter=U") == ""
    assert not list(repo.rglob("*.rej"))


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    wheels = build_wheel(tmp_path_factory.mktemp("wheels"))
    return toolchain_env(wheels, tmp_path_factory.mktemp("home"))


def test_tool_settings_roll_out_and_the_teams_edits_stay(tmp_path: Path,
                                                         env: dict[str, str]) -> None:
    clone = tagless_clone(template_source(tmp_path), tmp_path / "template")
    git(clone, "tag", "v0.1.0")
    repo = tmp_path / "repo"
    render(clone, repo, {"project_name": "Acme Billing", "python_version": current_python()},
           vcs_ref="v0.1.0")
    commit_all(repo, "start from agentrails v0.1.0")

    uv = tool("uv")
    run([uv, "add", "--no-sync", "httpx>=0.27"], repo, env)
    replace_once(repo / "pyproject.toml", *TEAM_OPTION)
    commit_all(repo, "the team: httpx, and long lines are fine here")
    mine = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    release_b(clone)

    copier_update(repo, "--vcs-ref", "v0.2.0")

    text = (repo / "pyproject.toml").read_text(encoding="utf-8")
    assert_no_conflict(repo, text)
    after = tomllib.loads(text)
    lint = after["tool"]["ruff"]["lint"]
    assert lint["select"] == [*mine["tool"]["ruff"]["lint"]["select"], "RUF"]
    assert after["tool"]["mypy"]["disallow_any_unimported"] is True
    assert after["tool"]["coverage"]["report"]["fail_under"] == 95
    assert lint["ignore"] == ["E501"]
    assert after["project"]["dependencies"] == mine["project"]["dependencies"]
    assert any(dep.startswith("httpx>=") for dep in after["project"]["dependencies"])
    changed = set(git(repo, "status", "--porcelain").split())
    assert "pyproject.toml" in changed
    assert "uv.lock" not in changed
    run([uv, "lock", "--check"], repo, env)  # tool settings never stale the team's lock


def test_a_repository_that_keeps_its_pyproject_gets_none_of_it(tmp_path: Path) -> None:
    """merge_pyproject=false (what a repository made before 0.3.0 answers): the file is the
    team's alone, as before, and the same release leaves it byte for byte."""
    clone = tagless_clone(template_source(tmp_path), tmp_path / "template")
    git(clone, "tag", "v0.1.0")
    repo = tmp_path / "repo"
    render(clone, repo, {"project_name": "Acme Billing", "merge_pyproject": False},
           vcs_ref="v0.1.0")
    commit_all(repo, "start from agentrails v0.1.0")
    before = (repo / "pyproject.toml").read_bytes()
    release_b(clone)
    copier_update(repo, "--vcs-ref", "v0.2.0")
    assert (repo / "pyproject.toml").read_bytes() == before
    assert "RUF" not in before.decode() and "fail_under = 90" in before.decode()
