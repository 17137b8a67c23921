"""Who may start the agent, asked of the GitHub stand-in: the workflow's own bot or someone
who may push, on an issue the bot or such a person wrote; never an outsider's issue, never an
outsider's or a triager's label."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentrails.selfheal.trust import judge
from tests.helpers.github_issue_routes import add_issue
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, environment
from tests.helpers.selfheal import Clock, loop_repo, repository

BOT = ("github-actions[bot]", "Bot")
MAINTAINER, OUTSIDER, TRIAGER = ("maya", "User"), ("mallory", "User"), ("tracy", "User")


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    repo = loop_repo(Clock())
    repo.collaborators.update({"maya": "admin", "wes": "write", "tracy": "read"})
    with FakeGitHub(repo, TOKEN) as running:
        yield running
        assert running.rejected == [] and running.bad_responses == []


def labelled(sender: tuple[str, str], label: str = "self-heal",
             action: str = "labeled") -> dict[str, Any]:
    return {"action": action, "label": {"name": label},
            "sender": {"login": sender[0], "type": sender[1]}}


def dispatched(sender: tuple[str, str]) -> dict[str, Any]:
    return {"inputs": {"issue": "1"}, "sender": {"login": sender[0], "type": sender[1]}}


def issue(server: FakeGitHub, author: tuple[str, str], labels: tuple[str, ...] = ("self-heal",),
          association: str = "NONE") -> int:
    return add_issue(server.repo, "a failure", "log", list(labels), author, association)


@pytest.mark.parametrize(("author", "event_name", "event", "trusted"), [
    (BOT, "workflow_dispatch", dispatched(BOT), True),
    (BOT, "issues", labelled(MAINTAINER), True),
    (MAINTAINER, "issues", labelled(("wes", "User")), True),
    (MAINTAINER, "workflow_dispatch", dispatched(("wes", "User")), True),
    # An outsider's issue never reaches the agent, whoever labels or dispatches it.
    (OUTSIDER, "issues", labelled(MAINTAINER), False),
    (OUTSIDER, "workflow_dispatch", dispatched(MAINTAINER), False),
    (OUTSIDER, "workflow_dispatch", dispatched(BOT), False),
    (TRIAGER, "issues", labelled(MAINTAINER), False),
    # Nor does a label from someone who may not push, or from an app.
    (BOT, "issues", labelled(OUTSIDER), False),
    (BOT, "issues", labelled(TRIAGER), False),
    (BOT, "issues", labelled(("some-app[bot]", "Bot")), False),
    (BOT, "workflow_dispatch", dispatched(OUTSIDER), False),
    # Only the self-heal label being added counts.
    (BOT, "issues", labelled(MAINTAINER, label="bug"), False),
    (BOT, "issues", labelled(MAINTAINER, action="unlabeled"), False),
    (BOT, "issue_comment", labelled(MAINTAINER), False),
    # A bot that only looks like the workflow's own (a user named so) is an outsider.
    (("github-actions[bot]", "User"), "issues", labelled(MAINTAINER), False),
])
def test_who_may_start_the_agent(server: FakeGitHub, author: tuple[str, str], event_name: str,
                                 event: dict[str, Any], trusted: bool) -> None:
    number = issue(server, author)
    verdict = judge(repository(server.url, server.repo), number, event_name, event)
    assert verdict.trusted is trusted, verdict.reason


def test_the_issue_must_be_open_and_labelled(server: FakeGitHub) -> None:
    repo = repository(server.url, server.repo)
    closed = issue(server, BOT)
    server.repo.issues[closed]["state"] = "closed"
    unlabelled = issue(server, BOT, labels=("bug",))
    assert judge(repo, closed, "workflow_dispatch", dispatched(BOT)).reason == "#1 is not open"
    assert judge(repo, unlabelled, "workflow_dispatch",
                 dispatched(BOT)).reason == "#2 has no self-heal label"


def test_the_reasons_name_the_account(server: FakeGitHub) -> None:
    repo = repository(server.url, server.repo)
    number = issue(server, OUTSIDER)
    verdict = judge(repo, number, "issues", labelled(MAINTAINER))
    assert verdict.reason == "the issue was opened by mallory, who may not push here"
    number = issue(server, BOT)
    verdict = judge(repo, number, "issues", labelled(TRIAGER))
    assert verdict.reason == "the self-heal label was added by tracy, who may not push"


def test_the_trust_command_sets_outputs_from_the_event(
    server: FakeGitHub, cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    good, bad = issue(server, BOT), issue(server, OUTSIDER)
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("GITHUB_OUTPUT", str(outputs))
    results = []
    with environment(monkeypatch, server, tmp_path):
        for number in (good, bad):
            event = {**labelled(MAINTAINER), "issue": {"number": number}}
            path = tmp_path / f"event-{number}.json"
            path.write_text(json.dumps(event), encoding="utf-8")
            monkeypatch.setenv("GITHUB_EVENT_NAME", "issues")
            results.append(cli("self-heal", "trust", "--event", path, "--issue", "999"))
    assert [outcome.code for outcome in results] == [0, 0]
    assert outputs.read_text().splitlines() == [
        "trusted=true", f"issue={good}", "trusted=false", f"issue={bad}"]
    assert "not trusted: the issue was opened by mallory" in results[1].out


def test_the_trust_command_needs_an_issue(cli, tmp_path: Path) -> None:
    path = tmp_path / "event.json"
    path.write_text(json.dumps(dispatched(BOT)), encoding="utf-8")
    outcome = cli("self-heal", "trust", "--event", path, "--event-name", "workflow_dispatch",
                  "--repo", "acme/shop")
    assert outcome.code == 2 and "no issue number" in outcome.err
