"""Drift: what GitHub adds by itself (ids, links, defaults) and the order of order-free lists
are not drift; any change to what a file says is, and shows in the diff."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.github.protection.classic import classic_from_github, classic_plan
from agentrails.github.protection.drift import diff_text, project, ruleset_drift
from agentrails.github.protection.rulesets import load_rulesets
from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_routes import protection_view
from tests.helpers.github_testing import render_rulesets, rulesets_of


@pytest.fixture(scope="module")
def bodies(tmp_path_factory: pytest.TempPathFactory) -> list[dict[str, Any]]:
    project = tmp_path_factory.mktemp("drift")
    render_rulesets(project)
    return rulesets_of(project)


def as_github_shows(body: dict[str, Any]) -> dict[str, Any]:
    repo = FakeRepo()
    repo.rulesets[7] = copy.deepcopy(body)
    return repo.ruleset(7, "http://127.0.0.1:1")


def test_what_github_adds_is_not_drift(bodies: list[dict[str, Any]]) -> None:
    for body in bodies:
        shown = as_github_shows(body)
        assert set(shown) > set(body)
        assert ruleset_drift(shown, body, "github", "file") == ""


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_order_of_order_free_lists_is_not_drift(data: st.DataObject) -> None:
    body = {
        "name": "x", "target": "branch", "enforcement": "active",
        "bypass_actors": [{"actor_id": n, "actor_type": "Team", "bypass_mode": "always"}
                          for n in (1, 2, 3)],
        "conditions": {"ref_name": {"include": ["refs/heads/a", "refs/heads/b"],
                                    "exclude": []}},
        "rules": [{"type": "deletion"}, {"type": "non_fast_forward"},
                  {"type": "required_status_checks", "parameters": {
                      "strict_required_status_checks_policy": True,
                      "required_status_checks": [{"context": "a"}, {"context": "b"}]}}],
    }
    shown = as_github_shows(body)
    for key in ("rules", "bypass_actors"):
        shown[key] = data.draw(st.permutations(shown[key]))
    include = shown["conditions"]["ref_name"]["include"]
    shown["conditions"]["ref_name"]["include"] = data.draw(st.permutations(include))
    assert ruleset_drift(shown, body, "github", "file") == ""


def test_every_changed_value_is_drift(bodies: list[dict[str, Any]]) -> None:
    staging = bodies[2]
    shown = as_github_shows(staging)
    shown["enforcement"] = "evaluate"
    shown["rules"][3]["parameters"]["required_status_checks"][0]["integration_id"] = 1
    diff = ruleset_drift(shown, staging, "github: staging", "staging.json")
    assert diff.startswith("--- github: staging\n+++ staging.json\n")
    assert '-  "enforcement": "evaluate",' in diff and '+  "enforcement": "active",' in diff
    assert '-            "integration_id": 1' in diff
    assert '+            "integration_id": 15368' in diff


def test_a_key_github_leaves_out_counts_only_when_empty() -> None:
    assert project({"a": 1}, {"a": 1, "b": [], "c": {}}) == {"a": 1, "b": [], "c": {}}
    assert project({"a": 1}, {"a": 1, "b": [1]}) == {"a": 1}
    assert diff_text({"a": 1}, {"a": 1}, "x", "y") == ""


def test_classic_protection_reads_back_as_sent(tmp_path: Path) -> None:
    folder = render_rulesets(tmp_path)
    plan = classic_plan(load_rulesets(folder), "main")
    assert sorted(plan.bodies) == ["main", "production"]
    for body in plan.bodies.values():
        back = classic_from_github(json.loads(json.dumps(protection_view(body))))
        assert diff_text(project(back, body), body, "github", "file") == ""
    assert any("`update`" in note for note in plan.notes)


def test_classic_plan_resolves_the_default_branch_and_skips_patterns(tmp_path: Path) -> None:
    folder = render_rulesets(tmp_path)
    files = load_rulesets(folder)
    files[2].body["conditions"]["ref_name"]["include"] = ["~DEFAULT_BRANCH", "refs/heads/r/*"]
    files[0].body["enforcement"] = "evaluate"
    plan = classic_plan(files, "trunk")
    assert sorted(plan.bodies) == ["production", "trunk"]
    assert any("refs/heads/r/* is a pattern" in note for note in plan.notes)
    assert any("not an active branch ruleset" in note for note in plan.notes)
