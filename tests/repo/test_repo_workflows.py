"""This repository's own workflows (.github/workflows): clean under zizmor's offline audits in
both personas, valid against GitHub's workflow schema, every action pinned by a reviewed full
commit SHA, a CI matrix over three operating systems and Python 3.11-3.14, and a release
workflow whose only OIDC token belongs to the publishing job."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers.template import REPO, load_yaml, run, tool, workflow_problems

WORKFLOWS = REPO / ".github" / "workflows"
FILES = sorted(WORKFLOWS.glob("*.yml"))


def test_both_workflows_exist() -> None:
    assert {path.name for path in FILES} >= {"ci.yml", "release.yml"}


@pytest.mark.parametrize("persona", [[], ["--persona", "pedantic"]], ids=["default", "pedantic"])
def test_zizmor_finds_nothing(persona: list[str]) -> None:
    """The workflows and the composite actions, with no zizmor ignore comment anywhere."""
    targets = [*FILES, *sorted((REPO / "ci").glob("*/action.yml"))]
    assert [p.name for p in targets if "zizmor: ignore" in p.read_text(encoding="utf-8")] == []
    result = run([tool("zizmor"), "--offline", "--no-progress", "--no-ignores", *persona,
                  *map(str, targets)], REPO, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_githubs_workflow_schema() -> None:
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         *map(str, FILES)], REPO)


@pytest.mark.parametrize("path", FILES, ids=lambda path: path.name)
def test_pins_permissions_timeouts(path: Path) -> None:
    """The template's workflow rules hold here too: actions by reviewed SHA, permissions
    {} at the top and per job, a timeout on every job, no ${{ }} inside run:."""
    assert workflow_problems(path) == []


def test_ci_matrix_covers_every_os_and_python() -> None:
    ci = load_yaml(WORKFLOWS / "ci.yml")
    matrix = ci["jobs"]["test"]["strategy"]["matrix"]
    assert {os.split("-")[0] for os in matrix["os"]} == {"ubuntu", "macos", "windows"}
    assert matrix["python"] == ["3.11", "3.12", "3.13", "3.14"]
    assert ci["jobs"]["test"]["strategy"]["fail-fast"] is False
    steps = " ".join(str(step.get("run", "")) for job in ci["jobs"].values()
                     for step in job.get("steps", []))
    for command in ("pytest", "--start-method spawn", "agentrails check", "ruff check",
                    "./scripts/demo", "zizmor", "check-jsonschema"):
        assert command in steps, command
    gate = ci["jobs"]["gate"]
    assert set(gate["needs"]) == set(ci["jobs"]) - {"gate"}


def test_release_runs_on_tags_and_only_publish_gets_an_oidc_token() -> None:
    release = load_yaml(WORKFLOWS / "release.yml")
    assert release["on"] == {"push": {"tags": ["v*"]}}
    token_jobs = [name for name, job in release["jobs"].items()
                  if job["permissions"].get("id-token") == "write"]
    assert token_jobs == ["publish"]
    publish = release["jobs"]["publish"]
    assert publish["environment"]["name"] == "pypi"
    used = [step.get("uses", "").split("@")[0] for step in publish["steps"]]
    assert used == ["actions/download-artifact", "actions/attest-build-provenance",
                    "pypa/gh-action-pypi-publish"]
    assert release["jobs"]["github-release"]["needs"] == "publish"


def step_index(job: dict, needle: str) -> int:
    """The position of the first step whose ``run:`` contains ``needle``."""
    runs = [str(step.get("run", "")) for step in job["steps"]]
    return next(index for index, text in enumerate(runs) if needle in text)


def test_release_checks_the_version_before_building() -> None:
    build = load_yaml(WORKFLOWS / "release.yml")["jobs"]["build"]
    order = [step_index(build, needle)
             for needle in ("check_release_version.py", "-m build", "twine check --strict")]
    assert order == sorted(order), "the version check runs first, twine check after the build"
