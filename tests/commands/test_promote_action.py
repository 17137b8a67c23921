"""The promote composite action (``ci/promote/action.yml``) keeps its contract: its shell step
runs ``agentrails promote --from STAGING --to PRODUCTION [--sha SHA]`` with the App token in
``GITHUB_TOKEN``; run here for real against the local GitHub."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, assert_no_token, history
from tests.helpers.paths import REPO

ACTION = REPO / "ci" / "promote" / "action.yml"


def promote_step() -> dict:
    steps = yaml.safe_load(ACTION.read_text())["runs"]["steps"]
    return next(step for step in steps if step.get("name") == "agentrails promote")


def run_step(server: FakeGitHub, tmp_path: Path, sha: str) -> subprocess.CompletedProcess[str]:
    step = promote_step()
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "HOME": str(tmp_path), "NO_PROXY": "127.0.0.1", "GITHUB_API_URL": server.url,
        "GITHUB_REPOSITORY": "acme/shop", "GITHUB_TOKEN": TOKEN,
        "PROMOTE_FROM": "main", "PROMOTE_TO": "production", "PROMOTE_SHA": sha,
    }
    assert set(step["env"]) == {"GITHUB_TOKEN", "PROMOTE_FROM", "PROMOTE_TO", "PROMOTE_SHA"}
    return subprocess.run(["bash", "-e", "-o", "pipefail", "-c", step["run"]], cwd=tmp_path,
                          env=env, capture_output=True, text=True, check=False, timeout=120)


@pytest.mark.parametrize("which", ["head", "middle"])
def test_the_action_step_promotes(tmp_path: Path, which: str) -> None:
    world = history()
    world.repo.rulesets[1] = {
        "name": "production", "target": "branch", "enforcement": "active", "bypass_actors": [],
        "conditions": {"ref_name": {"include": ["refs/heads/production"], "exclude": []}},
        "rules": [{"type": "required_status_checks", "parameters": {
            "strict_required_status_checks_policy": True,
            "required_status_checks": [{"context": "gate", "integration_id": 15368}]}}]}
    wanted = world.head if which == "head" else world.middle
    world.repo.add_run(wanted)
    with FakeGitHub(world.repo, TOKEN) as server:
        result = run_step(server, tmp_path, "" if which == "head" else wanted)
        assert not server.rejected
    assert result.returncode == 0, result.stdout + result.stderr
    assert world.repo.branches["production"] == wanted
    assert_no_token(result.stdout, result.stderr)


def test_the_action_step_fails_when_refused(tmp_path: Path) -> None:
    world = history()
    with FakeGitHub(world.repo, TOKEN) as server:
        result = run_step(server, tmp_path, "")
    assert result.returncode == 1 and "requires no status checks" in result.stderr
    assert world.repo.branches["production"] == world.base
    assert_no_token(result.stdout, result.stderr)
