"""Telling the team and starting the agent: one Slack message when an issue opens (escaped,
the webhook never in an output), none without a webhook, a failing webhook or dispatch
warns and never fails; ``self-heal announce`` does the same for the CI path."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from agentrails.selfheal import notify
from agentrails.selfheal.intake import Announcement, announce
from tests.helpers.github_issue_routes import add_issue
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, environment
from tests.helpers.selfheal import Clock, fake_slack, loop_repo, repository


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub(loop_repo(Clock()), TOKEN) as running:
        yield running
        assert running.rejected == [] and running.bad_responses == []


def test_a_new_issue_starts_the_agent_and_notifies(server: FakeGitHub) -> None:
    warnings: list[str] = []
    with fake_slack() as slack:
        plan = Announcement("self-heal-agent.yml", "develop", "https://github.com",
                            {notify.ENV: slack.url})
        done = announce(repository(server.url, server.repo), 7, "RuntimeError: <b>&",
                        plan, warnings.append)
    assert done == ["started self-heal-agent.yml on #7", "notified the team of #7"]
    assert server.repo.dispatched == [{"workflow": "self-heal-agent.yml", "ref": "develop",
                                       "inputs": {"issue": "7"}}]
    assert slack.received == [{"text": "self-heal: issue #7 opened in acme/shop: "
                                       "RuntimeError: &lt;b&gt;&amp;\n"
                                       "<https://github.com/acme/shop/issues/7|Open the issue>"}]
    assert warnings == []


def test_without_a_webhook_or_an_agent_nothing_is_sent(server: FakeGitHub) -> None:
    plan = Announcement(None, "main", "https://github.com", {})
    assert announce(repository(server.url, server.repo), 1, "t", plan, print) == []
    assert server.repo.dispatched == [] and server.writes == []


@pytest.mark.parametrize("status", [404, 500])
def test_a_failing_webhook_warns_without_the_url(server: FakeGitHub, status: int) -> None:
    warnings: list[str] = []
    with fake_slack(status) as slack:
        plan = Announcement(None, "main", "https://github.com", {notify.ENV: slack.url})
        assert announce(repository(server.url, server.repo), 1, "t", plan,
                        warnings.append) == []
    assert warnings == [f"the Slack webhook answered {status}; no notification sent"]
    assert "services" not in " ".join(warnings)


def test_an_unreachable_or_plain_http_webhook_warns() -> None:
    warnings: list[str] = []
    assert not notify.send("x", {notify.ENV: "http://hooks.example.com/x"}, warnings.append)
    assert not notify.send("x", {notify.ENV: "http://127.0.0.1:9/x"}, warnings.append)
    assert warnings[0] == "not notifying: the Slack webhook must be an https:// URL"
    assert warnings[1].startswith("the Slack webhook could not be reached")


def test_a_missing_agent_workflow_warns_and_the_rest_goes_on(server: FakeGitHub) -> None:
    warnings: list[str] = []
    plan = Announcement("missing.yml", "main", "https://github.com", {})
    assert announce(repository(server.url, server.repo), 3, "t", plan, warnings.append) == []
    assert len(warnings) == 1 and warnings[0].startswith("could not start missing.yml for #3")


def test_the_announce_command_reads_the_issue_title(
    cli, tmp_path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = loop_repo(Clock())
    number = add_issue(repo, "self-heal: CI job 'test' fails on main @octocat", "log",
                       ["self-heal"], ("github-actions[bot]", "Bot"), "NONE")
    with fake_slack() as slack, FakeGitHub(repo, TOKEN) as server, \
            environment(monkeypatch, server, tmp_path):
        monkeypatch.setenv(notify.ENV, slack.url)
        monkeypatch.setenv("GITHUB_SERVER_URL", "https://github.example")
        outcome = cli("self-heal", "announce", "--issue", str(number),
                      "--agent-workflow", "self-heal-agent.yml", "--ref", "main")
    assert outcome.code == 0, outcome.err
    assert repo.dispatched[0]["inputs"] == {"issue": str(number)}
    (message,) = slack.received
    assert "@\u200doctocat" in message["text"]  # sanitized: no one is mentioned
    assert slack.url not in outcome.out + outcome.err


def test_announce_needs_an_issue_number(cli) -> None:
    outcome = cli("self-heal", "announce", "--repo", "acme/shop")
    assert outcome.code == 2 and "announce needs --issue N" in outcome.err
