"""The loop's counts from the GitHub stand-in's issues and pull requests: self-heal issues
opened (from CI, from production), fix pull requests opened and merged, the median time from
error to merged fix; and ``agentrails report --self-heal`` showing them as JSON and
Markdown, compared with an earlier report."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from agentrails.report import delta, measures
from agentrails.selfheal.loop import counts, fix_issue
from agentrails.selfheal.text import marker
from tests.helpers.github_issue_routes import add_issue, stamp
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, environment
from tests.helpers.selfheal import START, Clock, loop_repo, repository

BOT = ("github-actions[bot]", "Bot")


def history() -> tuple[Clock, object]:
    """Over ten days: 4 self-heal issues (2 from production, one of them 100 days old and
    outside the window), fixes for three, two of them merged after 3 and 9 hours."""
    clock = Clock(START - timedelta(days=100))
    repo = loop_repo(clock)
    add_issue(repo, "production error: old", marker("production-error", "0" * 16), ["self-heal"],
              BOT)  # 1, outside the window
    clock.now = START
    prod = add_issue(repo, "production error: x", marker("production-error", "1" * 16) + "\n",
                     ["self-heal"], BOT)  # 2
    ci = add_issue(repo, "self-heal: CI job 'test' fails on main", "log", ["self-heal"], BOT)
    other = add_issue(repo, "self-heal: CI job 'lint' fails on main", "log", ["self-heal"], BOT)
    add_issue(repo, "a bug", "b", ["bug"], ("maya", "User"))  # not self-heal
    opened = START + timedelta(hours=1)
    repo.pulls += [
        _pull(next(repo.numbers), f"self-heal/issue-{prod}", opened, START + timedelta(hours=3)),
        _pull(next(repo.numbers), f"self-heal/issue-{ci}-2", opened, START + timedelta(hours=9)),
        _pull(next(repo.numbers), f"self-heal/issue-{other}", opened, None),
        _pull(next(repo.numbers), "feature/unrelated", opened, START + timedelta(hours=2)),
        _pull(next(repo.numbers), "self-heal/issue-1", START - timedelta(days=99), None),
    ]
    clock.now = START + timedelta(days=10)
    return clock, repo


def _pull(number: int, head: str, created, merged) -> dict:
    return {"number": number, "head": head, "base": "main", "title": head, "labels": [],
            "state": "closed" if merged else "open", "body": "", "created_at": stamp(created),
            "merged_at": stamp(merged) if merged else None,
            "closed_at": stamp(merged) if merged else None}


def test_the_loop_is_counted_from_issues_and_pull_requests() -> None:
    clock, repo = history()
    with FakeGitHub(repo, TOKEN) as server:
        found = counts(repository(server.url, repo), clock(), days=90)
        assert server.rejected == [] and server.bad_responses == []
    assert found == {
        "repository": "acme/shop", "days": 90, "since": stamp(clock() - timedelta(days=90)),
        "issues_opened": 3, "from_production": 1, "from_ci": 2,
        "fix_prs_opened": 3, "fix_prs_merged": 2, "median_hours_to_merged_fix": 6.0,
    }


def test_the_pull_requests_are_read_only_as_far_back_as_the_window() -> None:
    clock, repo = history()
    repo.pulls += [_pull(1000 + n, "feature/x", START - timedelta(days=200), None)
                   for n in range(250)]
    repo.pulls.sort(key=lambda pull: pull["created_at"])
    with FakeGitHub(repo, TOKEN) as server:
        counts(repository(server.url, repo), clock(), days=30)
        pages = [item for item in server.requests if item.path.endswith("/pulls")]
    assert len(pages) == 1


def test_without_a_merged_fix_there_is_no_median() -> None:
    clock = Clock()
    with FakeGitHub(loop_repo(clock), TOKEN) as server:
        found = counts(repository(server.url, server.repo), clock(), days=7)
    assert found["issues_opened"] == 0 and found["median_hours_to_merged_fix"] is None


@pytest.mark.parametrize(("head", "issue"), [
    ("self-heal/issue-12", 12), ("self-heal/issue-12-3", 12), ("self-heal/issue-x", None),
    ("feature/self-heal/issue-1", None), ("self-heal/issue-", None)])
def test_fix_branches(head: str, issue: int | None) -> None:
    assert fix_issue({"head": {"ref": head}}) == issue


def test_the_report_shows_the_loop(cli, git_repo, monkeypatch: pytest.MonkeyPatch) -> None:
    from agentrails.commands import report as report_command

    root = git_repo({"app.py": "def f():\n    return 1\n"})
    clock, repo = history()
    monkeypatch.setattr(report_command, "datetime", _Frozen(clock))
    with FakeGitHub(repo, TOKEN) as server, environment(monkeypatch, server, root):
        as_json = cli("report", "--no-cache", "--self-heal", ".")
        as_markdown = cli("report", "--no-cache", "--self-heal", "--format", "markdown", ".")
    assert as_json.code == 0, as_json.err
    snapshot = json.loads(as_json.out)
    assert snapshot["self_heal"]["fix_prs_merged"] == 2
    numbers = measures(snapshot)
    assert numbers["self_heal.issues_opened"] == 3
    assert numbers["self_heal.median_hours_to_merged_fix"] == 6.0
    assert "## The self-heal loop" in as_markdown.out
    assert "| median time from error to merged fix | 6.0 hours |" in as_markdown.out
    assert "| fix pull requests merged | 2 |" in as_markdown.out
    before = {**snapshot, "self_heal": {**snapshot["self_heal"], "fix_prs_merged": 1}}
    rows = {row["measure"]: row for row in delta(before, snapshot)["measures"]}
    assert rows["self_heal.fix_prs_merged"]["change"] == 1


def test_the_report_without_a_token_says_so(cli, git_repo,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    root = git_repo({"app.py": "x = 1\n"})
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    outcome = cli("report", "--no-cache", "--self-heal", "--repo", "acme/shop", root)
    assert outcome.code == 2
    assert outcome.err.strip() == ("agentrails: error: --self-heal: no GitHub token: set "
                                   "GH_TOKEN or GITHUB_TOKEN")


def test_an_earlier_report_without_the_loop_still_compares() -> None:
    old = {"files": 1, "findings": {"total": 0, "by_code": {}}, "size": {"over": [], "near": []},
           "complexity": {"functions": 0, "average": 0.0, "over_ceiling": 0,
                          "by_rank": dict.fromkeys("ABCDEF", 0)},
           "dead_code": {"total": 0}, "context": None}
    new = {**old, "self_heal": {"repository": "a/b", "days": 90, "since": "x",
                                "issues_opened": 2, "from_ci": 2, "from_production": 0,
                                "fix_prs_opened": 1, "fix_prs_merged": 0,
                                "median_hours_to_merged_fix": None}}
    rows = {row["measure"]: row for row in delta(old, new)["measures"]}
    assert rows["self_heal.issues_opened"] == {"measure": "self_heal.issues_opened",
                                               "old": 0, "new": 2, "change": 2}
    assert "self_heal.median_hours_to_merged_fix" not in rows


class _Frozen:
    """``datetime`` of the report command, with ``now`` from the test's clock."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock

    def now(self, *_: object):
        return self.clock()
