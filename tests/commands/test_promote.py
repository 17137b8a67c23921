"""``agentrails promote`` against a local server that answers as GitHub documents: the gate
refuses anything but a green, fast-forward move of production to a commit of staging."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_testing import (
    Env,
    History,
    assert_no_token,
    github_env,
    history,
    render_rulesets,
    rulesets_of,
    token_free,
)
from tests.helpers.repo import Outcome

Run = Callable[..., Outcome]


def install(repo: FakeRepo, project: Path) -> None:
    """The project's rulesets, as ``agentrails protect`` would have applied them."""
    for body in rulesets_of(project):
        repo.rulesets[next(repo.ids)] = body


@pytest.fixture
def world(tmp_path: Path) -> History:
    return history()


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, world: History,
        caplog: pytest.LogCaptureFixture) -> Iterator[Env]:
    caplog.set_level(logging.DEBUG, logger="agentrails.github")
    project = tmp_path / "project"
    render_rulesets(project)
    install(world.repo, project)
    with github_env(monkeypatch, project, world.repo) as running:
        yield running
    assert_no_token(caplog.text)


@pytest.fixture
def promote(cli: Run, env: Env) -> Run:
    """``agentrails promote ARGS``; its output never holds the token."""
    return token_free(cli, "promote")


def refused(outcome: Outcome, env: Env, world: History, *words: str) -> None:
    """Exit 1, nothing written, production where it was, and the reasons said."""
    assert outcome.code == 1, outcome
    assert env.server.writes == []
    assert world.repo.branches["production"] == world.base
    for word in words:
        assert word in outcome.err, outcome.err


def test_green_promote_fast_forwards_production(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.head)
    outcome = promote()
    assert outcome.code == 0, outcome
    assert world.repo.branches["production"] == world.head
    [write] = env.server.writes
    assert (write.method, write.path) == ("PATCH", "/repos/acme/shop/git/refs/heads/production")
    assert write.body == {"sha": world.head, "force": False}
    assert f"promoted: production {world.base[:12]} -> {world.head[:12]}" in outcome.out


@pytest.mark.parametrize(("status", "conclusion", "word"), [
    ("completed", "failure", "concluded failure"),
    ("completed", "cancelled", "concluded cancelled"),
    ("completed", "timed_out", "concluded timed_out"),
    ("completed", "action_required", "concluded action_required"),
    ("completed", "neutral", "concluded neutral"),
    ("completed", "skipped", "concluded skipped"),
    ("completed", "stale", "concluded stale"),
    ("in_progress", None, "pending (its check run is in_progress)"),
    ("queued", None, "pending (its check run is queued)"),
])
def test_a_check_that_is_not_green_refuses(promote: Run, env: Env, world: History, status: str,
                                           conclusion: str | None, word: str) -> None:
    world.repo.add_run(world.head, status=status, conclusion=conclusion)
    refused(promote(), env, world, "required check gate (app 15368)", word)


def test_a_missing_check_refuses(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.head, name="lint")
    refused(promote(), env, world, "gate (app 15368): missing", "no check run named 'gate'")


def test_a_check_from_another_app_does_not_count(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.head, app_id=999)
    refused(promote(), env, world, "missing", "runs of that name from app 999 do not count")


def test_a_commit_status_does_not_stand_in_for_an_app_check(promote: Run, env: Env,
                                                            world: History) -> None:
    world.repo.add_status(world.head, "gate", "success")
    refused(promote(), env, world, "missing")


def test_the_latest_run_decides(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.head, conclusion="success")
    world.repo.add_run(world.head, conclusion="failure")  # a re-run that failed
    refused(promote(), env, world, "concluded failure")
    world.repo.add_run(world.head, conclusion="success")  # and a re-run that passed
    assert promote().code == 0
    assert world.repo.branches["production"] == world.head


def test_checks_are_read_on_the_promoted_sha_only(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.middle)  # green one commit below the head
    refused(promote(), env, world, "missing")


def test_not_a_fast_forward_refuses(promote: Run, env: Env, world: History) -> None:
    world.repo.branches["production"] = world.side  # production has a commit staging lacks
    world.base = world.side
    world.repo.add_run(world.head)
    refused(promote(), env, world, "not a fast-forward", "production has 1 commit(s)")


def test_moving_production_back_refuses(promote: Run, env: Env, world: History) -> None:
    world.repo.branches["production"] = world.head
    world.repo.branches["main"] = world.middle
    world.base = world.head
    world.repo.add_run(world.middle)
    refused(promote(), env, world, "behind production", "never moves it back")


def test_a_sha_that_is_not_on_staging_refuses(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.side)
    refused(promote("--sha", world.side), env, world, "is not on main")
    refused(promote("--sha", "abcdef1234567"), env, world, "has no commit abcdef1234567")


def test_a_given_sha_on_staging_is_promoted(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.middle)
    outcome = promote("--sha", world.middle[:10])
    assert outcome.code == 0, outcome
    assert world.repo.branches["production"] == world.middle
    assert env.server.writes[0].body == {"sha": world.middle, "force": False}


def test_nothing_to_do_when_production_is_there(promote: Run, env: Env, world: History) -> None:
    world.repo.branches["production"] = world.head
    outcome = promote()
    assert outcome.code == 0 and "already at" in outcome.out
    assert env.server.writes == []


def test_dry_run_checks_everything_and_moves_nothing(promote: Run, env: Env,
                                                     world: History) -> None:
    world.repo.add_run(world.head)
    outcome = promote("--dry-run")
    assert outcome.code == 0 and "dry run: would fast-forward production" in outcome.out
    assert env.server.writes == []
    world.repo.add_run(world.head, conclusion="failure")
    refused(promote("--dry-run"), env, world, "concluded failure")


def test_without_required_checks_nothing_is_promoted(promote: Run, env: Env,
                                                      world: History) -> None:
    world.repo.rulesets.clear()
    world.repo.add_run(world.head)
    refused(promote(), env, world, "requires no status checks", "agentrails protect")


def test_github_refusing_the_update_is_a_refusal(promote: Run, env: Env, world: History) -> None:
    world.repo.add_run(world.head)
    env.server.fail(422, {"message": "Update is not a fast forward"}, method="PATCH")
    outcome = promote()
    assert outcome.code == 1 and "Update is not a fast forward" in outcome.err
    assert world.repo.branches["production"] == world.base


def test_only_the_promotion_app_may_move_production(promote: Run, env: Env,
                                                    world: History) -> None:
    world.repo.actor_app_id = None  # a person's token: the update rule binds it
    world.repo.add_run(world.head)
    outcome = promote()
    assert outcome.code == 1 and "Cannot update this protected ref" in outcome.err
    assert world.repo.branches["production"] == world.base


def test_statuses_count_for_checks_without_an_app(promote: Run, env: Env, world: History) -> None:
    world.repo.rulesets[next(world.repo.ids)] = {
        "name": "lint", "target": "branch", "enforcement": "active", "bypass_actors": [],
        "conditions": {"ref_name": {"include": ["refs/heads/production"], "exclude": []}},
        "rules": [{"type": "required_status_checks", "parameters": {
            "strict_required_status_checks_policy": False,
            "required_status_checks": [{"context": "lint"}]}}]}
    world.repo.add_run(world.head)
    world.repo.add_status(world.head, "lint", "pending")
    refused(promote(), env, world, "lint: pending (its commit status is pending)")
    world.repo.add_status(world.head, "lint", "error")
    refused(promote(), env, world, "lint: failed (its commit status is error)")
    world.repo.add_status(world.head, "lint", "success")
    assert promote().code == 0


def test_every_failing_check_is_named(promote: Run, env: Env, world: History) -> None:
    world.repo.branches["production"] = world.side
    world.base = world.side
    refused(promote(), env, world, "not a fast-forward", "gate (app 15368): missing")


@pytest.mark.parametrize(("args", "words"), [
    (("--sha", "not-a-sha"), "--sha must be 7 to 40 hexadecimal digits"),
    (("--from", "main", "--to", "main"), "--from and --to are both 'main'"),
    (("--from", "nope"), "has no branch 'nope'"),
    (("--to", " "), "--to needs a branch name"),
    (("--repo", "no"), "--repo must be OWNER/NAME"),
])
def test_usage_errors_exit_2(promote: Run, env: Env, args: tuple[str, ...], words: str) -> None:
    outcome = promote(*args)
    assert outcome.code == 2 and words in outcome.err, outcome
    assert env.server.writes == []


def test_a_bad_token_is_said_clearly(promote: Run, env: Env,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghs_wrong")
    outcome = promote()
    assert outcome.code == 2
    assert "GitHub rejected the token (401: Bad credentials)" in outcome.err
    assert "GH_TOKEN or GITHUB_TOKEN" in outcome.err
    monkeypatch.delenv("GH_TOKEN")
    outcome = promote()
    assert outcome.code == 2 and "no GitHub token" in outcome.err


def test_branches_default_to_the_project_rulesets(cli: Run, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    world = history("develop", "release")
    project = tmp_path / "project"
    render_rulesets(project, staging_branch="develop", production_branch="release")
    install(world.repo, project)
    world.repo.add_run(world.head)
    with github_env(monkeypatch, project / ".github", world.repo):
        outcome = cli("promote")
    assert outcome.code == 0, outcome
    assert world.repo.branches["release"] == world.head


def test_enterprise_server_base_url(cli: Run, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    world = history()
    project = tmp_path / "project"
    render_rulesets(project)
    install(world.repo, project)
    world.repo.add_run(world.head)
    with github_env(monkeypatch, project, world.repo, prefix="/api/v3") as running:
        outcome = cli("promote")
        assert all(item.path.startswith("/repos/") for item in running.server.requests)
    assert outcome.code == 0, outcome
    assert world.repo.branches["production"] == world.head


def test_classic_protection_supplies_the_required_checks(cli: Run, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    world = history()
    world.repo.rulesets_api = "missing"
    world.repo.classic["production"] = {
        "required_status_checks": {"strict": True, "contexts": ["gate"]}, "enforce_admins": True,
        "required_pull_request_reviews": None, "restrictions": None}
    with github_env(monkeypatch, tmp_path, world.repo):
        world.repo.add_status(world.head, "gate", "failure")
        outcome = cli("promote")
        assert outcome.code == 1 and "gate: failed" in outcome.err
        world.repo.add_run(world.head, name="gate")
        world.repo.add_status(world.head, "gate", "success")
        outcome = cli("promote")
    assert outcome.code == 0, outcome
    assert world.repo.branches["production"] == world.head


def test_a_missing_production_branch_says_how_to_start(promote: Run, env: Env,
                                                       world: History) -> None:
    del world.repo.branches["production"]
    outcome = promote()
    assert outcome.code == 2
    assert "has no branch 'production'; create it once at a green commit of main" in outcome.err


def test_an_answer_of_an_unknown_shape_is_not_a_traceback(promote: Run, env: Env) -> None:
    env.server.fail(200, {"ref": "refs/heads/main"}, method="GET", path_contains="/git/ref/")
    outcome = promote()
    assert outcome.code == 2
    assert "GitHub answered in a shape agentrails does not know" in outcome.err
