"""``layout: monorepo``: a uv workspace whose packages/<name>/ each have their own
pyproject.toml, src/, tests/, AGENTS.md and a configuration extending the root's;
`agentrails package new` adds a second package from the same text; the two-package
repository passes its gates (the workspace lock, each package's type check and tests, the
agentrails checks) and so does a third package; a package's context file over the budget
fires AR401 there only, and a broken link in it AR403 there. Adopted, a monorepo's packages
are context files only."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from tests.helpers.template import (
    agentrails,
    commit_all,
    copier_config,
    git,
    render,
    run,
    tool,
    tree_files,
)
from tests.helpers.toolchain import build_wheel, current_python, toolchain_env

pytestmark = pytest.mark.slow

MONOREPO = {"project_name": "Shop", "agent_tools": ["claude"], "python_package": True,
            "layout": "monorepo", "package_name": "api", "python_version": current_python()}


@pytest.fixture(scope="module")
def mono(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The monorepo render, a second package added by the command, committed."""
    repo = tmp_path_factory.mktemp("monorepo") / "shop"
    render(source, repo, MONOREPO)
    commit_all(repo)
    assert agentrails(repo, "package", "new", "web").stdout.splitlines()[:3] == [
        "Created packages/web/: AGENTS.md, agentrails.toml, CLAUDE.md, pyproject.toml, "
        "src/web/__init__.py, src/web/py.typed, tests/test_web.py",
        "AGENTS.md lists packages/web/, owned by @your-org.",
        ".github/CODEOWNERS: /packages/web/ @your-org"]
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


def gates(repo: Path, env: dict[str, str]) -> None:
    """The workspace's gates as CI runs them: the lock step, every package's type check and
    tests (on this interpreter's Python), and the agentrails checks at the root and in
    each package; ruff over the whole tree."""
    uv = tool("uv")
    run([uv, "lock", "--check"], repo, env)
    sessions = ["typecheck", "agentrails", f"tests-{current_python()}"]  # lean: one Python
    result = run([uv, "run", "nox", "-s", *sessions], repo, env)
    packages = sorted(p.name for p in (repo / "packages").iterdir())
    passed = [f"Session {name}(package='{package}') was successful" for package in packages
              for name in ("typecheck", f"tests-{current_python()}")]
    assert [line for line in passed if line not in result.stderr] == []
    output = result.stdout + result.stderr
    assert output.count("Required test coverage of 90.0% reached") >= len(packages)
    static_gates(repo, packages)


def static_gates(repo: Path, packages: list[str]) -> None:
    """ruff over the tree, agentrails at the root and inside each package."""
    run([tool("ruff"), "check", "--no-cache", "."], repo)
    run([tool("ruff"), "format", "--no-cache", "--check", "."], repo)
    checks = [agentrails(where, "check", "--no-cache", check=False)
              for where in (repo, *(repo / "packages" / p for p in packages))]
    assert [c.stdout + c.stderr for c in checks if c.returncode != 0] == []


def test_two_packages_pass_their_gates_and_a_third_too(mono: Path, tmp_path: Path) -> None:
    repo = tmp_path / "shop"
    shutil.copytree(mono, repo, symlinks=True)
    wheels = build_wheel(tmp_path / "wheels")
    env = toolchain_env(wheels, tmp_path / "home")
    uv = tool("uv")
    run([uv, "sync", "--all-packages"], repo, env)
    commit_all(repo, "uv.lock")
    assert sorted(p.name for p in (repo / "packages").iterdir()) == ["api", "web"]
    gates(repo, env)
    added = run([uv, "run", "agentrails", "package", "new", "billing-core", "--owner",
                 "@shop/billing"], repo, env)
    assert "uv sync --all-packages" in added.stdout
    run([uv, "sync", "--all-packages"], repo, env)
    commit_all(repo, "billing-core")
    agents = (repo / "AGENTS.md").read_text()
    assert "| [`packages/billing-core/`](packages/billing-core/AGENTS.md) | `@shop/billing` |" \
        in agents
    gates(repo, env)
    assert git(repo, "status", "--porcelain") == "", "a gate changed the workspace"


def test_the_command_writes_what_the_template_renders(mono: Path, tmp_path: Path) -> None:
    repo = tmp_path / "again"
    shutil.copytree(mono, repo)
    rendered = tree_files(repo / "packages" / "api")
    shutil.rmtree(repo / "packages" / "api")
    agentrails(repo, "package", "new", "api")
    assert tree_files(repo / "packages" / "api") == rendered
    assert set(rendered) == {"AGENTS.md", "CLAUDE.md", "agentrails.toml", "pyproject.toml",
                             "src/api/__init__.py", "src/api/py.typed", "tests/test_api.py"}


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
