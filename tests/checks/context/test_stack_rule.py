"""AR406: every dependency and hook repository is named in RULES.md's tool-stack table."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.checks.context.declared import from_pre_commit, from_pyproject
from agentrails.checks.context.stack_table import canonical_name, cell_names, stack_names

RULES = """\
# Rules

## Tool stack

| job | tool | where |
| --- | --- | --- |
| tests | `pytest`, [Hypothesis](https://hypothesis.works) | pyproject |
| coverage | coverage.py via Pytest_Cov | pyproject |
| lint | ruff | pyproject |
| types | mypy | pre-commit |

## Standards

| tool | note |
| --- | --- |
| requests | a table outside the section does not count |
"""

PYPROJECT = """\
[project]
name = "app"
dependencies = ["requests>=2"]

[project.optional-dependencies]
test = ["pytest>=8", "pytest-cov"]
dev = ["App[test]"]

[dependency-groups]
dev = ["hypothesis", {include-group = "test"}, "ruff==0.9"]
"""

PRE_COMMIT = """\
repos:
  - repo: https://github.com/astral-sh/ruff-pre-commit
    rev: v0.9.0
    hooks: [{id: ruff}]
  - repo: https://github.com/pre-commit/mirrors-mypy
    rev: v1.0.0
    hooks: [{id: mypy}]
  - repo: https://github.com/codespell-project/codespell
    rev: v2.4.1
    hooks: [{id: codespell}]
  - repo: local
    hooks: [{id: mine, name: mine, entry: true, language: system}]
"""


@pytest.fixture
def project(git_repo):
    return git_repo({"agentrails.toml": "warn = []\n", "RULES.md": RULES,
                     "pyproject.toml": PYPROJECT, ".pre-commit-config.yaml": PRE_COMMIT})


def findings(cli, repo) -> list[tuple[str, int, str]]:
    rows = json.loads(cli("check", "--select", "AR406", "--format", "json", repo).out)
    return [(row["path"], row["line"], row["symbol"]) for row in rows]


def test_unlisted_dependencies_and_hook_repositories_are_found(project, cli):
    assert findings(cli, project) == [
        (".pre-commit-config.yaml", 8, "codespell"),
        ("pyproject.toml", 3, "requests"),
    ]


def test_naming_them_in_the_table_stops_the_findings(project, cli):
    text = RULES.replace("| lint | ruff |", "| lint | ruff | x |\n| http | requests |")
    text = text.replace("| types | mypy |", "| types | mypy, codespell |")
    (project / "RULES.md").write_text(text)
    assert findings(cli, project) == []


def test_it_ships_in_warn_mode(project, cli):
    (project / "agentrails.toml").write_text("")
    result = cli("check", "--select", "AR406", project, cwd=project)
    assert result.code == 0
    assert "pyproject.toml:3:1: AR406 requests (project.dependencies) is not in the tool stack" \
        " of RULES.md: add it with the job it does (warning: not failing)" in result.out


def test_without_a_tool_stack_table_nothing_is_found(project, cli):
    (project / "RULES.md").write_text("# Rules\n\nNo table here.\n")
    assert findings(cli, project) == []


def test_broken_files_find_nothing_and_never_crash(project, cli):
    (project / "pyproject.toml").write_text("[project\n")
    (project / ".pre-commit-config.yaml").write_text("repos: [\n")
    result = cli("check", "--select", "AR406", "--format", "json", project)
    assert result.code in (0, 1) and "Traceback" not in result.err


def test_the_table_heading_and_file_are_configurable(project, cli):
    (project / "STACK.md").write_text(RULES.replace("## Tool stack", "## Dependencies"))
    (project / "RULES.md").unlink()
    config = 'warn = []\n[context]\nstack-file = "STACK.md"\nstack-heading = "Dependencies"\n'
    (project / "agentrails.toml").write_text(config)
    assert [symbol for _, _, symbol in findings(cli, project)] == ["codespell", "requests"]


def test_declared_names_and_aliases():
    assert [(d.name, d.where) for d in from_pyproject(PYPROJECT)] == [
        ("requests", "project.dependencies"), ("pytest", "optional-dependencies.test"),
        ("pytest-cov", "optional-dependencies.test"), ("hypothesis", "dependency-groups.dev"),
        ("ruff", "dependency-groups.dev"),
    ]
    aliases = {d.name: d.aliases for d in from_pre_commit(PRE_COMMIT)}
    assert aliases["ruff-pre-commit"] >= {"ruff"} and aliases["mirrors-mypy"] >= {"mypy"}
    assert "local" not in aliases


def test_stack_names_read_the_tool_column_of_the_section_only():
    names = stack_names(RULES.splitlines(), "Tool stack")
    assert names is not None
    assert {"pytest", "hypothesis", "coverage-py", "pytest-cov", "ruff", "mypy"} <= names
    assert "requests" not in names and "pyproject" not in names


@given(st.from_regex(r"[A-Za-z0-9]([A-Za-z0-9._-]{0,12}[A-Za-z0-9])?", fullmatch=True))
def test_canonical_names_fold_as_pypi_does(name: str) -> None:
    folded = canonical_name(name)
    assert canonical_name(folded) == folded
    assert canonical_name(name.upper().replace("-", "_")) == folded
    assert folded in cell_names(f"`{name}`") and folded in cell_names(f"x, {name} via y")
