"""Every endpoint of the local GitHub is one GitHub's OpenAPI description has: the operation
each route names exists, with the same method, and the route answers that operation's path.
So an endpoint agentrails calls that GitHub lacks would find no route here (a 404)."""

from __future__ import annotations

import re

import pytest

from tests.helpers.github_fleet_routes import FLEET_ROUTES, OWNER_ROUTES
from tests.helpers.github_openapi import path_of, query_errors
from tests.helpers.github_routes import ROUTES, Route

SAMPLES = {"owner": "acme", "repo": "shop", "org": "acme", "username": "jane",
           "branch": "release/live", "ref": "0123abc", "ruleset_id": "12",
           "path": ".github/rulesets/staging.json", "basehead": "main...topic"}
REPO_PREFIX = "/repos/{owner}/{repo}"


def sample(template: str) -> str:
    """A path of ``template`` with sample values (a git ref endpoint takes ``heads/NAME``)."""
    values = {**SAMPLES, "ref": "heads/main"} if "/git/" in template else SAMPLES
    return re.sub(r"\{(\w+)\}", lambda found: values[found.group(1)], template)


@pytest.mark.parametrize("route", [*ROUTES, *FLEET_ROUTES], ids=lambda route: route.operation)
def test_repository_routes_are_githubs(route: Route) -> None:
    method, template = path_of(route.operation)
    assert method == route.method
    assert template.startswith(REPO_PREFIX)
    assert route.pattern.fullmatch(sample(template.removeprefix(REPO_PREFIX)))


@pytest.mark.parametrize("route", OWNER_ROUTES, ids=lambda route: route.operation)
def test_owner_routes_are_githubs(route: Route) -> None:
    method, template = path_of(route.operation)
    assert method == route.method and route.pattern.fullmatch(sample(template))


def test_undeclared_query_parameters_are_caught() -> None:
    assert query_errors("pulls/list", {"state": "open", "per_page": "100"}) == []
    assert query_errors("pulls/list", {"status": "open"}) == [
        "query parameter 'status' is not one of ['base', 'direction', 'head', 'page', "
        "'per_page', 'sort', 'state']"]
