"""The endpoints of the fake GitHub that the fleet view reads: an owner (user or organisation),
their repositories page by page, a file or folder of a repository (the contents API), and its
open pull requests. Each answer starts from the example GitHub's description gives for the
operation, so it has every field a real one has, and the server checks it against the schema.
"""

from __future__ import annotations

import base64
import re
import urllib.parse
from typing import TYPE_CHECKING, Any

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_openapi import example
from tests.helpers.github_routes import NOT_FOUND, Reply, Site, paged, route

if TYPE_CHECKING:
    from tests.helpers.github_server import FakeGitHub

LINE = 60  # GitHub wraps the base64 of a file's content every 60 characters


def get_owner(app: FakeGitHub, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    login = match["login"]
    kind = app.owners.get(login.lower())
    if kind is None:
        return Reply(404, NOT_FOUND)
    user = example("users/get-by-username", name="default-response")
    user.update({"login": login, "type": kind, "html_url": f"https://github.example/{login}",
                 "repos_url": f"{app.url}/users/{login}/repos"})
    return Reply(200, user)


def minimal_repository(repo: FakeRepo, index: int, kind: str) -> dict[str, Any]:
    """A repository as a list of them shows it."""
    item = example("repos/list-for-org")[0]
    item.update({"id": 1000 + index, "node_id": f"R_{index}", "name": repo.name,
                 "full_name": repo.full_name, "default_branch": repo.default_branch,
                 "topics": list(repo.topics), "archived": repo.archived, "fork": False,
                 "private": False, "visibility": "public",
                 "html_url": f"https://github.example/{repo.full_name}"})
    item["owner"].update({"login": repo.owner, "type": kind})
    return item


def _owner_repos(app: FakeGitHub, login: str, query: dict[str, str], kind: str,
                 path: str) -> Reply:
    if app.owners.get(login.lower()) not in kind.split("|"):
        return Reply(404, NOT_FOUND)
    items = [minimal_repository(repo, index, app.owners[login.lower()])
             for index, repo in enumerate(app.owned_by(login))]
    return paged(app, path, query, items)


def org_repos(app: FakeGitHub, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    return _owner_repos(app, match["login"], query, "Organization",
                        f"/orgs/{match['login']}/repos")


def user_repos(app: FakeGitHub, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    return _owner_repos(app, match["login"], query, "User|Organization",
                        f"/users/{match['login']}/repos")


def _bytes(content: str | bytes) -> bytes:
    return content if isinstance(content, bytes) else content.encode("utf-8")


def _wrapped(data: bytes) -> str:
    text = base64.b64encode(data).decode("ascii")
    return "".join(text[start:start + LINE] + "\n" for start in range(0, len(text), LINE))


def _entry(repo: FakeRepo, path: str, kind: str) -> dict[str, Any]:
    name = path.rsplit("/", 1)[-1]
    item = example("repos/get-content", name="response-if-content-is-a-directory")[0]
    size = len(_bytes(repo.files[path])) if kind == "file" else 0
    item.update({"type": kind, "name": name, "path": path, "size": size})
    return item


def get_content(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    repo, path = app.repo, urllib.parse.unquote(match["path"]).strip("/")
    if path in repo.files:
        item = example("repos/get-content", name="response-if-content-is-a-file")
        data = _bytes(repo.files[path])
        item.update({"name": path.rsplit("/", 1)[-1], "path": path, "size": len(data),
                     "content": _wrapped(data)})
        return Reply(200, item)
    prefix = f"{path}/" if path else ""
    children = sorted({name[len(prefix):].split("/", 1)[0] for name in repo.files
                       if name.startswith(prefix)})
    if not children:
        return Reply(404, NOT_FOUND)
    return Reply(200, [_entry(repo, prefix + child,
                              "file" if prefix + child in repo.files else "dir")
                       for child in children])


def _pull(repo: FakeRepo, pull: dict[str, Any]) -> dict[str, Any]:
    item = example("pulls/list")[0]
    number, head = pull["number"], pull["head"]
    label = item["labels"][0]
    base = pull.get("base", repo.default_branch)
    item.update({"number": number, "id": number, "title": pull["title"],
                 "state": pull.get("state", "open"),
                 "html_url": f"https://github.example/{repo.full_name}/pull/{number}",
                 "labels": [{**label, "name": name} for name in pull["labels"]],
                 "requested_teams": [], "draft": False})
    for key in ("body", "created_at", "merged_at", "closed_at"):
        if key in pull:
            item[key] = pull[key]
    item["head"].update({"ref": head, "label": f"{repo.owner}:{head}"})
    item["base"].update({"ref": base, "label": f"{repo.owner}:{base}"})
    return item


def list_pulls(app: Site, match: re.Match[str], query: dict[str, str], body: Any) -> Reply:
    state = query.get("state", "open")
    head = query.get("head")
    chosen = [pull for pull in app.repo.pulls
              if state in ("all", pull.get("state", "open"))
              and (head is None or f"{app.repo.owner}:{pull['head']}" == head)]
    if query.get("sort", "created") == "created":  # GitHub's default order: newest first
        chosen.sort(key=lambda pull: (pull.get("created_at", ""), pull["number"]),
                    reverse=query.get("direction", "desc") == "desc")
    pulls = [_pull(app.repo, pull) for pull in chosen]
    return paged(app, f"/repos/{app.repo.full_name}/pulls", query, pulls)


LOGIN = r"(?P<login>[A-Za-z0-9-]+)"
OWNER_ROUTES = [
    route("GET", rf"/users/{LOGIN}", get_owner, "users/get-by-username"),
    route("GET", rf"/users/{LOGIN}/repos", user_repos, "repos/list-for-user"),
    route("GET", rf"/orgs/{LOGIN}/repos", org_repos, "repos/list-for-org"),
]
FLEET_ROUTES = [
    route("GET", r"/contents/(?P<path>.*)", get_content, "repos/get-content"),
    route("GET", r"/pulls", list_pulls, "pulls/list"),
]
