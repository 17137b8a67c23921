"""``agentrails package new NAME`` in real git repositories: it writes packages/NAME/ from the
scaffold the template includes, the result passes the checks from the root and from inside,
and it never overwrites anything."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.commands.package import NAME
from agentrails.commands.package_files import SCAFFOLD_FILES, fill, scaffold_files, scaffold_text
from tests.helpers.repo import git

ROOT_CONFIG = "[project]\nname = 'shop'\n\n[tool.agentrails.context]\nmax-lines = 60\n"
ROOT_AGENTS = "# Shop\n\nRead this first.\n\n## Current state\n\n- Fine.\n"


@pytest.fixture
def repo(git_repo) -> Path:
    root = git_repo({"pyproject.toml": ROOT_CONFIG, "AGENTS.md": ROOT_AGENTS,
                     "CLAUDE.md": "@AGENTS.md\n"})
    git(root, "commit", "-q", "-m", "start")
    return root


def test_it_writes_the_package_and_the_checks_pass(repo: Path, cli) -> None:
    outcome = cli("package", "new", "api", cwd=repo)
    assert outcome.code == 0, outcome.err
    assert outcome.out == ("Created packages/api/: AGENTS.md, agentrails.toml, CLAUDE.md\n"
                           "No owner recorded: no CODEOWNERS with a `*` line; pass --owner "
                           "@team.\n")
    package = repo / "packages" / "api"
    assert sorted(p.name for p in package.iterdir()) == ["AGENTS.md", "CLAUDE.md",
                                                         "agentrails.toml"]
    config = tomllib.loads((package / "agentrails.toml").read_text())
    assert config["extend"] == "../../pyproject.toml"
    assert (package / "CLAUDE.md").read_text() == "@AGENTS.md\n"
    agents = (package / "AGENTS.md").read_text()
    assert agents.startswith("# api: agent guide\n") and "@" not in agents  # imports nothing
    git(repo, "add", "-A")
    assert cli("check", "--no-cache", cwd=repo).code == 0
    assert cli("check", "--no-cache", cwd=package).code == 0


def test_from_inside_a_package_it_adds_a_sibling(repo: Path, cli) -> None:
    assert cli("package", "new", "api", cwd=repo).code == 0
    inside = repo / "packages" / "api"
    assert cli("package", "new", "web", cwd=inside).code == 0
    web = repo / "packages" / "web" / "agentrails.toml"
    assert tomllib.loads(web.read_text())["extend"] == "../../pyproject.toml"
    assert not (inside / "packages").exists()


def test_it_never_overwrites(repo: Path, cli) -> None:
    folder = repo / "packages" / "api"
    folder.mkdir(parents=True)
    (folder / "AGENTS.md").write_text("mine\n")
    outcome = cli("package", "new", "api", cwd=repo)
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err == (f"agentrails: error: packages/api/ already exists in {repo}; "
                           "nothing written\n")
    assert (folder / "AGENTS.md").read_text() == "mine\n"
    assert [p.name for p in folder.iterdir()] == ["AGENTS.md"]
    (repo / "packages" / "web").write_text("a file, not a folder\n")
    assert cli("package", "new", "web", cwd=repo).code == 2
    assert (repo / "packages" / "web").read_text() == "a file, not a folder\n"


@pytest.mark.parametrize("name", ["", "Api", "a/b", "..", "-x", "_x", "a b", "x" * 51, "ä"])
def test_a_bad_name_is_refused_and_nothing_is_written(repo: Path, cli, name: str) -> None:
    outcome = cli("package", "new", "--", name, cwd=repo)
    assert outcome.code == 2
    assert "package name" in outcome.err and outcome.err.count("\n") == 1
    assert not (repo / "packages").exists()


def test_without_configuration_it_says_so(git_repo, cli) -> None:
    root = git_repo({"README.md": "# x\n"})
    outcome = cli("package", "new", "api", cwd=root)
    assert outcome.code == 2
    assert "no agentrails configuration found" in outcome.err
    assert not (root / "packages").exists()


def test_a_broken_root_configuration_is_exit_2(git_repo, cli) -> None:
    root = git_repo({"agentrails.toml": "colour = 'blue'\n"})
    outcome = cli("package", "new", "api", cwd=root)
    assert outcome.code == 2 and "unknown key colour" in outcome.err


def test_agentrails_toml_at_the_root_and_no_claude(git_repo, cli) -> None:
    root = git_repo({"agentrails.toml": "[size]\nmax-lines = 400\n", "AGENTS.md": ROOT_AGENTS})
    assert cli("package", "new", "core", cwd=root).code == 0
    package = root / "packages" / "core"
    assert sorted(p.name for p in package.iterdir()) == ["AGENTS.md", "agentrails.toml"]
    assert tomllib.loads((package / "agentrails.toml").read_text())["extend"] == (
        "../../agentrails.toml")


@given(st.from_regex(NAME, fullmatch=True))
def test_every_valid_name_fills_every_scaffold_file(name: str) -> None:
    values = {"package_name": name, "root_config": "../../pyproject.toml",
              "package_module": name.replace("-", "_"), "requires_python": ">=3.12",
              "agentrails_cli": "uv run agentrails"}
    files = scaffold_files(values, workspace=True, with_claude=True)
    assert set(files) == {*SCAFFOLD_FILES, "pyproject.toml", f"src/{values['package_module']}/"
                          "__init__.py", f"src/{values['package_module']}/py.typed",
                          f"tests/test_{values['package_module']}.py"}
    for text in files.values():
        assert "{{" not in text and "}}" not in text
    assert tomllib.loads(files["pyproject.toml"])["project"]["name"] == name
    agents = fill(scaffold_text("AGENTS.md"), values)
    assert f"packages/{name}/" in agents
    toml = tomllib.loads(fill(scaffold_text("agentrails.toml"), values))
    assert toml["extend"] == "../../pyproject.toml"


def test_fill_refuses_template_statements_and_unknown_names() -> None:
    with pytest.raises(ValueError, match="no template statements"):
        fill("{% if x %}y{% endif %}", {})
    with pytest.raises(KeyError):
        fill("{{ other }}", {"package_name": "x"})


WORKSPACE_ROOT = ("[project]\nname = 'shop'\nrequires-python = '>=3.13'\n\n[tool.uv]\n"
                  "package = false\n\n[tool.uv.workspace]\nmembers = ['packages/*']\n\n"
                  "[tool.agentrails]\n")
PACKAGES_TABLE = ("# Shop\n\n## Packages\n\n| package | owner |\n| -- | -- |\n"
                  "| [`packages/api/`](packages/api/AGENTS.md) | `@ana` |\n\n## Current state\n\n"
                  "- Fine.\n")


def test_in_a_uv_workspace_the_package_is_a_member_with_its_owner(git_repo, cli) -> None:
    root = git_repo({"pyproject.toml": WORKSPACE_ROOT, "AGENTS.md": PACKAGES_TABLE,
                     ".github/CODEOWNERS": "*  @ana  # everything\n/.github/ @ana"})
    outcome = cli("package", "new", "web-ui", "--owner", "@shop/web", cwd=root)
    assert outcome.code == 0, outcome.err
    assert outcome.out.splitlines() == [
        "Created packages/web-ui/: AGENTS.md, agentrails.toml, pyproject.toml, "
        "src/web_ui/__init__.py, src/web_ui/py.typed, tests/test_web_ui.py",
        "AGENTS.md lists packages/web-ui/, owned by @shop/web.",
        ".github/CODEOWNERS: /packages/web-ui/ @shop/web",
        "Then `uv sync --all-packages` (it adds the member to uv.lock), and commit the package "
        "with uv.lock."]
    member = tomllib.loads((root / "packages/web-ui/pyproject.toml").read_text())
    assert member["project"] == {"name": "web-ui", "version": "0.1.0",
                                 "requires-python": ">=3.13", "dependencies": []}
    assert "uv run agentrails check" in (root / "packages/web-ui/AGENTS.md").read_text()
    assert "| [`packages/web-ui/`](packages/web-ui/AGENTS.md) | `@shop/web` |\n\n## Current" in (
        root / "AGENTS.md").read_text()
    assert (root / ".github/CODEOWNERS").read_text().endswith(
        "/.github/ @ana\n/packages/web-ui/ @shop/web\n")
    assert cli("package", "new", "docs", cwd=root).out.splitlines()[1:3] == [
        "AGENTS.md lists packages/docs/, owned by @ana.",
        ".github/CODEOWNERS: /packages/docs/ @ana"]


@pytest.mark.parametrize(("name", "owner", "message"), [
    ("2fa", None, "cannot name a Python module"), ("import", None, "cannot name a Python"),
    ("api", "ana", "is not a code owner"), ("api", "@a b", "is not a code owner")])
def test_workspace_names_and_owners_it_refuses(git_repo, cli, name, owner, message) -> None:
    root = git_repo({"pyproject.toml": WORKSPACE_ROOT})
    outcome = cli("package", "new", name, *(["--owner", owner] if owner else []), cwd=root)
    assert outcome.code == 2 and message in outcome.err and outcome.err.count("\n") == 1
    assert not (root / "packages").exists()
