"""Fleet rollout without Renovate: the generated template-update.yml. Its shell steps run for
real against a local template with two releases and a bare repository standing in for
GitHub (``gh`` is a stand-in that records its arguments): it updates without ``--trust``,
pushes one branch per release, opens one pull request, closes the superseded ones, never
clobbers an existing branch, and fails with instructions when it has no token. Renovate's
copier manager is configured by .github/renovate.json, and the switch turns the workflow off.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from tests.helpers.template import BIN, COMBOS, commit_all, git, load_yaml, render, run, tool
from tests.helpers.update import NEW_STEP, two_releases

pytestmark = pytest.mark.slow

FAKE_GH = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$GH_LOG"
case "$1 $2" in
  "pr create") echo "https://github.invalid/acme/pull/7" ;;
  "pr list") printf '%s' "$GH_OPEN_PRS" ;;
esac
"""
WORKFLOW = ".github/workflows/template-update.yml"
PUSH = "Push the update and open its pull request"
Completed = subprocess.CompletedProcess[str]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project rendered at v0.1.0, pushed to a bare ``origin``, and a stand-in ``gh``."""
    root = tmp_path_factory.mktemp("site")
    template = two_releases(root)
    project = root / "project"
    render(template, project, COMBOS["claude-package"], vcs_ref="v0.1.0")
    commit_all(project, "start from agentrails v0.1.0")
    run(["git", "init", "-q", "--bare", "-b", "main", str(root / "origin.git")], root)
    git(project, "push", "-q", str(root / "origin.git"), "main")
    (root / "bin").mkdir()
    (root / "bin" / "gh").write_text(FAKE_GH)
    (root / "bin" / "gh").chmod(0o755)
    return root


def steps(site: Path) -> dict[str, str]:
    """The ``run:`` scripts of the workflow's steps, by step name."""
    job = load_yaml(site / "project" / WORKFLOW)["jobs"]["update"]
    return {step["name"]: step["run"] for step in job["steps"] if "run" in step}


def checkout(site: Path, name: str) -> Path:
    """What actions/checkout gives the job: a clone of origin's main."""
    dest = site / name
    run(["git", "clone", "-q", "-b", "main", str(site / "origin.git"), str(dest)], site)
    return dest


def run_step(site: Path, script: str, cwd: Path, env: dict[str, str]) -> Completed:
    """A step's bash script as the runner runs it: no git identity or configuration but
    its own, the job's env, and the stand-in ``gh`` first on PATH."""
    temp = cwd.parent / f"{cwd.name}.runner"
    temp.mkdir(exist_ok=True)
    base = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_AUTHOR_", "GIT_COMM"))}
    full = {**base, "PATH": f"{site / 'bin'}{os.pathsep}{BIN}{os.pathsep}{os.environ['PATH']}",
            "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1", "NO_COLOR": "1",
            "RUNNER_TEMP": str(temp), "GITHUB_OUTPUT": str(temp / "output"),
            "GH_LOG": str(site / "gh.log"), "GH_OPEN_PRS": "", **env}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env=full,
                          capture_output=True, text=True, check=False)


def outputs(cwd: Path) -> dict[str, str]:
    text = (cwd.parent / f"{cwd.name}.runner" / "output").read_text()
    return dict(line.split("=", 1) for line in text.splitlines())


def update(site: Path, name: str) -> tuple[Path, dict[str, str]]:
    """The copier update step in a fresh checkout, as a scheduled run does it."""
    work = checkout(site, name)
    result = run_step(site, steps(site)["copier update"], work, {"TEMPLATE_REF": ""})
    assert result.returncode == 0, result.stdout + result.stderr
    return work, outputs(work)


def push(site: Path, work: Path, found: dict[str, str], token: str = "t0ken",
         open_prs: str = "") -> Completed:
    """The step that pushes the branch and opens the pull request."""
    return run_step(site, steps(site)[PUSH], work, {
        "GH_TOKEN": token, "GH_REPO": "acme/billing", "BEFORE": found["before"],
        "AFTER": found["after"], "BASE": "main", "GH_OPEN_PRS": open_prs})


@pytest.fixture(scope="module")
def first_run(site: Path) -> tuple[Path, dict[str, str], Completed]:
    work, found = update(site, "run1")
    return work, found, push(site, work, found, open_prs="3 template-update/v0.1.5\n")


@pytest.fixture(scope="module")
def second_run(site: Path, first_run) -> tuple[Path, dict[str, str]]:
    """The next week's run: the release is still waiting, its pull request is open."""
    (site / "gh.log").write_text("")
    return update(site, "run2")


def test_a_release_becomes_one_pull_request(site: Path, first_run) -> None:
    work, found, pushed = first_run
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert (found["before"], found["after"]) == ("v0.1.0", "v0.2.0")
    origin = site / "origin.git"
    branch = "template-update/v0.2.0"
    subject = git(origin, "log", "-1", "--format=%s", branch)
    assert subject == "Update the agentrails template to v0.2.0"
    answers = git(origin, "show", f"{branch}:.copier-answers.yml")
    assert "_commit: v0.2.0\n" in answers + "\n"
    assert NEW_STEP in git(origin, "show", f"{branch}:.github/workflows/ci.yml") + "\n"
    assert git(origin, "rev-parse", "main") == git(site / "project", "rev-parse", "HEAD")
    calls = (site / "gh.log").read_text().splitlines()
    body = work.parent / "run1.runner" / "body.md"
    assert calls == [
        "auth setup-git",
        f"pr create --base main --head {branch} --title Update the agentrails template to "
        f"v0.2.0 --body-file {body}",
        "pr list --state open --json number,headRefName --jq .[] | select(.headRefName | "
        'startswith("template-update/")) | "\\(.number) \\(.headRefName)"',
        "pr close 3 --delete-branch --comment Superseded by https://github.invalid/acme/pull/7.",
    ]
    text = body.read_text()
    assert "from agentrails v0.1.0 to v0.2.0 (no `--trust`)" in text
    assert "Conflicts" not in text


def test_an_existing_branch_is_never_clobbered(site: Path, second_run) -> None:
    before = git(site / "origin.git", "rev-parse", "template-update/v0.2.0")
    pushed = push(site, *second_run)
    assert pushed.returncode == 0, pushed.stdout + pushed.stderr
    assert "exists already" in pushed.stdout
    assert (site / "gh.log").read_text().splitlines() == ["auth setup-git"]
    assert git(site / "origin.git", "rev-parse", "template-update/v0.2.0") == before


def test_without_a_token_the_run_says_how_to_set_one_up(site: Path, second_run) -> None:
    pushed = push(site, *second_run, token="")
    assert pushed.returncode == 1
    assert "::error title=template-update::agentrails v0.2.0 is waiting" in pushed.stdout
    assert "TEMPLATE_UPDATE_TOKEN" in pushed.stdout


def test_nothing_to_do_once_the_release_is_merged(site: Path, first_run) -> None:
    origin = site / "origin.git"
    git(origin, "update-ref", "refs/heads/main", "refs/heads/template-update/v0.2.0")
    work, found = update(site, "run4")
    assert found == {"changed": "false"}
    assert git(work, "status", "--porcelain") == ""


def test_renovate_runs_the_copier_manager_without_trust(site: Path) -> None:
    config = site / "project" / ".github" / "renovate.json"
    run([tool("check-jsonschema"), "--builtin-schema", "vendor.renovate", str(config)], site)
    data = json.loads(config.read_text())
    assert data["enabledManagers"] == ["copier"]
    assert data["ignoreScripts"] is True  # Renovate passes --trust only when this is false


def test_the_switch_turns_the_workflow_off(tmp_path: Path, site: Path) -> None:
    repo = tmp_path / "repo"
    render(site / "template", repo, {**COMBOS["bare-adopt"], "template_update_workflow": False})
    assert not (repo / WORKFLOW).exists()
    assert (repo / ".github" / "renovate.json").is_file()
    assert (site / "project" / WORKFLOW).is_file()
