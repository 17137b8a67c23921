"""After the agent, with real git: its commits (a bundle, as the agent job uploads them)
become a new ``self-heal/issue-N`` branch pushed without force and a pull request against
staging on the GitHub stand-in; protected paths, a failed run or no commits get a comment
on the issue and no pull request."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentrails.engine.config.settings import load_settings
from agentrails.engine.registry import load_families
from agentrails.selfheal.gitops import auth_env
from agentrails.selfheal.propose import Proposal, propose
from tests.helpers.github_issue_routes import add_issue
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, environment
from tests.helpers.selfheal import Clock, loop_repo, repository

FILES = {
    "src/shop/cart.py": "def total(items):\n    return sum(items) / len(items)\n",
    "tests/test_cart.py": "def test_nothing():\n    assert True\n",
    ".github/workflows/ci.yml": "name: ci\n",
    "pyproject.toml": "[project]\nname = 'shop'\n",
    "AGENTS.md": "# Shop\n",
}


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


@pytest.fixture
def origin(tmp_path: Path) -> Path:
    """A bare repository with staging ``main`` at one commit."""
    seed = tmp_path / "seed"
    seed.mkdir()
    git(seed, "init", "-q", "-b", "main")
    for name, text in FILES.items():
        (seed / name).parent.mkdir(parents=True, exist_ok=True)
        (seed / name).write_text(text, encoding="utf-8")
    git(seed, "add", "-A")
    git(seed, "commit", "-qm", "start")
    bare = tmp_path / "origin.git"
    git(tmp_path, "clone", "-q", "--bare", str(seed), str(bare))
    return bare


def agent_work(tmp_path: Path, origin: Path, changes: dict[str, str], name: str = "") -> Path:
    """What the agent job uploads: ``base`` and ``fix.bundle`` of its commits on staging."""
    tmp_path = tmp_path / name if name else tmp_path
    tmp_path.mkdir(exist_ok=True)
    work = tmp_path / "agent"
    git(tmp_path, "clone", "-q", str(origin), str(work))
    base = git(work, "rev-parse", "HEAD")
    git(work, "switch", "-q", "-c", "self-heal/issue-1")
    out = tmp_path / "artifact"
    out.mkdir()
    (out / "base").write_text(base + "\n", encoding="utf-8")
    if changes:
        for name, text in changes.items():
            (work / name).parent.mkdir(parents=True, exist_ok=True)
            (work / name).write_text(text, encoding="utf-8")
        git(work, "add", "-A")
        git(work, "commit", "-qm", "Fix #1: an empty cart has no average @octocat")
        git(work, "bundle", "create", "-q", str(out / "fix.bundle"), f"{base}..HEAD")
    return out


@pytest.fixture
def publish(tmp_path: Path, origin: Path) -> Path:
    """The propose job's checkout of staging."""
    checkout = tmp_path / "checkout"
    git(tmp_path, "clone", "-q", str(origin), str(checkout))
    return checkout


@pytest.fixture
def server(origin: Path) -> Iterator[FakeGitHub]:
    repo = loop_repo(Clock())
    repo.git_dir = str(origin)
    add_issue(repo, "production error: ZeroDivisionError", "body", ["self-heal"],
              ("github-actions[bot]", "Bot"))
    with FakeGitHub(repo, TOKEN) as running:
        yield running
        assert running.rejected == [] and running.bad_responses == []


Run = Callable[..., object]


@pytest.fixture
def run(server: FakeGitHub, publish: Path, origin: Path) -> Run:
    def go(artifact: Path | None, result: str = "success", max_files: int = 20):
        plan = Proposal(1, "main", artifact, result, "https://github.example/run/5",
                        str(origin), TOKEN, "https://github.example", max_files)
        settings = load_settings(publish, load_families())
        return propose(repository(server.url, server.repo), plan, publish, settings,
                       print, {})
    return go


FIX = {"src/shop/cart.py": "def total(items):\n    return sum(items) / max(len(items), 1)\n",
       "tests/test_cart.py": "from shop.cart import total\n\ndef test_empty():\n"
                             "    assert total([]) == 0\n"}


def test_a_fix_becomes_a_new_branch_and_a_pull_request_against_staging(
    run: Run, server: FakeGitHub, tmp_path: Path, origin: Path
) -> None:
    staging = git(origin, "rev-parse", "main")
    result = run(agent_work(tmp_path, origin, FIX))
    assert result.action == "proposed" and result.pull is not None
    (pull,) = server.repo.pulls
    assert (pull["head"], pull["base"]) == ("self-heal/issue-1", "main")
    assert pull["body"].splitlines()[1] == "Fixes #1"
    assert "@\u200doctocat" in pull["body"]  # the agent's words, sanitized
    assert git(origin, "rev-parse", "main") == staging  # staging untouched
    pushed = git(origin, "log", "--format=%s", "-1", "self-heal/issue-1")
    assert pushed.startswith("Fix #1:")
    (comment,) = server.repo.comments[1]
    assert "proposes a fix in #" in comment["body"] and "2 file(s)" in comment["body"]
    writes = [(item.method, item.path) for item in server.writes]
    assert writes == [("POST", "/repos/acme/shop/pulls"),
                      ("POST", "/repos/acme/shop/issues/1/comments")]  # never a merge


def test_a_second_attempt_gets_a_branch_of_its_own(run: Run, server: FakeGitHub,
                                                   tmp_path: Path, origin: Path) -> None:
    run(agent_work(tmp_path, origin, FIX, "one"))
    again = run(agent_work(tmp_path, origin, FIX, "two"))
    assert again.action == "proposed"
    assert [pull["head"] for pull in server.repo.pulls] == ["self-heal/issue-1",
                                                            "self-heal/issue-1-2"]


@pytest.mark.parametrize("path", [".github/workflows/ci.yml", "pyproject.toml",
                                  ".claude/settings.json", "packages/a/agentrails.toml"])
def test_a_protected_path_is_handed_back(run: Run, server: FakeGitHub, tmp_path: Path,
                                          origin: Path, path: str) -> None:
    result = run(agent_work(tmp_path, origin, {**FIX, path: "changed\n"}))
    assert result.action == "refused"
    assert server.repo.pulls == []
    assert "self-heal/issue-1" not in git(origin, "branch", "--list")
    assert f"touch protected paths (`{path}`)" in server.repo.comments[1][0]["body"]


def test_too_many_files_are_handed_back(run: Run, server: FakeGitHub, tmp_path: Path,
                                        origin: Path) -> None:
    result = run(agent_work(tmp_path, origin, FIX), max_files=1)
    assert result.action == "refused" and "more than the 1" in result.said


@pytest.mark.parametrize(("changes", "result", "action", "words"), [
    ({}, "success", "handed-back", "committed nothing"),
    (FIX, "failure", "failed", "did not finish (its job ended: failure)"),
    (FIX, "cancelled", "failed", "did not finish (its job ended: cancelled)"),
])
def test_no_usable_work_gets_a_comment_and_no_pull_request(
    run: Run, server: FakeGitHub, tmp_path: Path, origin: Path, changes: dict, result: str,
    action: str, words: str
) -> None:
    outcome = run(agent_work(tmp_path, origin, changes), result)
    assert outcome.action == action and server.repo.pulls == []
    (comment,) = server.repo.comments[1]
    assert words in comment["body"] and "https://github.example/run/5" in comment["body"]


def test_commits_that_do_not_start_from_the_base_are_refused(
    run: Run, server: FakeGitHub, tmp_path: Path, origin: Path
) -> None:
    artifact = agent_work(tmp_path, origin, FIX)
    (artifact / "base").write_text("0" * 40 + "\n")
    result = run(artifact)
    assert result.action == "refused" and server.repo.pulls == []


def test_the_token_travels_in_the_environment_only() -> None:
    env = auth_env("https://github.com/acme/shop.git", TOKEN)
    assert env["GIT_CONFIG_KEY_0"] == "http.https://github.com/acme/shop.git.extraheader"
    assert TOKEN not in env["GIT_CONFIG_VALUE_0"]  # base64 of x-access-token:TOKEN
    assert auth_env("x", "") == {}


def test_the_propose_command(cli, server: FakeGitHub, tmp_path: Path, origin: Path,
                             publish: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    artifact = agent_work(tmp_path, origin, FIX)
    with environment(monkeypatch, server, publish):
        monkeypatch.setenv("GITHUB_RUN_ID", "5")
        outcome = cli("self-heal", "propose", "--issue", "1", "--base", "main",
                      "--bundle-dir", artifact, "--agent-result", "success",
                      "--remote", origin)
    assert outcome.code == 0, outcome.err
    assert outcome.out.startswith("agentrails self-heal: proposed #")
    assert TOKEN not in outcome.out + outcome.err
