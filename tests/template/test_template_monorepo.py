"""``layout: monorepo``: the template renders packages/<name>/ with its own AGENTS.md and a
configuration extending the root's; `agentrails package new` adds a second package from the
same text; the two-package repository passes its gates; a package's context file over the
budget fires AR401 there only, and a broken link in it AR403 there."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest
from tests.helpers.template import (
    agentrails,
    commit_all,
    copier_config,
    render,
    run,
    tool,
    tree_files,
)

pytestmark = pytest.mark.slow

MONOREPO = {"project_name": "Shop", "agent_tools": ["claude"], "python_package": True,
            "layout": "monorepo", "package_name": "api"}


@pytest.fixture(scope="module")
def mono(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The monorepo render, a second package added by the command, committed."""
    repo = tmp_path_factory.mktemp("monorepo") / "shop"
    render(source, repo, MONOREPO)
    commit_all(repo)
    assert agentrails(repo, "package", "new", "web").stdout == (
        "Created packages/web/: AGENTS.md, agentrails.toml, CLAUDE.md\n")
    commit_all(repo, "web")
    return repo


@pytest.fixture
def copy(mono: Path, tmp_path: Path) -> Path:
    repo = tmp_path / "shop"
    shutil.copytree(mono, repo)
    return repo


def findings(repo: Path, *args: str) -> tuple[int, list[tuple[str, int, str, str]]]:
    result = agentrails(repo, "check", "--no-cache", "--format", "json", *args, check=False)
    assert result.returncode in (0, 1), result.stderr
    found = [(f["path"], f["line"], f["code"], f["severity"]) for f in json.loads(result.stdout)
             if f["severity"] == "error"]
    return result.returncode, found


def test_two_packages_pass_their_gates(mono: Path) -> None:
    assert sorted(p.name for p in (mono / "packages").iterdir()) == ["api", "web"]
    run([tool("ruff"), "check", "--no-cache", "."], mono)
    run([tool("ruff"), "format", "--no-cache", "--check", "."], mono)
    run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"], mono)
    run([tool("pre-commit"), "validate-config", ".pre-commit-config.yaml"], mono)
    for where in (mono, mono / "packages" / "api", mono / "packages" / "web"):
        result = agentrails(where, "check", "--no-cache", check=False)
        assert result.returncode == 0, result.stdout + result.stderr


def test_the_command_writes_what_the_template_renders(mono: Path, tmp_path: Path) -> None:
    repo = tmp_path / "again"
    shutil.copytree(mono, repo)
    rendered = tree_files(repo / "packages" / "api")
    shutil.rmtree(repo / "packages" / "api")
    agentrails(repo, "package", "new", "api")
    assert tree_files(repo / "packages" / "api") == rendered
    assert set(rendered) == {"AGENTS.md", "CLAUDE.md", "agentrails.toml"}


def test_a_grown_package_guide_fires_ar401_there_only(copy: Path) -> None:
    guide = copy / "packages" / "web" / "AGENTS.md"
    root_lines = len((copy / "AGENTS.md").read_bytes().splitlines())
    budget = 200  # the template's default context_budget_lines
    extra = budget - root_lines - len(guide.read_bytes().splitlines()) + 1
    guide.write_text(guide.read_text() + "".join(f"- note {n}\n" for n in range(extra)))
    assert len(guide.read_bytes().splitlines()) < budget  # over only with the root's counted
    assert findings(copy) == (1, [("packages/web/AGENTS.md", 1, "AR401", "error")])
    assert findings(copy / "packages" / "web") == (1, [("AGENTS.md", 1, "AR401", "error")])
    assert findings(copy / "packages" / "api") == (0, [])


def test_a_broken_link_in_a_package_guide_fires_ar403_there(copy: Path) -> None:
    guide = copy / "packages" / "api" / "AGENTS.md"
    guide.write_text(guide.read_text() + "\nSee [the runbook](docs/runbook.md).\n")
    line = len(guide.read_text().splitlines())
    assert findings(copy) == (1, [("packages/api/AGENTS.md", line, "AR403", "error")])
    assert findings(copy / "packages" / "api") == (1, [("AGENTS.md", line, "AR403", "error")])


def test_adopt_layout_extends_agentrails_toml_and_single_has_no_packages(
    source: Path, tmp_path: Path,
) -> None:
    adopt = tmp_path / "adopt"
    render(source, adopt, {**MONOREPO, "python_package": False, "agent_tools": ["codex"],
                           "package_name": "core"})
    package = adopt / "packages" / "core"
    assert sorted(p.name for p in package.iterdir()) == ["AGENTS.md", "agentrails.toml"]
    assert 'extend = "../../agentrails.toml"' in (package / "agentrails.toml").read_text()
    commit_all(adopt)
    assert agentrails(adopt, "check", "--no-cache", check=False).returncode == 0
    single = tmp_path / "single"
    render(source, single, {"project_name": "Solo"})
    assert not (single / "packages").exists()
    answers = (single / ".copier-answers.yml").read_text()
    assert "layout: single" in answers and "package_name" not in answers


def test_the_questions_and_a_bad_package_name(source: Path, tmp_path: Path) -> None:
    questions = copier_config()
    assert questions["layout"]["choices"] == ["single", "monorepo"]
    assert questions["layout"]["default"] == "single"
    assert questions["package_name"]["when"] == "{{ layout == 'monorepo' }}"
    assert questions["layout"]["help"] and questions["package_name"]["help"]
    result = render(source, tmp_path / "out", {**MONOREPO, "package_name": "Bad/Name"},
                    check=False)
    assert result.returncode != 0
    assert "lowercase letters, digits, '-' and '_'" in " ".join(result.stderr.split())
    assert not (tmp_path / "out").exists()
