"""``agentrails fleet`` against the local GitHub: an organisation of 120 repositories (three
pages), 80 made from the template at three releases, with red gates, open update pull
requests and one drifted ruleset; a secondary rate limit on the way. Every repository is
reported as it was built, the JSON validates against the shipped schema (with the real
check-jsonschema), and the Markdown renders as a table with a Mermaid pie."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import cmarkgfm
import pytest

from agentrails.github.fleet.checks import RED
from tests.helpers.github_fleet import Expected, Fleet, as_found, build
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, Env, environment, token_free
from tests.helpers.paths import SRC
from tests.helpers.template import run, tool

SCHEMA = SRC / "agentrails" / "github" / "fleet" / \
    "fleet.schema.json"
BROKEN = "app-broken"


@pytest.fixture
def fleet_cli(cli: Callable[..., Any]) -> Callable[..., Any]:
    return token_free(cli, "fleet")


@pytest.fixture
def org(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[tuple[Env, Fleet]]:
    """The organisation ``acme`` on a server that gives at most 50 repositories a page."""
    with FakeGitHub(None, TOKEN) as server:
        server.max_per_page = 50
        fleet = build(server, tmp_path / "scratch")
        with environment(monkeypatch, server, tmp_path) as env:
            yield env, fleet


def report(fleet_cli: Callable[..., Any], tmp_path: Path, *args: str) -> dict[str, Any]:
    out = tmp_path / "fleet.json"
    outcome = fleet_cli("--owner", "acme", "--format", "json", "--output", str(out), *args)
    assert outcome.code == 0, outcome.err
    assert outcome.out == "" and "Traceback" not in outcome.err
    run([tool("check-jsonschema"), "--schemafile", str(SCHEMA), str(out)], tmp_path)
    return json.loads(out.read_text(encoding="utf-8"))


def by_name(data: dict[str, Any]) -> dict[str, Expected]:
    return {entry["repository"]: as_found(entry) for entry in data["repositories"]}


def test_the_schema_is_a_valid_schema(tmp_path: Path) -> None:
    run([tool("check-jsonschema"), "--check-metaschema", str(SCHEMA)], tmp_path)


def test_every_repository_is_reported_as_built(org: tuple[Env, Fleet],
                                               fleet_cli: Callable[..., Any],
                                               tmp_path: Path) -> None:
    env, fleet = org
    env.server.fail(403, {"message": "You have exceeded a secondary rate limit."},
                    {"Retry-After": "7"}, path_contains="/pulls")
    data = report(fleet_cli, tmp_path)
    assert by_name(data) == fleet.expected
    assert env.sleeps == [7.0]  # waited as told, once, and carried on
    listing = [item for item in env.server.requests if item.path == "/orgs/acme/repos"]
    assert [item.query.get("page", "1") for item in listing] == ["1", "2", "3"]
    assert data["scanned"] == 120 and data["summary"]["repositories"] == 80


def test_the_figures_add_up(org: tuple[Env, Fleet], fleet_cli: Callable[..., Any],
                            tmp_path: Path) -> None:
    _, fleet = org
    summary = report(fleet_cli, tmp_path)["summary"]
    wanted = fleet.expected.values()
    assert summary["releases"] == {"v0.1.0": 30, "v0.2.0": 30, "v0.3.0": 20}
    assert summary["red_gates"] == sum(item.gate in RED for item in wanted) > 0
    assert summary["update_pulls_open"] == sum(item.pull is not None for item in wanted) > 0
    assert summary["drifted"] == 1 and summary["with_problems"] == 0
    sources = Counter(item.pull[2] for item in wanted if item.pull)
    assert sources["renovate"] > 0 and sources["template-update"] > 0
    assert {item.gate for item in wanted} >= {"success", "failure", "timed_out", "pending",
                                              "missing"}


def markdown(fleet_cli: Callable[..., Any]) -> str:
    outcome = fleet_cli("--owner", "acme")
    assert outcome.code == 0
    assert outcome.err.strip().endswith("120 repositories scanned, 80 from the template, "
                                        "0 with problems")
    return str(outcome.out)


def row_of(text: str, name: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(f"| [{name}]"))


def test_the_markdown_charts_the_releases(org: tuple[Env, Fleet],
                                          fleet_cli: Callable[..., Any]) -> None:
    text = markdown(fleet_cli)
    pie = re.search(r"```mermaid\npie showData title Template releases in use\n(.*?)```",
                    text, re.S)
    assert pie is not None
    assert pie.group(1).split("\n")[:3] == ['    "v0.1.0" : 30', '    "v0.2.0" : 30',
                                            '    "v0.3.0" : 20']
    assert "80 of 120 repositories come from https://github.com/agentrails/agentrails" in text


def test_the_markdown_has_a_row_for_each(org: tuple[Env, Fleet],
                                         fleet_cli: Callable[..., Any]) -> None:
    _, fleet = org
    text = markdown(fleet_cli)
    html = cmarkgfm.github_flavored_markdown_to_html(text)
    assert html.count("<tr>") == 1 + len(fleet.expected)  # the header and one row each
    states = {item.drift: name for name, item in fleet.expected.items()}
    assert "**drifted**: ruleset staging" in row_of(text, states["drifted"])
    gates = {item.gate: name for name, item in fleet.expected.items()}
    assert "| **failure** |" in row_of(text, gates["failure"])
    assert "| success |" in row_of(text, gates["success"])


def test_a_topic_narrows_the_scan(org: tuple[Env, Fleet], fleet_cli: Callable[..., Any],
                                  tmp_path: Path) -> None:
    env, fleet = org
    tagged = sorted(fleet.expected)[:5] + ["acme/app-002"]  # app-002 is not from the template
    for name in tagged:
        env.server.repos[name].topics = ["platform", "python"]
    data = report(fleet_cli, tmp_path, "--topic", "Platform")
    assert data["topic"] == "platform" and data["scanned"] == 6
    assert sorted(by_name(data)) == sorted(fleet.expected)[:5]


def test_archived_repositories_are_skipped(org: tuple[Env, Fleet],
                                           fleet_cli: Callable[..., Any],
                                           tmp_path: Path) -> None:
    env, fleet = org
    gone = sorted(fleet.expected)[0]
    env.server.repos[gone].archived = True
    data = report(fleet_cli, tmp_path)
    assert data["archived_skipped"] == 1 and gone not in by_name(data)


def test_a_template_given_another_way_finds_the_same_fleet(
        org: tuple[Env, Fleet], fleet_cli: Callable[..., Any], tmp_path: Path) -> None:
    _, fleet = org
    data = report(fleet_cli, tmp_path, "--template", "git@github.com:AgentRails/agentrails.git")
    assert sorted(by_name(data)) == sorted(fleet.expected)
    other = report(fleet_cli, tmp_path, "--template", "gh:acme/python-template")
    assert other["summary"]["repositories"] == 20  # the odd ones among the 40 others
