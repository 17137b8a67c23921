"""The endpoints of the fake GitHub (``github_server``): one handler each, answering from a
``FakeRepo`` in the shapes and with the status codes GitHub documents."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_openapi import example


@dataclass
class Reply:
    status: int
    data: Any = None
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """What a handler of a repository's endpoint sees: that repository and the base URL."""

    repo: FakeRepo
    url: str
    max_per_page: int = 100


class Based(Protocol):
    url: str
    max_per_page: int


Handler = Callable[..., Reply]  # (Site or FakeGitHub, match, query, body) -> Reply
NOT_FOUND = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest"}


def _unquote(match: re.Match[str], name: str) -> str:
    return urllib.parse.unquote(match[name])


def paged(app: Based, path: str, query: dict[str, str], items: list[Any],
          key: str | None = None, extra: dict[str, Any] | None = None) -> Reply:
    """One page of ``items`` (``per_page``, ``page``) with a ``Link: rel="next"`` header."""
    per_page = min(app.max_per_page, int(query.get("per_page", 30)))
    page = int(query.get("page", 1))
    chunk = items[(page - 1) * per_page: page * per_page]
    headers = {}
    if page * per_page < len(items):
        following = urllib.parse.urlencode({**query, "page": page + 1})
        headers["Link"] = f'<{app.url}{path}?{following}>; rel="next"'
    data: Any = chunk if key is None else {**(extra or {}), key: chunk}
    return Reply(200, data, headers)


def _repo_path(repo: FakeRepo, rest: str = "") -> str:
    return f"/repos/{repo.full_name}{rest}"


def get_repo(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo = app.repo
    return Reply(200, {"id": 1, "name": repo.name, "full_name": repo.full_name,
                       "private": repo.rulesets_api == "plan",
                       "default_branch": repo.default_branch, "owner": {"login": repo.owner}})


def list_rulesets(app: Site, match: re.Match[str], query: dict[str, str],
                  body: Any) -> Reply:
    items = [app.repo.summary(ruleset_id, app.url) for ruleset_id in sorted(app.repo.rulesets)]
    return paged(app, _repo_path(app.repo, "/rulesets"), query, items)


def create_ruleset(app: Site, match: re.Match[str], query: dict[str, str],
                   body: Any) -> Reply:
    if any(item["name"] == body["name"] for item in app.repo.rulesets.values()):
        return Reply(422, {"message": "Validation Failed", "errors": [
            {"resource": "Ruleset", "field": "name", "code": "custom",
             "message": "Name must be unique"}]})
    ruleset_id = next(app.repo.ids)
    app.repo.rulesets[ruleset_id] = dict(body)
    return Reply(201, app.repo.ruleset(ruleset_id, app.url))


def get_ruleset(app: Site, match: re.Match[str], query: dict[str, str],
                body: Any) -> Reply:
    ruleset_id = int(match["id"])
    if ruleset_id not in app.repo.rulesets:
        return Reply(404, NOT_FOUND)
    return Reply(200, app.repo.ruleset(ruleset_id, app.url))


def update_ruleset(app: Site, match: re.Match[str], query: dict[str, str],
                   body: Any) -> Reply:
    ruleset_id = int(match["id"])
    if ruleset_id not in app.repo.rulesets:
        return Reply(404, NOT_FOUND)
    app.repo.rulesets[ruleset_id] = {**app.repo.rulesets[ruleset_id], **body}
    return Reply(200, app.repo.ruleset(ruleset_id, app.url))


def delete_ruleset(app: Site, match: re.Match[str], query: dict[str, str],
                   body: Any) -> Reply:
    found = app.repo.rulesets.pop(int(match["id"]), None)
    return Reply(204) if found is not None else Reply(404, NOT_FOUND)


def branch_rules(app: Site, match: re.Match[str], query: dict[str, str],
                 body: Any) -> Reply:
    branch = _unquote(match, "branch")
    path = _repo_path(app.repo, f"/rules/branches/{match['branch']}")
    return paged(app, path, query, app.repo.rules_for(branch))


def _ref(app: Site, branch: str) -> dict[str, Any]:
    sha = app.repo.branches[branch]
    url = f"{app.url}{_repo_path(app.repo)}/git"
    return {"ref": f"refs/heads/{branch}", "node_id": f"REF_{branch}",
            "url": f"{url}/refs/heads/{branch}",
            "object": {"type": "commit", "sha": sha, "url": f"{url}/commits/{sha}"}}


def get_ref(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    branch = _unquote(match, "branch")
    if branch not in app.repo.branches:
        return Reply(404, NOT_FOUND)
    return Reply(200, _ref(app, branch))


def update_ref(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo, branch, sha = app.repo, _unquote(match, "branch"), body["sha"]
    if branch not in repo.branches:
        return Reply(422, {"message": "Reference does not exist"})
    if sha not in repo.parents:
        return Reply(422, {"message": "Object does not exist"})
    if not body.get("force") and repo.branches[branch] not in repo.ancestors(sha):
        return Reply(422, {"message": "Update is not a fast forward"})
    violations = repo.violations(branch, sha)
    if violations:
        return Reply(422, {"message": "Repository rule violations found\n\n"
                           + "\n\n".join(violations) + "\n\n"})
    repo.branches[branch] = sha
    return Reply(200, _ref(app, branch))


def _enabled(value: bool) -> dict[str, bool]:
    return {"enabled": value}


def protection_view(body: dict[str, Any]) -> dict[str, Any]:
    """A classic protection body as ``GET .../protection`` shows it."""
    view: dict[str, Any] = {"enforce_admins": _enabled(bool(body.get("enforce_admins")))}
    checks = body.get("required_status_checks")
    if checks:
        view["required_status_checks"] = {
            "strict": checks["strict"], "contexts": checks["contexts"],
            "checks": [{"context": name, "app_id": None} for name in checks["contexts"]]}
    if body.get("required_pull_request_reviews"):
        view["required_pull_request_reviews"] = dict(body["required_pull_request_reviews"])
    for key in ("required_linear_history", "allow_force_pushes", "allow_deletions",
                "block_creations", "required_conversation_resolution", "lock_branch",
                "allow_fork_syncing"):
        view[key] = _enabled(bool(body.get(key)))
    return view


def get_protection(app: Site, match: re.Match[str], query: dict[str, str],
                   body: Any) -> Reply:
    branch = _unquote(match, "branch")
    if branch not in app.repo.branches:
        return Reply(404, {"message": "Branch not found"})
    if branch not in app.repo.classic:
        return Reply(404, {"message": "Branch not protected"})
    return Reply(200, protection_view(app.repo.classic[branch]))


def put_protection(app: Site, match: re.Match[str], query: dict[str, str],
                   body: Any) -> Reply:
    branch = _unquote(match, "branch")
    if branch not in app.repo.branches:
        return Reply(404, {"message": "Branch not found"})
    app.repo.classic[branch] = dict(body)
    return Reply(200, protection_view(body))


def _pushed(repo: FakeRepo, branch: str) -> str | None:
    """The SHA of ``branch`` in the repository's bare git directory, if it has one."""
    if repo.git_dir is None:
        return None
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                          cwd=repo.git_dir, capture_output=True, text=True, check=False)
    return done.stdout.strip() or None


def get_branch(app: Site, match: re.Match[str], query: dict[str, str],
               body: Any) -> Reply:
    repo, branch = app.repo, _unquote(match, "branch")
    pushed = _pushed(repo, branch) if branch not in repo.branches else None
    if pushed is not None:
        return Reply(200, {"name": branch, "commit": {"sha": pushed}, "protected": False,
                           "protection": {"enabled": False}})
    if branch not in repo.branches:
        return Reply(404, {"message": "Branch not found"})
    classic = repo.classic.get(branch) if repo.rulesets_api != "plan" else None
    contexts = ((classic or {}).get("required_status_checks") or {}).get("contexts", [])
    protection = {"enabled": classic is not None, "required_status_checks": {
        "enforcement_level": "everyone" if contexts else "off", "contexts": contexts,
        "checks": [{"context": name, "app_id": None} for name in contexts]}}
    return Reply(200, {"name": branch, "commit": {"sha": repo.branches[branch]},
                       "protected": classic is not None, "protection": protection})


def compare(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    base = app.repo.resolve(_unquote(match, "base"))
    head = app.repo.resolve(_unquote(match, "head"))
    if base is None or head is None:
        return Reply(404, NOT_FOUND)
    return Reply(200, app.repo.compare(base, head))


def _no_commit(ref: str) -> Reply:
    return Reply(422, {"message": f"No commit found for SHA: {ref}"})


def check_runs(app: Site, match: re.Match[str], query: dict[str, str],
               body: Any) -> Reply:
    sha = app.repo.resolve(_unquote(match, "ref"))
    if sha is None:
        return _no_commit(match["ref"])
    runs = [run for run in app.repo.check_runs.get(sha, [])
            if query.get("check_name") in (None, run["name"])]
    if query.get("filter", "latest") == "latest":
        ordered = sorted(runs, key=lambda run: run["id"])
        latest = {(run["name"], run["app"]["id"]): run for run in ordered}
        runs = sorted(latest.values(), key=lambda run: run["id"])
    path = _repo_path(app.repo, f"/commits/{match['ref']}/check-runs")
    shaped = [shaped_run(run) for run in runs]
    return paged(app, path, query, shaped, "check_runs", {"total_count": len(runs)})


def shaped_run(run: dict[str, Any]) -> dict[str, Any]:
    """A check run with every field GitHub's have (from the description's example)."""
    full = example("checks/list-for-ref")["check_runs"][0]
    full.update({key: value for key, value in run.items() if key != "app"})
    full["app"].update(run["app"])
    full["completed_at"] = full["completed_at"] if run["status"] == "completed" else None
    return full


def combined_status(app: Site, match: re.Match[str], query: dict[str, str],
                    body: Any) -> Reply:
    sha = app.repo.resolve(_unquote(match, "ref"))
    if sha is None:
        return _no_commit(match["ref"])
    statuses = app.repo.latest_statuses(sha)
    states = {item["state"] for item in statuses}
    state = ("failure" if states & {"failure", "error"}
             else "pending" if "pending" in states or not states else "success")
    path = _repo_path(app.repo, f"/commits/{match['ref']}/status")
    extra = {"state": state, "sha": sha, "total_count": len(statuses)}
    return paged(app, path, query, statuses, "statuses", extra)


def get_commit(app: Site, match: re.Match[str], query: dict[str, str],
               body: Any) -> Reply:
    sha = app.repo.resolve(_unquote(match, "ref"))
    if sha is None:
        return _no_commit(match["ref"])
    return Reply(200, {"sha": sha, "parents": [{"sha": p} for p in app.repo.parents[sha]]})


@dataclass(frozen=True)
class Route:
    method: str
    pattern: re.Pattern[str]
    handler: Handler
    operation: str
    schema: str | None = None
    feature: str = ""


def route(method: str, pattern: str, handler: Handler, operation: str,
          schema: str | None = None, feature: str = "") -> Route:
    return Route(method, re.compile(pattern), handler, operation, schema, feature)


ROUTES = [
    route("GET", r"", get_repo, "repos/get"),
    route("GET", r"/rulesets", list_rulesets, "repos/get-repo-rulesets", feature="rulesets"),
    route("POST", r"/rulesets", create_ruleset, "repos/create-repo-ruleset", "ruleset",
          "rulesets"),
    route("GET", r"/rulesets/(?P<id>\d+)", get_ruleset, "repos/get-repo-ruleset",
          feature="rulesets"),
    route("PUT", r"/rulesets/(?P<id>\d+)", update_ruleset, "repos/update-repo-ruleset",
          "ruleset", "rulesets"),
    route("DELETE", r"/rulesets/(?P<id>\d+)", delete_ruleset, "repos/delete-repo-ruleset",
          feature="rulesets"),
    route("GET", r"/rules/branches/(?P<branch>.+)", branch_rules, "repos/get-branch-rules",
          feature="rulesets"),
    route("GET", r"/git/ref/heads/(?P<branch>.+)", get_ref, "git/get-ref"),
    route("PATCH", r"/git/refs/heads/(?P<branch>.+)", update_ref, "git/update-ref",
          "ref-update"),
    route("GET", r"/branches/(?P<branch>.+)/protection", get_protection,
          "repos/get-branch-protection", feature="classic"),
    route("PUT", r"/branches/(?P<branch>.+)/protection", put_protection,
          "repos/update-branch-protection", "classic-protection", "classic"),
    route("GET", r"/branches/(?P<branch>.+)", get_branch, "repos/get-branch"),
    route("GET", r"/compare/(?P<base>.+?)\.\.\.(?P<head>.+)", compare,
          "repos/compare-commits-with-basehead"),
    route("GET", r"/commits/(?P<ref>[^/]+)/check-runs", check_runs, "checks/list-for-ref"),
    route("GET", r"/commits/(?P<ref>[^/]+)/status", combined_status,
          "repos/get-combined-status-for-ref"),
    route("GET", r"/commits/(?P<ref>[^/]+)", get_commit, "repos/get-commit"),
]
