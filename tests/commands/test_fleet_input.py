"""Bad input to ``agentrails fleet``: a usage or configuration error is one line and exit 2;
a repository whose answers file, ruleset file or API answers are broken is one line of the
report (and of stderr) while every other repository is still reported, with exit 0. Never a
traceback, never the token."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_fleet import Fleet, answers, as_found, build
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, Env, environment, token_free

AGENTRAILS = "https://github.com/agentrails/agentrails.git"
BROKEN_ANSWERS = {
    "bad-yaml": ("_src_path: [unclosed\n_commit: v0.1.0\n",
                 "answers file .copier-answers.yml: not valid YAML: expected ',' or ']', but "
                 "got ':' (line 2)"),
    "a-list": ("- _src_path\n- _commit\n",
               "answers file .copier-answers.yml: not a mapping of answers but list"),
    "no-source": ("_commit: v0.1.0\nproject_name: x\n",
                  "answers file .copier-answers.yml: no _src_path: cannot tell which "
                  "template it was made from"),
    "odd-commit": (f"_src_path: {AGENTRAILS}\n_commit:\n  tag: v0.1.0\n",
                   "answers file .copier-answers.yml: _commit is a dict, not a release name"),
    "not-utf8": (b"_src_path: \xff\xfe\n",
                 "answers file .copier-answers.yml: .copier-answers.yml is not UTF-8 text"),
}


@pytest.fixture
def fleet_cli(cli: Callable[..., Any]) -> Callable[..., Any]:
    return token_free(cli, "fleet")


@pytest.fixture
def small(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Env, Fleet]]:
    """``acme`` with nine repositories, six of them from the template."""
    with FakeGitHub(None, TOKEN) as server:
        fleet = build(server, tmp_path / "scratch", total=9, from_template=6, drifted=-1)
        with environment(monkeypatch, server, tmp_path) as env:
            yield env, fleet


def broken(server: FakeGitHub, name: str, content: str | bytes) -> None:
    repo = FakeRepo(owner="acme", name=name)
    repo.branches["main"] = repo.commit()
    repo.files[".copier-answers.yml"] = content
    server.add(repo)


def json_report(fleet_cli: Callable[..., Any], tmp_path: Path) -> tuple[dict[str, Any], str]:
    out = tmp_path / "fleet.json"
    outcome = fleet_cli("--owner", "acme", "--format", "json", "--output", str(out))
    assert outcome.code == 0, outcome.err
    assert "Traceback" not in outcome.err
    return json.loads(out.read_text(encoding="utf-8")), outcome.err


def untouched(data: dict[str, Any], fleet: Fleet) -> None:
    """Every template repository is reported exactly as built."""
    found = {entry["repository"]: as_found(entry) for entry in data["repositories"]}
    assert {name: found[name] for name in fleet.expected} == fleet.expected


def test_malformed_answers_files_are_one_line_each(small: tuple[Env, Fleet],
                                                   fleet_cli: Callable[..., Any],
                                                   tmp_path: Path) -> None:
    env, fleet = small
    for name, (content, _) in BROKEN_ANSWERS.items():
        broken(env.server, name, content)
    data, err = json_report(fleet_cli, tmp_path)
    untouched(data, fleet)
    entries = {entry["repository"]: entry for entry in data["repositories"]}
    for name, (_, said) in BROKEN_ANSWERS.items():
        entry = entries[f"acme/{name}"]
        assert entry["problems"] == [said]
        assert entry["release"] is None and entry["gate"] is None
        assert f"agentrails fleet: acme/{name}: {said}\n" in err
    assert data["summary"]["with_problems"] == len(BROKEN_ANSWERS)
    assert data["summary"]["releases"]["unknown"] == len(BROKEN_ANSWERS)


def test_answers_without_a_release_are_reported_with_the_rest(
        small: tuple[Env, Fleet], fleet_cli: Callable[..., Any], tmp_path: Path) -> None:
    env, _ = small
    broken(env.server, "untagged", f"_src_path: {AGENTRAILS}\n")
    data, _ = json_report(fleet_cli, tmp_path)
    entry = next(item for item in data["repositories"] if item["repository"] == "acme/untagged")
    assert entry["problems"] == ["answers file .copier-answers.yml: no _commit (not made "
                                 "from a tagged release)"]
    assert entry["gate"] == "missing" and entry["rulesets"]["state"] == "no-files"


def test_an_answers_folder_and_a_bad_ruleset_file(small: tuple[Env, Fleet],
                                                  fleet_cli: Callable[..., Any],
                                                  tmp_path: Path) -> None:
    env, fleet = small
    folder = FakeRepo(owner="acme", name="folder")
    folder.branches["main"] = folder.commit()
    folder.files[".copier-answers.yml/oops"] = "x"
    env.server.add(folder)
    name = sorted(fleet.expected)[0]
    env.server.repos[name].files[".github/rulesets/staging.json"] = "{not json"
    del fleet.expected[name]
    data, err = json_report(fleet_cli, tmp_path)
    untouched(data, fleet)
    entries = {entry["repository"]: entry for entry in data["repositories"]}
    assert entries["acme/folder"]["problems"] == [
        "answers file .copier-answers.yml: .copier-answers.yml is not a file"]
    problem = entries[name]["problems"][0]
    assert problem.startswith("rulesets: .github/rulesets/staging.json: not valid JSON")
    assert entries[name]["rulesets"] is None and entries[name]["gate"] is not None
    assert f"{name}: rulesets: .github/rulesets/staging.json: not valid JSON" in err


def test_a_repository_github_keeps_failing_is_one_line(small: tuple[Env, Fleet],
                                                       fleet_cli: Callable[..., Any],
                                                       tmp_path: Path) -> None:
    env, fleet = small
    name = sorted(fleet.expected)[1]
    env.server.fail(502, {"message": "Bad Gateway"}, path_contains=f"/repos/{name}/pulls",
                    times=10)
    expected = fleet.expected.pop(name)
    data, err = json_report(fleet_cli, tmp_path)
    untouched(data, fleet)
    entry = next(item for item in data["repositories"] if item["repository"] == name)
    assert entry["update_pull"] is None and entry["gate"] == expected.gate
    assert entry["problems"] == [f"update pull request: GitHub kept failing GET /repos/{name}/"
                                 "pulls?state=open&per_page=100 (502: Bad Gateway); try again "
                                 "later"]
    assert env.sleeps == [1.0, 2.0, 4.0, 8.0]


def test_hidden_bypass_actors_are_said_not_compared(small: tuple[Env, Fleet],
                                                    fleet_cli: Callable[..., Any],
                                                    tmp_path: Path) -> None:
    env, fleet = small
    name = sorted(fleet.expected)[0]
    env.server.repos[name].bypass_visible = False
    data, _ = json_report(fleet_cli, tmp_path)
    untouched(data, fleet)
    entry = next(item for item in data["repositories"] if item["repository"] == name)
    assert entry["rulesets"]["state"] == "in-sync"
    assert ("ruleset production-promotion: GitHub shows its bypass_actors only to a token "
            "with write access to rulesets; not compared") in entry["rulesets"]["notes"]


def test_a_users_repositories(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                              fleet_cli: Callable[..., Any]) -> None:
    with FakeGitHub(None, TOKEN) as server:
        repo = FakeRepo(owner="jane", name="tool")
        repo.branches["main"] = repo.commit()
        repo.files[".copier-answers.yml"] = answers("gh:agentrails/agentrails", "v0.2.0")
        server.add(repo, kind="User")
        with environment(monkeypatch, server, tmp_path):
            outcome = fleet_cli("--owner", "jane", "--format", "json")
        assert [item.path for item in server.requests][:2] == ["/users/jane",
                                                               "/users/jane/repos"]
    data = json.loads(outcome.out)
    assert [item["release"] for item in data["repositories"]] == ["v0.2.0"]


@pytest.mark.parametrize(("args", "env", "said"), [
    (["--owner", "nobody"], {}, "no GitHub user or organisation named 'nobody' (or the token "
                                "cannot see it)"),
    (["--owner", "acme"], {"GH_TOKEN": ""}, "no GitHub token: set GH_TOKEN or GITHUB_TOKEN"),
    (["--owner", "acme/shop"], {}, "--owner must be a GitHub user or organisation name, got "
                                   "'acme/shop'"),
    (["--owner", "acme", "--template", "../agentrails"], {},
     "--template must name a hosted git repository"),
    (["--owner", "acme"], {"GITHUB_API_URL": "http://ghe.invalid/api/v3"},
     "GITHUB_API_URL is plain http:// to ghe.invalid: the token would travel unencrypted"),
    (["--owner", "acme", "--output", "missing/dir/out.md"], {}, "cannot write missing/dir"),
])
def test_usage_and_configuration_errors_exit_2(small: tuple[Env, Fleet],
                                               monkeypatch: pytest.MonkeyPatch,
                                               fleet_cli: Callable[..., Any], args: list[str],
                                               env: dict[str, str], said: str) -> None:
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    outcome = fleet_cli(*args)
    assert outcome.code == 2 and outcome.out == ""
    lines = outcome.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"agentrails fleet: {said}"), outcome.err


def test_a_listing_github_keeps_failing_exits_2(small: tuple[Env, Fleet],
                                                fleet_cli: Callable[..., Any]) -> None:
    env, _ = small
    env.server.fail(503, {"message": "Service Unavailable"}, path_contains="/orgs/acme/repos",
                    times=10)
    outcome = fleet_cli("--owner", "acme")
    assert outcome.code == 2 and outcome.out == ""
    assert outcome.err.splitlines()[-1].startswith(
        "agentrails fleet: GitHub kept failing GET /orgs/acme/repos?type=all&per_page=100 (503")


def test_no_owner_is_a_usage_error(cli: Callable[..., Any]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli("fleet")
    assert exited.value.code == 2


def test_without_rulesets_the_classic_protection_is_compared(small: tuple[Env, Fleet],
                                                             fleet_cli: Callable[..., Any],
                                                             tmp_path: Path) -> None:
    """A server without rulesets (404): the comparison protect --check makes falls back to
    classic branch protection, read only; unprotected branches are drift."""
    env, fleet = small
    name = sorted(fleet.expected)[0]
    repo = env.server.repos[name]
    repo.rulesets_api = "missing"
    repo.branches["production"] = repo.commit(repo.branches["main"])
    data, _ = json_report(fleet_cli, tmp_path)
    entry = next(item for item in data["repositories"] if item["repository"] == name)
    assert entry["rulesets"]["state"] == "drifted" and entry["problems"] == []
    assert entry["rulesets"]["differs"] == ["branch protection of main",
                                            "branch protection of production"]
    assert entry["rulesets"]["notes"][0].startswith(f"rulesets are not available for {name}")
    assert env.server.writes == []
