"""The OS sandbox of a rendered repository, for real: the sandbox runtime (``srt``, npm
``@anthropic-ai/sandbox-runtime``, with bubblewrap and socat) runs with the policy Claude
Code derives from the rendered ``.claude/settings.json`` (``tests.helpers.sandbox_policy``).
Inside it, every attack of ``tests.helpers.attacks`` (each shown by
tests/hooks/test_guard_matrix.py to change a protected path when nothing stops it) runs as
an agent's Bash calls would, and hashing proves that not one protected file changed. The
project's own toolchain (``uv sync``, pytest, ruff, ``git commit``, ``agentrails check``)
runs in the same sandbox and passes.

The project's environment is set up outside the sandbox first, as a person does once: the
sandbox keeps ``.venv`` (the program behind the hooks) read-only, so inside it ``uv sync``
finds the environment in sync, and ``UV_NO_SYNC`` (from the settings' ``env``) keeps ``uv
run`` from trying to sync it after the attacks rewrote ``pyproject.toml``. The toolchain
runs first, on the fresh environment. Without the runtime the test is skipped, unless
``AGENTRAILS_REQUIRE_SANDBOX`` is set (CI sets it: there a missing runtime is a failure)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.helpers.attacks import ATTACKS, Attack
from tests.helpers.sandbox import attack_repo, branches, changed, protected_paths, shell_env
from tests.helpers.sandbox_driver import state
from tests.helpers.sandbox_policy import excluded, srt_settings
from tests.helpers.template import commit_all, git, run
from tests.helpers.toolchain import build_wheel, toolchain_env

DRIVER = Path(__file__).resolve().parents[1] / "helpers" / "sandbox_driver.py"
BATCH = 81
CANARY = "KNOWN_ISSUES.md"
CONTROL = f"echo control >> {CANARY}"
"""A write the sandbox allows, run first in every batch: it proves the driver sees writes."""
MISSING = [tool for tool in ("srt", "bwrap", "socat", "rg") if shutil.which(tool) is None]
pytestmark = [
    pytest.mark.slow,
    pytest.mark.xdist_group("sandbox-matrix"),  # its module fixture is built once
    pytest.mark.skipif(bool(MISSING) and not os.environ.get("AGENTRAILS_REQUIRE_SANDBOX"),
                       reason=f"the sandbox runtime needs {', '.join(MISSING)} (.ci/run "
                       "installs them)"),
]


class Sandbox:
    """A rendered repository with its environment, and a way to run commands in it under
    the sandbox its settings describe."""

    def __init__(self, repo: Path, home: Path, env: dict[str, str], settings_file: Path):
        self.repo, self.home, self.env, self.settings_file = repo, home, env, settings_file

    def run(self, command: str, timeout: int = 600) -> subprocess.CompletedProcess[str]:
        assert not MISSING, f"the sandbox runtime needs {', '.join(MISSING)}"
        return subprocess.run(["srt", "--settings", str(self.settings_file), "-c", command],
                              cwd=self.repo, env=self.env, capture_output=True, text=True,
                              timeout=timeout, check=False)


@pytest.fixture(scope="module")
def sandbox(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    scratch = tmp_path_factory.mktemp("sandbox")
    repo = attack_repo(source, scratch / "acme")
    home = scratch / "home"
    for cache in ("uv", "pre-commit", "agentrails"):
        (home / ".cache" / cache).mkdir(parents=True)
    env = {**shell_env(repo, home), **toolchain_env(build_wheel(scratch / "wheels"), home)}
    env["PRE_COMMIT_HOME"] = str(home / ".cache" / "pre-commit")
    run(["uv", "sync", "--quiet"], repo, env)  # a person sets the environment up, once
    run(["uv", "lock", "--check"], repo, env)
    commit_all(repo, "lock")
    settings = json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))
    env.update(settings.get("env", {}))  # Claude Code gives its commands the settings' env
    policy = srt_settings(settings, repo, home)
    assert policy is not None, "the rendered settings must turn the sandbox on"
    settings_file = scratch / "srt-settings.json"
    settings_file.write_text(json.dumps(policy, indent=2), encoding="utf-8")
    for attack in ATTACKS:
        assert not any(excluded(call, settings) for call in attack.calls), attack
    return Sandbox(repo, home, env, settings_file)


def full_state(repo: Path) -> dict[str, str]:
    """The protected paths as the host sees them, ``.venv`` file by file."""
    paths = protected_paths(repo)
    found = state(repo, [path for path in paths if path != ".venv"])
    found.update(state(repo, [p.relative_to(repo).as_posix() for p in (repo / ".venv").rglob("*")]))
    return found


@pytest.mark.parametrize("command", [
    "uv sync",
    "uv run pytest -q -p no:cacheprovider",
    "uv run ruff check .",
    "uv run agentrails check",
    "echo '- sandboxed' >> KNOWN_ISSUES.md && git add KNOWN_ISSUES.md && git commit -qm notes",
])
def test_the_projects_toolchain_runs_in_the_sandbox(sandbox: Sandbox, command: str) -> None:
    done = sandbox.run(command)
    assert done.returncode == 0, f"{command}\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def run_batch(sandbox: Sandbox, plan: dict, batch: list[Attack], name: str) -> list[dict]:
    """Run ``batch`` through the driver inside the sandbox, the control write first; what
    each attack changed among the protected paths, and what its calls printed."""
    plan_file = sandbox.repo.parent / f"plan-{name}.json"
    calls = [[CONTROL], *(attack.calls for attack in batch)]
    plan_file.write_text(json.dumps({**plan, "attacks": calls}), encoding="utf-8")
    done = sandbox.run(f"{sys.executable} {DRIVER} {plan_file}")
    assert done.returncode == 0, done.stderr[-2000:]
    control, *report = json.loads(done.stdout.strip().splitlines()[-1])
    assert control["changed"] == [CANARY], f"the driver saw no write it should: {control}"
    assert len(report) == len(batch)
    return report


def test_no_attack_changes_a_protected_path_in_the_sandbox(sandbox: Sandbox) -> None:
    repo = sandbox.repo
    plan = {"repo": str(repo), "base": git(repo, "rev-parse", "HEAD"),
            "branches": branches(repo), "protected": [*protected_paths(repo), CANARY]}
    before = full_state(repo)
    assert any(path.startswith(".venv/bin/") for path in before)
    through = []
    for first in range(0, len(ATTACKS), BATCH):
        batch = ATTACKS[first:first + BATCH]
        for attack, result in zip(batch, run_batch(sandbox, plan, batch, str(first)),
                                  strict=True):
            paths = [path for path in result["changed"] if path != CANARY]
            if paths:
                through.append((attack.calls, paths, result["outputs"]))
        host = changed(before, full_state(repo))
        assert host == [], f"after attacks {first}..{first + len(batch)}: {host} changed"
    assert not through, f"{len(through)} attacks changed a protected path: {through}"
