"""The GitHub Actions channel: the composite actions in ci/, checked by GitHub's schema and
zizmor, and their shell steps run for real against this checkout's agentrails."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml
from tests.helpers.template import BIN, REPO, commit_all, run, steps_problems, tool, uses_problems

ACTIONS = sorted(REPO.glob("ci/*/action.yml"))
EXPRESSION = re.compile(r"\binputs\.([\w-]+)")


def action(path: Path) -> dict:
    return yaml.safe_load(path.read_text())


def step_named(data: dict, name: str) -> dict:
    return next(step for step in data["runs"]["steps"] if step.get("name") == name)


def test_actions_exist() -> None:
    assert [p.parent.name for p in ACTIONS] == ["check", "promote"]


def test_actions_match_githubs_schema() -> None:
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-actions",
         *map(str, ACTIONS)], REPO)


def test_zizmor_finds_nothing_in_the_actions() -> None:
    result = run([tool("zizmor"), "--offline", "--persona", "pedantic", "--no-progress",
                  *map(str, ACTIONS)], REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", ACTIONS, ids=lambda p: p.parent.name)
def test_actions_follow_the_rules(path: Path) -> None:
    data = action(path)
    assert data["runs"]["using"] == "composite"
    steps = data["runs"]["steps"]
    problems = uses_problems(path.read_text(), path.name) + steps_problems(steps, path.name)
    assert not problems, "\n".join(problems)
    for step in steps:
        if "run" in step:
            assert step["shell"] == "bash", step.get("name")
    text = path.read_text()
    used = set(EXPRESSION.findall(text))
    assert used == set(data["inputs"]), f"declared but unused, or used but undeclared: {used}"


@pytest.mark.parametrize("path", ACTIONS, ids=lambda p: p.parent.name)
def test_actions_install_agentrails_at_their_own_ref(path: Path) -> None:
    """``$GITHUB_ACTION_PATH/../..`` is the root of this repository at the pinned ref."""
    install = step_named(action(path), "Install agentrails at this action's ref")
    assert '"$GITHUB_ACTION_PATH/../.."' in install["run"]
    root = (path.parent / ".." / "..").resolve()
    assert root == REPO
    assert 'name = "agentrails"' in (root / "pyproject.toml").read_text()


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A small repository: one clean module, one file over the default line cap."""
    (tmp_path / "ok.py").write_text('"""Fine."""\n\nVALUE = 1\n')
    (tmp_path / "long.txt").write_text("x\n" * 501)
    commit_all(tmp_path)
    return tmp_path


def run_step(step: dict, cwd: Path, env: dict[str, str]) -> tuple[int, str]:
    """A composite step's bash script with its env, this checkout's agentrails on PATH."""
    full = {"PATH": f"{BIN}{os.pathsep}{os.environ['PATH']}", "AGENTRAILS_PATHS": ".",
            "AGENTRAILS_ARGS": "", "AGENTRAILS_DIFF_BASE": "", **env}
    result = run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd, env=full,
                 check=False)
    return result.returncode, result.stdout + result.stderr


def test_check_step_reports_findings_as_annotations(project: Path) -> None:
    step = step_named(action(REPO / "ci/check/action.yml"), "agentrails check")
    code, output = run_step(step, project, {})
    assert code == 1
    assert "::error" in output and "long.txt" in output and "AR101" in output
    code, output = run_step(step, project, {"AGENTRAILS_ARGS": "--ignore AR101 --no-cache"})
    assert code == 0, output
    code, output = run_step(step, project, {"AGENTRAILS_PATHS": "ok.py"})
    assert code == 0, output


def test_check_step_passes_the_diff_base(project: Path) -> None:
    step = step_named(action(REPO / "ci/check/action.yml"), "agentrails check")
    code, output = run_step(step, project, {"AGENTRAILS_DIFF_BASE": "no-such-ref",
                                            "AGENTRAILS_ARGS": "--ignore AR101"})
    assert code == 2 and "no-such-ref" in output
    code, output = run_step(step, project, {"AGENTRAILS_DIFF_BASE": "HEAD",
                                            "AGENTRAILS_ARGS": "--ignore AR101"})
    assert code == 0, output


def test_sarif_step_keeps_findings_for_upload(project: Path, tmp_path: Path) -> None:
    step = step_named(action(REPO / "ci/check/action.yml"), "SARIF report")
    sarif = tmp_path / "out.sarif"
    code, output = run_step(step, project, {"SARIF_FILE": str(sarif)})
    assert code == 0, output  # findings go to code scanning; the check step fails the job
    report = json.loads(sarif.read_text())
    results = report["runs"][0]["results"]
    assert any(r["ruleId"] == "AR101" for r in results)
    code, output = run_step(step, project, {"SARIF_FILE": str(sarif),
                                            "AGENTRAILS_ARGS": "--select NOPE"})
    assert code == 2, output  # a usage error still fails the step
