"""The REST calls of the self-heal loop, on one repository: issues and their comments, the
label, a collaborator's permission, starting a workflow, and pull requests. Each body goes
out only if its strict schema (``agentrails.github.schemas``) accepts it."""

from __future__ import annotations

import urllib.parse
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from agentrails.github.client import MAX_PAGES, GitHub, next_link
from agentrails.github.errors import GitHubError
from agentrails.github.repository import quote, repo_path

WRITE_ROLES = frozenset({"admin", "write"})
"""``permission`` values of a collaborator who may push (GitHub reports maintain as write)."""
ACTIONS_BOT = "github-actions[bot]"
"""The author of what a workflow of the repository writes with its ``GITHUB_TOKEN``."""


def iso(moment: datetime) -> str:
    """``moment`` as GitHub's query parameters and timestamps spell it."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(value: Any) -> datetime | None:
    """A GitHub timestamp (``2026-01-02T03:04:05Z``), or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None


class Repository:
    """One repository's issues, comments, pull requests and workflows."""

    def __init__(self, client: GitHub, repo: str) -> None:
        self.client, self.repo = client, repo

    def _path(self, *parts: str) -> str:
        return repo_path(self.repo, *parts)

    def issues(self, label: str, state: str = "open",
               since: datetime | None = None) -> list[dict[str, Any]]:
        """Issues (not pull requests) with ``label``, oldest first; ``since``: updated at
        or after it."""
        query = {"labels": label, "state": state, "sort": "created", "direction": "asc"}
        if since is not None:
            query["since"] = iso(since)
        found = self.client.paginate(self._path("issues"), query)
        return [item for item in found if "pull_request" not in item]

    def issue(self, number: int) -> dict[str, Any]:
        return self.client.get(self._path("issues", str(number)))

    def create_issue(self, title: str, body: str, labels: list[str]) -> dict[str, Any]:
        return self.client.request("POST", self._path("issues"), schema="issue-create",
                                   body={"title": title, "body": body, "labels": labels}).data

    def update_body(self, number: int, body: str) -> None:
        self.client.request("PATCH", self._path("issues", str(number)), {"body": body},
                            schema="issue-body")

    def comment(self, number: int, body: str) -> dict[str, Any]:
        return self.client.request("POST", self._path("issues", str(number), "comments"),
                                   {"body": body}, schema="issue-body").data

    def comments(self, number: int, since: datetime | None = None) -> list[dict[str, Any]]:
        query = {"since": iso(since)} if since is not None else None
        return self.client.paginate(self._path("issues", str(number), "comments"), query)

    def ensure_label(self, name: str, color: str, description: str) -> None:
        """Create the label unless it exists."""
        try:
            self.client.get(self._path("labels", urllib.parse.quote(name, safe="")))
            return
        except GitHubError as error:
            if error.status != 404:
                raise
        body = {"name": name, "color": color, "description": description}
        try:
            self.client.request("POST", self._path("labels"), body, schema="label-create")
        except GitHubError as error:
            if error.status != 422:  # made meanwhile by another run
                raise

    def permission(self, login: str) -> str:
        """``admin``, ``write``, ``read`` or ``none``: what ``login`` may do here."""
        path = self._path("collaborators", urllib.parse.quote(login, safe=""), "permission")
        try:
            answer = self.client.get(path)
        except GitHubError as error:
            if error.status == 404:  # not a user GitHub knows, or not one of the repository
                return "none"
            raise
        return str((answer or {}).get("permission") or "none")

    def dispatch_workflow(self, workflow: str, ref: str, inputs: dict[str, str]) -> None:
        """Start ``workflow`` (a file name under .github/workflows) on ``ref``."""
        path = self._path("actions", "workflows", urllib.parse.quote(workflow, safe=""),
                          "dispatches")
        self.client.request("POST", path, {"ref": ref, "inputs": inputs},
                            schema="workflow-dispatch")

    def pulls_since(self, start: datetime) -> Iterator[dict[str, Any]]:
        """Pull requests opened at or after ``start``, newest first, reading pages only as
        far back as ``start``."""
        url: str | None = self._path("pulls")
        query: dict[str, Any] | None = {"state": "all", "sort": "created",
                                        "direction": "desc", "per_page": 100}
        for _ in range(MAX_PAGES):
            response = self.client.request("GET", url or "", query=query)
            for pull in response.data or []:
                created = parse_time(pull.get("created_at"))
                if created is None or created < start:
                    return
                yield pull
            url, query = next_link(response.headers.get("link", "")), None
            if url is None:
                return

    def create_pull(self, title: str, head: str, base: str, body: str) -> dict[str, Any]:
        """A pull request from ``head`` into ``base``, open for review (never merged here)."""
        payload = {"title": title, "head": head, "base": base, "body": body, "draft": False,
                   "maintainer_can_modify": True}
        return self.client.request("POST", self._path("pulls"), payload,
                                   schema="pull-create").data

    def branch_exists(self, branch: str) -> bool:
        try:
            self.client.get(self._path("branches", quote(branch)))
        except GitHubError as error:
            if error.status == 404:
                return False
            raise
        return True
