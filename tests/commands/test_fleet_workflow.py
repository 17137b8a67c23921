"""docs/fleet.yml, the example workflow that runs ``agentrails fleet`` weekly: it passes zizmor
(offline, every persona; its one suppression is the owner-wide App token the report exists
for, and that token may only read) and GitHub's workflow schema, follows the template's
workflow rules (actions pinned by the same full SHAs, least privilege), and the command it
runs is one the CLI accepts."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from agentrails.cli import build_parser
from tests.helpers.paths import REPO
from tests.helpers.template import load_yaml, run, tool, workflow_problems

WORKFLOW = REPO / "docs" / "fleet.yml"


@pytest.mark.parametrize("persona", ["regular", "pedantic", "auditor"])
def test_zizmor_finds_nothing(persona: str, tmp_path: Path) -> None:
    result = run([tool("zizmor"), "--offline", "--no-progress", "--persona", persona,
                  str(WORKFLOW)], tmp_path, check=False)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No findings to report" in result.stdout + result.stderr


def test_the_only_suppression_is_the_read_only_owner_token() -> None:
    text = WORKFLOW.read_text(encoding="utf-8")
    ignored = [line.strip() for line in text.splitlines() if "zizmor: ignore" in line]
    assert ignored == ["owner: ${{ github.repository_owner }} # zizmor: ignore[github-app]"]
    step = next(step for step in load_yaml(WORKFLOW)["jobs"]["report"]["steps"]
                if "create-github-app-token" in step.get("uses", ""))
    permissions = {key: value for key, value in step["with"].items()
                   if key.startswith("permission-")}
    assert permissions and set(permissions.values()) == {"read"}


def test_githubs_workflow_schema(tmp_path: Path) -> None:
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows",
         str(WORKFLOW)], tmp_path)


def test_the_template_workflow_rules_hold() -> None:
    assert workflow_problems(WORKFLOW) == []
    job = load_yaml(WORKFLOW)["jobs"]["report"]
    assert job["permissions"] == {} and load_yaml(WORKFLOW)["on"]["schedule"]


def test_the_command_is_one_the_cli_takes() -> None:
    steps = load_yaml(WORKFLOW)["jobs"]["report"]["steps"]
    line = next(step["run"] for step in steps if step.get("name") == "Fleet report")
    words = shlex.split(line.replace('"$OWNER"', "acme")
                        .replace('"$GITHUB_STEP_SUMMARY"', "summary.md"))
    assert words[0] == "agentrails"
    args = build_parser().parse_args(words[1:])
    assert (args.command, args.owner, args.format, str(args.output)) == \
        ("fleet", "acme", "markdown", "summary.md")
