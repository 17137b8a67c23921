"""The endpoints of the fake GitHub that the self-heal loop uses: issues, their comments and
labels, a collaborator's permission, workflow and repository dispatches, and creating and
listing pull requests. Each answer starts from the example GitHub's description gives for the
operation and overwrites what the fake knows, so the server can check it against the schema;
timestamps come from the repository's clock, so tests decide what "an hour ago" is."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from datetime import datetime
from typing import Any

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_openapi import example
from tests.helpers.github_routes import NOT_FOUND, Reply, Site, paged, route

ISSUE_ROUTE = r"/issues/(?P<number>[0-9]+)"


def stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


def _user(template: dict[str, Any], login: str, kind: str) -> dict[str, Any]:
    return {**template, "login": login, "type": kind,
            "html_url": f"https://github.example/{login}"}


def add_issue(repo: FakeRepo, title: str, body: str, labels: list[str],
              author: tuple[str, str] = ("octocat", "User"),
              association: str = "OWNER") -> int:
    """An issue as someone opened it; its number."""
    number = next(repo.numbers)
    moment = stamp(repo.clock())
    repo.issues[number] = {"number": number, "title": title, "body": body,
                           "labels": list(labels), "state": "open", "author": author,
                           "association": association, "created_at": moment,
                           "updated_at": moment}
    repo.comments[number] = []
    return number


def shaped_issue(repo: FakeRepo, issue: dict[str, Any], app_url: str) -> dict[str, Any]:
    """The issue with every field GitHub's have."""
    item = example("issues/create", 201)
    number = issue["number"]
    label = item["labels"][0]
    item.update({
        "id": number, "number": number, "title": issue["title"], "body": issue["body"],
        "state": issue["state"], "created_at": issue["created_at"],
        "updated_at": issue["updated_at"], "closed_at": None,
        "author_association": issue["association"], "comments": len(repo.comments[number]),
        "labels": [{**label, "name": name} for name in issue["labels"]],
        "user": _user(item["user"], *issue["author"]),
        "url": f"{app_url}/repos/{repo.full_name}/issues/{number}",
        "html_url": f"https://github.example/{repo.full_name}/issues/{number}",
    })
    item.pop("pull_request", None)
    return item


def _issue(repo: FakeRepo, match: re.Match[str]) -> dict[str, Any] | None:
    return repo.issues.get(int(match["number"]))


def _listed(issue: dict[str, Any], query: dict[str, str]) -> bool:
    """Whether the issue list's filters (labels, all of them; state; since) keep it."""
    wanted = [name for name in query.get("labels", "").split(",") if name]
    if not all(name in issue["labels"] for name in wanted):
        return False
    if query.get("state", "open") not in ("all", issue["state"]):
        return False
    return "since" not in query or parse(issue["updated_at"]) >= parse(query["since"])


def list_issues(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo = app.repo
    found = [issue for _, issue in sorted(repo.issues.items()) if _listed(issue, query)]
    if query.get("direction", "desc") == "desc":
        found.reverse()
    items = [shaped_issue(repo, issue, app.url) for issue in found]
    return paged(app, f"/repos/{repo.full_name}/issues", query, items)


def create_issue(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo = app.repo
    for name in body.get("labels", []):
        repo.labels.setdefault(name, {"name": name, "color": "ededed", "description": ""})
    number = add_issue(repo, body["title"], body.get("body") or "", body.get("labels", []),
                       repo.token_user, "NONE")
    return Reply(201, shaped_issue(repo, repo.issues[number], app.url))


def get_issue(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    issue = _issue(app.repo, match)
    if issue is None:
        return Reply(404, NOT_FOUND)
    return Reply(200, shaped_issue(app.repo, issue, app.url))


def update_issue(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    issue = _issue(app.repo, match)
    if issue is None:
        return Reply(404, NOT_FOUND)
    issue.update({key: value for key, value in body.items() if key in ("body", "title", "state")})
    issue["updated_at"] = stamp(app.repo.clock())
    return Reply(200, shaped_issue(app.repo, issue, app.url))


def _comment(repo: FakeRepo, number: int, comment: dict[str, Any]) -> dict[str, Any]:
    item = example("issues/create-comment", 201)
    item.update({"id": comment["id"], "body": comment["body"],
                 "created_at": comment["created_at"], "updated_at": comment["created_at"],
                 "user": _user(item["user"], *comment["author"]),
                 "issue_url": f"https://github.example/{repo.full_name}/issues/{number}",
                 "author_association": "NONE"})
    return item


def list_comments(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo, number = app.repo, int(match["number"])
    if number not in repo.issues:
        return Reply(404, NOT_FOUND)
    since = parse(query["since"]) if "since" in query else None
    items = [_comment(repo, number, item) for item in repo.comments[number]
             if since is None or parse(item["created_at"]) >= since]
    return paged(app, f"/repos/{repo.full_name}/issues/{number}/comments", query, items)


def create_comment(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo, number = app.repo, int(match["number"])
    if number not in repo.issues:
        return Reply(404, NOT_FOUND)
    moment = stamp(repo.clock())
    comment = {"id": next(repo.ids), "body": body["body"], "created_at": moment,
               "author": repo.token_user}
    repo.comments[number].append(comment)
    repo.issues[number]["updated_at"] = moment
    return Reply(201, _comment(repo, number, comment))


def get_label(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    name = urllib.parse.unquote(match["name"])
    if name not in app.repo.labels:
        return Reply(404, NOT_FOUND)
    return Reply(200, {**example("issues/get-label"), **app.repo.labels[name]})


def create_label(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    if body["name"] in app.repo.labels:
        return Reply(422, {"message": "Validation Failed",
                           "errors": [{"resource": "Label", "code": "already_exists"}]})
    app.repo.labels[body["name"]] = dict(body)
    return Reply(201, {**example("issues/create-label", 201), **body})


def permission(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    login = urllib.parse.unquote(match["login"])
    level = app.repo.collaborators.get(login, "read")  # a public repository: anyone reads
    item = example("repos/get-collaborator-permission-level")
    item.update({"permission": level, "role_name": level})
    item["user"] = {**_user(item["user"], login, "User"), "role_name": level}
    return Reply(200, item)


def workflow_dispatch(app: Site, match: re.Match[str], query: dict[str, str],
                      body: Any) -> Reply:
    workflow = urllib.parse.unquote(match["workflow"])
    if workflow not in app.repo.workflows:
        return Reply(404, NOT_FOUND)
    app.repo.dispatched.append({"workflow": workflow, **body})
    return Reply(204)


def repository_dispatch(app: Site, match: re.Match[str], query: dict[str, str],
                        body: Any) -> Reply:
    app.repo.dispatches.append(body)
    return Reply(204)


def _branch_exists(repo: FakeRepo, branch: str) -> bool:
    if branch in repo.branches:
        return True
    if repo.git_dir is None:
        return False
    done = subprocess.run(["git", "rev-parse", "--verify", "--quiet", f"refs/heads/{branch}"],
                          cwd=repo.git_dir, capture_output=True, check=False)
    return done.returncode == 0


def create_pull(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo = app.repo
    if not _branch_exists(repo, body["head"]) or not _branch_exists(repo, body["base"]):
        return Reply(422, {"message": "Validation Failed", "errors": [
            {"resource": "PullRequest", "field": "head", "code": "invalid"}]})
    number = next(repo.numbers)
    pull = {"number": number, "head": body["head"], "base": body["base"],
            "title": body["title"], "body": body["body"], "labels": [], "state": "open",
            "created_at": stamp(repo.clock()), "merged_at": None}
    repo.pulls.append(pull)
    item = example("pulls/create", 201)
    item.update({"number": number, "id": number, "title": body["title"], "body": body["body"],
                 "state": "open", "created_at": pull["created_at"], "merged_at": None,
                 "merged": False, "draft": body.get("draft", False), "requested_teams": [],
                 "html_url": f"https://github.example/{repo.full_name}/pull/{number}"})
    item["head"].update({"ref": body["head"], "label": f"{repo.owner}:{body['head']}"})
    item["base"].update({"ref": body["base"], "label": f"{repo.owner}:{body['base']}"})
    return Reply(201, item)


ISSUE_ROUTES = [
    route("GET", r"/issues", list_issues, "issues/list-for-repo"),
    route("POST", r"/issues", create_issue, "issues/create", "issue-create"),
    route("GET", ISSUE_ROUTE, get_issue, "issues/get"),
    route("PATCH", ISSUE_ROUTE, update_issue, "issues/update", "issue-body"),
    route("GET", ISSUE_ROUTE + "/comments", list_comments, "issues/list-comments"),
    route("POST", ISSUE_ROUTE + "/comments", create_comment, "issues/create-comment",
          "issue-body"),
    route("GET", r"/labels/(?P<name>[^/]+)", get_label, "issues/get-label"),
    route("POST", r"/labels", create_label, "issues/create-label", "label-create"),
    route("GET", r"/collaborators/(?P<login>[^/]+)/permission", permission,
          "repos/get-collaborator-permission-level"),
    route("POST", r"/actions/workflows/(?P<workflow>[^/]+)/dispatches", workflow_dispatch,
          "actions/create-workflow-dispatch", "workflow-dispatch"),
    route("POST", r"/dispatches", repository_dispatch, "repos/create-dispatch-event",
          "repository-dispatch"),
    route("POST", r"/pulls", create_pull, "pulls/create", "pull-create"),
]
CHECKED = {"issues/list-for-repo", "issues/create", "issues/get", "issues/update",
           "issues/list-comments", "issues/create-comment", "issues/get-label",
           "issues/create-label", "repos/get-collaborator-permission-level", "pulls/create"}
"""Operations whose answers the server checks against the description."""
