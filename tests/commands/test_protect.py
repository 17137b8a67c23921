"""``agentrails protect`` against a local server that answers as GitHub documents: the
template's rulesets are created once, a second run writes nothing, drift is shown and exits 1
under ``--check``, and repositories without rulesets get classic protection instead."""

from __future__ import annotations

import json
import logging
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_testing import (
    Env,
    assert_no_token,
    github_env,
    history,
    render_rulesets,
    token_free,
)
from tests.helpers.repo import Outcome

Run = Callable[..., Outcome]
NAMES = ["production", "production-promotion", "staging"]


@pytest.fixture
def repo() -> FakeRepo:
    return history().repo


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, repo: FakeRepo,
        caplog: pytest.LogCaptureFixture) -> Iterator[Env]:
    caplog.set_level(logging.DEBUG, logger="agentrails.github")
    project = tmp_path / "project"
    render_rulesets(project)
    with github_env(monkeypatch, project, repo) as running:
        yield running
    assert_no_token(caplog.text)


@pytest.fixture
def protect(cli: Run, env: Env) -> Run:
    """``agentrails protect ARGS``; its output never holds the token."""
    return token_free(cli, "protect")


def shows(text: str, *needles: str) -> None:
    for needle in needles:
        assert needle in text, f"{needle!r} not in:\n{text}"


def by_name(repo: FakeRepo) -> dict[str, dict]:
    return {body["name"]: body for body in repo.rulesets.values()}


def test_first_run_creates_every_ruleset(protect: Run, env: Env, repo: FakeRepo) -> None:
    outcome = protect()
    assert outcome.code == 0, outcome
    assert [(w.method, w.path) for w in env.server.writes] == [
        ("POST", "/repos/acme/shop/rulesets")] * 3
    assert sorted(by_name(repo)) == NAMES
    files = {p.stem: json.loads(p.read_text()) for p in env.project.glob(".github/rulesets/*")}
    assert by_name(repo)["staging"] == files["staging"]
    assert "created ruleset staging (id" in outcome.out and "wrote 3, 0 already" in outcome.out


def test_second_run_writes_nothing(protect: Run, env: Env) -> None:
    assert protect().code == 0
    before = len(env.server.writes)
    outcome = protect()
    assert outcome.code == 0, outcome
    assert len(env.server.writes) == before
    assert "all 3 match .github/rulesets; nothing to write" in outcome.out
    assert protect("--check").code == 0


def test_check_shows_drift_and_exits_1(protect: Run, env: Env, repo: FakeRepo) -> None:
    protect()
    staging = by_name(repo)["staging"]
    staging["rules"][2]["parameters"]["required_approving_review_count"] = 0
    staging["bypass_actors"] = [{"actor_id": 5, "actor_type": "Team", "bypass_mode": "always"}]
    del by_name(repo)["production"]["rules"][0]  # someone allowed deletion in the UI
    writes = len(env.server.writes)
    outcome = protect("--check")
    assert outcome.code == 1, outcome
    assert len(env.server.writes) == writes
    shows(outcome.out, "update  ruleset staging", "update  ruleset production",
          '-        "required_approving_review_count": 0,',
          '+        "required_approving_review_count": 1,',
          '-      "actor_type": "Team",', '+      "type": "deletion"', "drift: 2 of 3 differ")
    assert "do_not_enforce_on_create" not in outcome.out  # GitHub's default, not drift
    outcome = protect()
    shows(outcome.out, "updated ruleset staging", "updated ruleset production")
    assert [w.method for w in env.server.writes[writes:]] == ["PUT", "PUT"]
    assert protect("--check").code == 0


def test_bypass_actors_a_token_cannot_see_are_said_not_compared(
        protect: Run, env: Env, repo: FakeRepo) -> None:
    """A read-only token gets rulesets without their bypass actors: not drift, but a note;
    every other difference still is drift."""
    protect()
    repo.bypass_visible = False
    outcome = protect("--check")
    assert outcome.code == 0, outcome
    shows(outcome.out, "note: ruleset production-promotion: GitHub shows its bypass_actors "
          "only to a token with write access to rulesets; not compared", "all 3 match")
    by_name(repo)["production-promotion"]["enforcement"] = "evaluate"
    outcome = protect("--check")
    assert outcome.code == 1 and '-  "enforcement": "evaluate",' in outcome.out


def test_check_reports_a_missing_ruleset(protect: Run, env: Env) -> None:
    outcome = protect("--check")
    assert outcome.code == 1 and "create  ruleset staging" in outcome.out
    assert env.server.writes == []


def test_dry_run_writes_nothing(protect: Run, env: Env) -> None:
    outcome = protect("--dry-run")
    assert outcome.code == 0, outcome
    shows(outcome.out, "dry run: would create ruleset production-promotion",
          "--- github: (none)", '+  "name": "production-promotion",', '+      "actor_id": 123456,')
    assert env.server.writes == []


def test_server_defaults_are_not_drift(protect: Run, env: Env, repo: FakeRepo) -> None:
    """GitHub adds allowed_merge_methods and do_not_enforce_on_create; neither is drift."""
    protect()
    staging = next(i for i, body in repo.rulesets.items() if body["name"] == "staging")
    shown = repo.ruleset(staging, env.server.url)["rules"]
    assert shown[2]["parameters"]["allowed_merge_methods"] == ["merge", "squash", "rebase"]
    assert shown[3]["parameters"]["do_not_enforce_on_create"] is False
    outcome = protect("--check")
    assert outcome.code == 0, outcome


@pytest.mark.parametrize("repo", [FakeRepo(rulesets_api="missing")], ids=["no-rulesets-api"])
def test_falls_back_to_classic_protection(protect: Run, env: Env, repo: FakeRepo) -> None:
    base = repo.commit()
    repo.branches.update({"main": base, "production": base})
    outcome = protect()
    assert outcome.code == 0, outcome
    shows(outcome.out, "falling back to classic branch protection",
          "only the promotion identity may update production")
    main, production = repo.classic["main"], repo.classic["production"]
    assert main["required_status_checks"] == {"strict": False, "contexts": ["gate"]}
    assert main["required_pull_request_reviews"]["required_approving_review_count"] == 1
    assert (main["allow_force_pushes"], main["allow_deletions"]) == (False, False)
    assert production["required_pull_request_reviews"] is None
    writes = len(env.server.writes)
    protect()
    assert len(env.server.writes) == writes
    production["allow_deletions"] = True
    outcome = protect("--check")
    assert outcome.code == 1
    shows(outcome.out, '"allow_deletions": false')


@pytest.mark.parametrize("repo", [FakeRepo(rulesets_api="missing")], ids=["no-rulesets-api"])
def test_classic_needs_the_branches(protect: Run, env: Env, repo: FakeRepo) -> None:
    repo.branches["main"] = repo.commit()
    outcome = protect()
    assert outcome.code == 2 and "branch 'production' does not exist on GitHub" in outcome.err
    assert env.server.writes == []


@pytest.mark.parametrize("repo", [FakeRepo(rulesets_api="plan")], ids=["private-free"])
def test_a_plan_without_protection_is_said(protect: Run, env: Env, repo: FakeRepo) -> None:
    repo.branches.update({"main": repo.commit(), "production": repo.commit()})
    outcome = protect()
    assert outcome.code == 2
    assert "neither rulesets nor classic branch protection is available" in outcome.err
    assert "Upgrade to GitHub Pro" in outcome.err
    assert env.server.writes == []


def test_bad_ruleset_files_exit_2(protect: Run, env: Env) -> None:
    staging = env.project / ".github" / "rulesets" / "staging.json"
    body = json.loads(staging.read_text())
    body["rules"][2]["parameters"]["require_code_owner_reveiw"] = True
    staging.write_text(json.dumps(body))
    outcome = protect()
    assert outcome.code == 2
    assert "unknown key 'require_code_owner_reveiw'" in outcome.err
    assert "$.rules[2].parameters" in outcome.err
    staging.write_text("{")
    outcome = protect()
    assert outcome.code == 2 and "not valid JSON" in outcome.err
    del body["rules"][2]["parameters"]["require_code_owner_reveiw"]
    staging.write_text(json.dumps({**body, "name": "production"}))
    assert "names must be unique" in protect().err
    assert env.server.requests == []


def test_no_rulesets_folder_exits_2(cli: Run, tmp_path: Path,
                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = cli("protect")
    assert outcome.code == 2 and "no .github/rulesets folder" in outcome.err


def test_repository_from_the_origin_remote(protect: Run, env: Env, repo: FakeRepo,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_REPOSITORY")
    subprocess.run(["git", "init", "-q"], cwd=env.project, check=True)
    outcome = protect()
    assert outcome.code == 2 and "cannot tell which repository" in outcome.err
    subprocess.run(["git", "remote", "add", "origin", "git@github.com:acme/shop.git"],
                   cwd=env.project, check=True)
    outcome = protect()
    assert outcome.code == 0 and outcome.out.startswith("acme/shop:"), outcome


def test_unknown_repository_is_a_404_message(protect: Run, env: Env) -> None:
    outcome = protect("--repo", "acme/nothing")
    assert outcome.code == 2
    assert "GitHub found nothing at GET /repos/acme/nothing (404: Not Found)" in outcome.err


def test_server_errors_are_retried(protect: Run, env: Env) -> None:
    env.server.fail(502, {"message": "Bad Gateway"}, method="GET", path_contains="/rulesets")
    env.server.fail(503, None, method="POST", times=2)
    outcome = protect()
    assert outcome.code == 0, outcome
    assert env.sleeps == [1.0, 1.0, 2.0]
    assert sorted(by_name(env.server.repo)) == NAMES


def test_rate_limits_wait_as_github_says(protect: Run, env: Env) -> None:
    env.server.fail(429, {"message": "slow down"}, {"Retry-After": "3"}, method="GET")
    env.server.fail(403, {"message": "API rate limit exceeded for installation."},
                    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700000010"},
                    method="POST")
    outcome = protect()
    assert outcome.code == 0, outcome
    assert env.sleeps == [3.0, 11.0]


def test_a_rate_limit_too_far_away_is_said(protect: Run, env: Env) -> None:
    env.server.fail(403, {"message": "API rate limit exceeded"},
                    {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1700003600"})
    outcome = protect()
    assert outcome.code == 2 and "rate limit is used up until" in outcome.err
    assert env.sleeps == []


def test_a_refused_write_is_said(protect: Run, env: Env) -> None:
    env.server.fail(422, {"message": "Validation Failed", "errors": [
        {"resource": "Ruleset", "field": "name", "code": "custom",
         "message": "Name must be unique"}]}, method="POST")
    outcome = protect()
    assert outcome.code == 2
    assert "(422: Validation Failed): Ruleset name custom Name must be unique" in outcome.err


def test_a_bad_token_is_said_and_never_shown(protect: Run, env: Env,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GH_TOKEN", "ghs_other")
    monkeypatch.setenv("GITHUB_TOKEN", "ghs_unused")
    outcome = protect()
    assert outcome.code == 2 and "GitHub rejected the token (401" in outcome.err
    assert "ghs_other" not in outcome.out + outcome.err
    assert env.server.requests[-1].headers["authorization"] == "Bearer ghs_other"


def test_rulesets_only_on_github_are_left_alone(protect: Run, env: Env, repo: FakeRepo) -> None:
    repo.rulesets[99] = {"name": "tags", "target": "tag", "enforcement": "active"}
    outcome = protect()
    assert outcome.code == 0
    shows(outcome.out, "note: ruleset tags (id 99) is on GitHub but not in .github/rulesets")
    assert 99 in repo.rulesets and all(w.method != "DELETE" for w in env.server.writes)
