"""What a generated repository promises about its hooks and its updates, checked on real
renders: CI runs every pre-commit hook (a test compares the ids pre-commit runs with CI's
command to the ids of the config), the warn mode for repositories made before, Markdown
that the mdformat hook leaves alone, classifiers that match ``requires-python``, and
Dependabot and Renovate that leave agentrails to `copier update`."""

from __future__ import annotations

import ast
import importlib.metadata
import json
import re
import shlex
import sys
import tarfile
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.helpers.template import commit_all, load_yaml, render, run, tool

pytestmark = pytest.mark.slow

RENDERS = {
    "uv": {"project_name": "Acme Billing"},
    "pip": {"project_name": "Lean Tools", "package_manager": "pip", "type_checker": "none",
            "python_version": "3.13", "test_all_pythons": False},
    "monorepo": {"project_name": "Shop", "layout": "monorepo", "package_name": "api",
                 "type_checker": "pyright", "agent_tools": ["claude", "cursor"]},
    "adopt": {"project_name": "Old Service", "python_package": False,
              "agent_tools": ["claude", "copilot"]},
}
PACKAGES = [name for name, data in RENDERS.items() if data.get("python_package", True)]
STUB_KEYS = ("files", "exclude", "types", "types_or", "exclude_types", "stages",
             "always_run", "pass_filenames")
HOOK_ID = re.compile(r"^- hook id: (\S+)$", re.M)
SUPPORTED = ["3.11", "3.12", "3.13", "3.14"]


@pytest.fixture(scope="module")
def renders(source: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("renders")
    made = {}
    for name, data in RENDERS.items():
        render(source, root / name, data)
        commit_all(root / name)
        made[name] = root / name
    return made


def config_ids(repo: Path) -> list[str]:
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    return [hook["id"] for entry in config["repos"] for hook in entry["hooks"]]


def hooks_session_command(repo: Path) -> list[str]:
    """The pre-commit command line of noxfile.py's ``hooks`` session (its string arguments,
    with ``*session.posargs`` left out: CI passes none)."""
    tree = ast.parse((repo / "noxfile.py").read_text(encoding="utf-8"))
    (session,) = [node for node in tree.body
                  if isinstance(node, ast.FunctionDef) and node.name == "hooks"]
    for node in ast.walk(session):
        items = (node.elts if isinstance(node, ast.List)
                 else node.args if isinstance(node, ast.Call) else [])
        words = [item.value for item in items if isinstance(item, ast.Constant)]
        if "pre-commit" in words:
            return words[words.index("pre-commit"):]
    raise AssertionError("the hooks session runs no pre-commit")


def stub_config(repo: Path, dest: Path) -> Path:
    """The project's pre-commit config with every hook (remote or local) replaced by a hook
    of the same id that succeeds, keeping what decides whether and on what it runs."""
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    config.pop("ci", None)
    config["repos"] = [{"repo": "local", "hooks": [
        {"id": hook["id"], "name": hook["id"], "entry": "true", "language": "system",
         **{key: hook[key] for key in STUB_KEYS if key in hook}}
        for hook in entry["hooks"]]} for entry in config["repos"]]
    dest.write_text(yaml.safe_dump(config), encoding="utf-8")
    return dest


@pytest.mark.parametrize("name", PACKAGES)
def test_ci_runs_every_pre_commit_hook(renders: dict[str, Path], name: str,
                                       tmp_path: Path) -> None:
    repo = renders[name]
    jobs = load_yaml(repo / ".github/workflows/ci.yml")["jobs"]
    step = jobs["hooks"]["steps"][-1]
    assert shlex.split(step["run"])[-2:] == ["-s", "hooks"] and "SKIP" not in step.get("env", {})
    assert "hooks" in jobs["gate"]["needs"]
    command = hooks_session_command(repo)
    assert command == ["pre-commit", "run", "--all-files", "--show-diff-on-failure"]
    config = stub_config(repo, tmp_path / "stub.yaml")
    result = run([tool(command[0]), *command[1:], "--verbose", "--config", str(config)], repo,
                 {"PRE_COMMIT_HOME": str(tmp_path / "pre-commit")})
    ran = HOOK_ID.findall(result.stdout)
    assert ran == config_ids(repo)
    assert {"codespell", "mdformat", "zizmor", "check-yaml", "detect-private-key",
            "agentrails-size", "ruff-check"} <= set(ran)


def test_warn_mode_reports_without_failing_the_gate(source: Path, tmp_path: Path) -> None:
    """ci_hooks=warn (the default of a repository made before): the job runs on every pull
    request, but the gate does not wait for it; ruff stays gated by the lint job it had, and
    the two hooks new in this release wait until the repository enforces the job."""
    repo = tmp_path / "repo"
    render(source, repo, {"ci_hooks": "warn"})
    jobs = load_yaml(repo / ".github/workflows/ci.yml")["jobs"]
    assert "hooks" in jobs and "hooks" not in jobs["gate"]["needs"]
    assert set(jobs["gate"]["needs"]) == {"lint", "typecheck", "test", "checks"}
    assert jobs["lint"]["steps"][-1]["run"] == "uv run nox -s lint"
    assert {"mdformat", "zizmor"}.isdisjoint(config_ids(repo))
    run([tool("ruff"), "check", "--no-cache", "noxfile.py"], repo)


@pytest.mark.parametrize("name", list(RENDERS))
def test_markdown_is_as_the_mdformat_hook_formats_it(renders: dict[str, Path], name: str) -> None:
    repo = renders[name]
    config = yaml.safe_load((repo / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = [h for e in config["repos"] for h in e["hooks"] if h["id"] == "mdformat"]
    if not hooks:
        assert name == "adopt"  # an adopted repository's Markdown keeps its own style
        hooks = [{"args": ["--number", "--compact-tables"],
                  "exclude": r"^(handoffs|migrations)/TEMPLATE\.md$"}]
    (hook,) = hooks
    files = [path for path in run(["git", "ls-files", "*.md"], repo).stdout.split()
             if not re.search(hook["exclude"], path)]
    assert len(files) > 10
    run([tool("mdformat"), "--check", *hook["args"], *files], repo)


def test_the_mdformat_hook_pins_what_the_tests_run(renders: dict[str, Path]) -> None:
    config = yaml.safe_load((renders["uv"] / ".pre-commit-config.yaml").read_text())
    (entry,) = [e for e in config["repos"] if e["repo"].endswith("/mdformat")]
    assert entry["rev"] == importlib.metadata.version("mdformat")
    for pin in entry["hooks"][0]["additional_dependencies"]:
        package, version = pin.split("==")
        assert importlib.metadata.version(package) == version


@pytest.mark.parametrize("name", PACKAGES)
def test_classifiers_match_requires_python(renders: dict[str, Path], name: str) -> None:
    project = tomllib.loads((renders[name] / "pyproject.toml").read_text())["project"]
    floor = project["requires-python"].removeprefix(">=")
    if "classifiers" not in project:
        assert name == "monorepo"  # the workspace root is no distribution
        return
    listed = [c.rsplit(" :: ", 1)[1] for c in project["classifiers"]
              if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    assert listed == SUPPORTED[SUPPORTED.index(floor):]


@pytest.mark.parametrize("name", list(RENDERS))
def test_dependabot_leaves_agentrails_to_copier(renders: dict[str, Path], name: str) -> None:
    updates = load_yaml(renders[name] / ".github/dependabot.yml")["updates"]
    ignored = {u["package-ecosystem"]: {i["dependency-name"] for i in u.get("ignore", [])}
               for u in updates}
    expected = {"github-actions": {"agentrails/agentrails*"}}
    if name != "adopt":
        expected["pip" if name == "pip" else "uv"] = {"agentrails"}
    assert ignored == expected


def test_renovate_leaves_agentrails_to_its_copier_manager(renders: dict[str, Path]) -> None:
    repo = renders["uv"]
    renovate = json.loads((repo / ".github/renovate.json").read_text())
    assert renovate["enabledManagers"] == ["copier"]
    (rule,) = [r for r in renovate["packageRules"] if r.get("enabled") is False]
    assert "copier" not in rule["matchManagers"]
    assert {"pep621", "pre-commit", "github-actions"} <= set(rule["matchManagers"])
    assert {"agentrails", "agentrails/agentrails"} <= set(rule["matchPackageNames"])
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.renovate",
         ".github/renovate.json"], repo)


@pytest.mark.parametrize("name", ["uv", "pip"])
def test_the_sdist_holds_the_package_only(renders: dict[str, Path], name: str,
                                          tmp_path: Path) -> None:
    """The agents' workspace (handoffs/, migrations/, .claude/, .github/, the answers, the
    lock) stays in the repository; the sdist is the package, its tests and its metadata."""
    repo = renders[name]
    (repo / "uv.lock").write_text("version = 1\n")  # a team's lock, which must stay out
    run([sys.executable, "-m", "build", "--sdist", "--outdir", str(tmp_path), "."], repo)
    (sdist,) = tmp_path.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {member.name.split("/", 1)[1] for member in archive.getmembers()
                 if member.isfile()}
    (repo / "uv.lock").unlink()
    slug = tomllib.loads((repo / "pyproject.toml").read_text())["project"]["name"]
    module = slug.replace("-", "_")
    # hatchling always adds the root's .gitignore (its own build reads it).
    assert names == {"PKG-INFO", "pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md",
                     ".gitignore",
                     f"src/{module}/__init__.py", f"src/{module}/py.typed",
                     f"src/{module}/text.py", f"tests/test_{module}.py"}
