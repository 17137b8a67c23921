"""Every request body agentrails sends validates against GitHub's official OpenAPI
description (``@octokit/openapi``, pinned) and against our strict schemas, which reject what
the official one lets through; our small run-time validator agrees with ``jsonschema``."""

from __future__ import annotations

import copy
import json
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentrails.github.protection.classic import classic_plan
from agentrails.github.protection.rulesets import load_rulesets
from agentrails.github.schemas import SCHEMAS
from agentrails.github.validate import body_errors, errors
from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_openapi import SHASUM, VERSION, _sha1, request_errors, tarball
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, render_rulesets, rulesets_of

RULESET_OPERATIONS = ("repos/create-repo-ruleset", "repos/update-repo-ruleset")
ANSWER_SETS = [
    {},
    {"promotion_app_id": 0},
    {"promote_workflow": False},
    {"staging_branch": "develop", "production_branch": "release/live"},
]
REF_UPDATE = {"sha": "0123456789abcdef0123456789abcdef01234567", "force": False}


def strict_valid(name: str, body: Any) -> bool:
    """``jsonschema``'s answer for the strict schema ``name``."""
    return jsonschema.Draft202012Validator(SCHEMAS[name]).is_valid(body)


def template_bodies(tmp_path: Path) -> list[dict[str, Any]]:
    bodies = []
    for index, answers in enumerate(ANSWER_SETS):
        bodies += rulesets_of(render_rulesets(tmp_path / str(index) / "p", **answers).parents[1])
    return bodies


def classic_bodies(tmp_path: Path) -> list[dict[str, Any]]:
    bodies = []
    for index, answers in enumerate(ANSWER_SETS):
        folder = render_rulesets(tmp_path / f"c{index}", **answers)
        bodies += classic_plan(load_rulesets(folder), "main").bodies.values()
    return bodies


def test_the_description_is_the_pinned_package() -> None:
    assert VERSION == "23.0.2" and _sha1(tarball()) == SHASUM


def test_template_rulesets_validate_everywhere(tmp_path: Path) -> None:
    bodies = template_bodies(tmp_path)
    assert len(bodies) == 3 * len(ANSWER_SETS)
    for body in bodies:
        for operation in RULESET_OPERATIONS:
            assert request_errors(operation, body) == [], body["name"]
        assert strict_valid("ruleset", body) and body_errors("ruleset", body) == []


def test_classic_bodies_validate_everywhere(tmp_path: Path) -> None:
    bodies = classic_bodies(tmp_path)
    assert len(bodies) == 2 * len(ANSWER_SETS)
    for body in bodies:
        assert request_errors("repos/update-branch-protection", body) == []
        assert strict_valid("classic-protection", body)
        assert body_errors("classic-protection", body) == []


def test_the_ref_update_validates_and_never_forces() -> None:
    assert request_errors("git/update-ref", REF_UPDATE) == []
    assert body_errors("ref-update", REF_UPDATE) == []
    forced = {**REF_UPDATE, "force": True}
    assert request_errors("git/update-ref", forced) == []  # GitHub's schema allows a force
    assert not strict_valid("ref-update", forced)
    assert body_errors("ref-update", forced) == ["$.force: must be false"]
    assert body_errors("ref-update", {"sha": REF_UPDATE["sha"]}) == ["$: missing key 'force'"]
    assert body_errors("ref-update", {**REF_UPDATE, "force": 0}) == ["$.force: must be false"]


def dict_paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every object inside ``value``."""
    found = [path] if isinstance(value, dict) else []
    items = value.items() if isinstance(value, dict) else enumerate(value) \
        if isinstance(value, list) else []
    for key, item in items:
        found += dict_paths(item, (*path, key))
    return found


def with_key(body: Any, path: tuple[Any, ...], key: str) -> Any:
    changed = copy.deepcopy(body)
    target = changed
    for step in path:
        target = target[step]
    target[key] = True
    return changed


def test_unknown_keys_are_refused_at_every_level(tmp_path: Path) -> None:
    """GitHub's description lets a misspelt key through anywhere; ours refuses it."""
    cases = [("ruleset", RULESET_OPERATIONS[0], body) for body in template_bodies(tmp_path)[:3]]
    cases += [("classic-protection", "repos/update-branch-protection", body)
              for body in classic_bodies(tmp_path)[:2]]
    cases.append(("ref-update", "git/update-ref", REF_UPDATE))
    checked = 0
    for name, operation, body in cases:
        for path in dict_paths(body):
            bad = with_key(body, path, "unknwon")
            assert request_errors(operation, bad) == [], (name, path)
            assert not strict_valid(name, bad), (name, path)
            assert any("unknown key 'unknwon'" in problem for problem in body_errors(name, bad))
            checked += 1
    assert checked > 20


def all_objects(schema: Any) -> list[dict[str, Any]]:
    if isinstance(schema, list):
        return [found for item in schema for found in all_objects(item)]
    if not isinstance(schema, dict):
        return []
    here = [schema] if schema.get("type") == "object" else []
    return here + [found for value in schema.values() for found in all_objects(value)]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_our_schemas_are_strict_json_schemas(name: str) -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMAS[name])
    objects = all_objects(SCHEMAS[name])
    assert objects and all(item.get("additionalProperties") is False for item in objects)


def test_the_server_refuses_what_github_would(tmp_path: Path) -> None:
    """A body that breaks either schema never reaches the fake's state: 422, recorded."""
    repo = FakeRepo()
    repo.branches["main"] = repo.commit()
    body = rulesets_of(render_rulesets(tmp_path).parents[1])[0]
    with FakeGitHub(repo, TOKEN) as server:
        for bad in ({**body, "enforcement": "sometimes"}, {**body, "extra": 1}):
            request = urllib.request.Request(
                f"{server.url}/repos/acme/shop/rulesets", data=json.dumps(bad).encode(),
                method="POST", headers={"Authorization": f"Bearer {TOKEN}"})
            with pytest.raises(urllib.error.HTTPError) as caught:
                urllib.request.urlopen(request, timeout=10)
            assert caught.value.code == 422
            assert json.loads(caught.value.read())["message"].startswith("Invalid request.")
    assert repo.rulesets == {}
    assert any("openapi repos/create-repo-ruleset: enforcement" in p for p in server.rejected)
    assert any("strict ruleset: Additional properties" in p for p in server.rejected)


def test_messages_name_the_place(tmp_path: Path) -> None:
    body = rulesets_of(render_rulesets(tmp_path).parents[1])[2]  # staging
    body["rules"][2]["parameters"]["required_approving_review_count"] = 11
    body["rules"].append({"type": "no_such_rule"})
    body["conditions"]["ref_name"]["include"] = [""]
    assert body_errors("ruleset", body) == [
        "$.conditions.ref_name.include[0]: must not be empty",
        "$.rules[2].parameters.required_approving_review_count: must be at most 10",
        '$.rules[4].type: unknown type "no_such_rule" (known: creation, update, deletion, '
        "required_linear_history, required_signatures, non_fast_forward, pull_request, "
        "required_status_checks, required_deployments, commit_message_pattern, "
        "commit_author_email_pattern, committer_email_pattern, branch_name_pattern, "
        "tag_name_pattern)",
    ]


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 12) | st.floats(allow_nan=False, width=16)
    | st.sampled_from(["", "gate", "active", "branch", "pull_request", "x" * 41]),
    lambda inner: st.lists(inner, max_size=3)
    | st.dictionaries(st.sampled_from(["type", "parameters", "name", "sha", "force", "x"]),
                      inner, max_size=3),
    max_leaves=8,
)


def mutate(body: Any, data: st.DataObject) -> Any:
    """``body`` with one object inside it changed: a key dropped, replaced or added."""
    changed = copy.deepcopy(body)
    paths = dict_paths(changed)
    target = changed
    for step in data.draw(st.sampled_from(paths)):
        target = target[step]
    keys = sorted(target) + ["extra"]
    key = data.draw(st.sampled_from(keys))
    if key in target and data.draw(st.booleans()):
        del target[key]
    else:
        target[key] = data.draw(JSON)
    return changed


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_small_validator_agrees_with_jsonschema(data: st.DataObject) -> None:
    name = data.draw(st.sampled_from(sorted(SCHEMAS)))
    body = data.draw(st.sampled_from(SAMPLES[name]))
    if data.draw(st.booleans()):
        body = mutate(body, data)
    elif data.draw(st.booleans()):
        body = data.draw(JSON)
    assert (errors(body, SCHEMAS[name]) == []) == strict_valid(name, body), body


SAMPLES: dict[str, list[Any]] = {
    "ref-update": [REF_UPDATE],
    # The self-heal loop's bodies.
    "issue-create": [{"title": "production error: x", "body": "b", "labels": ["self-heal"]}],
    "issue-body": [{"body": "seen again"}],
    "label-create": [{"name": "self-heal", "color": "B60205", "description": "d"}],
    "workflow-dispatch": [{"ref": "main", "inputs": {"issue": "12"}}],
    "repository-dispatch": [{"event_type": "production-error",
                             "client_payload": {"fingerprint": "f", "title": "t", "count": 2}}],
    "pull-create": [{"title": "Fix #1", "head": "self-heal/issue-1", "base": "main",
                     "body": "Fixes #1", "draft": False, "maintainer_can_modify": True}],
}


@pytest.fixture(scope="module", autouse=True)
def _samples(tmp_path_factory: pytest.TempPathFactory) -> None:
    folder = tmp_path_factory.mktemp("samples")
    SAMPLES["ruleset"] = template_bodies(folder)
    SAMPLES["classic-protection"] = classic_bodies(folder)


SELF_HEAL_OPERATIONS = {"issue-create": "issues/create", "issue-body": "issues/update",
                        "label-create": "issues/create-label",
                        "workflow-dispatch": "actions/create-workflow-dispatch",
                        "repository-dispatch": "repos/create-dispatch-event",
                        "pull-create": "pulls/create"}


@pytest.mark.parametrize(("name", "operation"), sorted(SELF_HEAL_OPERATIONS.items()))
def test_the_self_heal_bodies_validate_everywhere(name: str, operation: str) -> None:
    for body in SAMPLES[name]:
        assert request_errors(operation, body) == [] and strict_valid(name, body)
        assert not strict_valid(name, {**body, "unknwon": 1})
