"""A local HTTP server on a loopback address that answers as GitHub documents the endpoints
agentrails uses: rulesets by id and list, refs and branches, ``PATCH`` of a ref (422 unless a
fast-forward when ``force`` is false, 422 on rule violations), compare, check runs and
combined statuses per SHA, the rules of a branch, classic branch protection; and for the
fleet view an owner and their repositories (paginated), file contents and open pull requests.

Every request body it receives is validated against GitHub's OpenAPI description (the pinned
``@octokit/openapi``) and against agentrails' strict schema, and refused with 422 as GitHub
would if either finds a problem, so no test can send an unvalidated body. Query parameters
the operation does not declare are logged as rejected. Responses of the rulesets, rules, refs,
owner, repository list, contents and pulls endpoints are checked against the
description too. Faults (5xx,
rate limits) can be queued in front of the real answers.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jsonschema

from agentrails.github.schemas import SCHEMAS
from tests.helpers.github_fake import UPGRADE, FakeRepo
from tests.helpers.github_fleet_routes import FLEET_ROUTES, OWNER_ROUTES
from tests.helpers.github_issue_routes import CHECKED as ISSUE_CHECKED
from tests.helpers.github_issue_routes import ISSUE_ROUTES
from tests.helpers.github_openapi import query_errors, request_errors, response_errors
from tests.helpers.github_routes import ROUTES, Reply, Route, Site

WRITE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
DOCS = "https://docs.github.com/rest"
CHECKED_RESPONSES = {"repos/get-repo-rulesets", "repos/get-repo-ruleset",
                     "repos/create-repo-ruleset", "repos/update-repo-ruleset",
                     "repos/get-branch-rules", "git/get-ref", "git/update-ref",
                     "repos/list-for-org", "repos/list-for-user", "users/get-by-username",
                     "repos/get-content", "pulls/list", *ISSUE_CHECKED}
# Not checked: check runs, whose ``conclusion`` GitHub may set to ``stale`` (its docs say so,
# and the promote tests use it) while the description's enum leaves it out.
REPO_PATH = re.compile(r"/repos/(?P<owner>[^/]+)/(?P<name>[^/]+)(?P<rest>.*)")
NOT_FOUND = {"message": "Not Found", "documentation_url": DOCS}


@dataclass
class Recorded:
    """One request as the server received it."""

    method: str
    path: str
    query: dict[str, str]
    body: Any
    headers: dict[str, str]


@dataclass
class Fault:
    """An answer given instead of the real one, ``times`` times, to matching requests."""

    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    method: str | None = None
    path_contains: str = ""
    times: int = 1

    def matches(self, method: str, path: str) -> bool:
        return (self.times > 0 and self.method in (None, method)
                and self.path_contains in path)


class FakeGitHub:
    """The server: repositories (``repo`` the first of them) and their owners (an
    ``Organization`` or a ``User``), one accepted token, a log of every request. ``host`` is
    the loopback address it listens on (another one plays another host)."""

    def __init__(self, repo: FakeRepo | None, token: str, prefix: str = "",
                 host: str = "127.0.0.1") -> None:
        self.token, self.prefix, self.host = token, prefix, host
        self.max_per_page = 100  # GitHub's; a test may lower it to get more pages
        self.repos: dict[str, FakeRepo] = {}
        self.owners: dict[str, str] = {}
        if repo is not None:
            self.add(repo)
        self.requests: list[Recorded] = []
        self.faults: list[Fault] = []
        self.rejected: list[str] = []
        self.bad_responses: list[str] = []
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer((host, 0), _Handler)
        self.httpd.app = self  # type: ignore[attr-defined]
        self.thread = threading.Thread(target=self.httpd.serve_forever,
                                       kwargs={"poll_interval": 0.02}, daemon=True)

    @property
    def repo(self) -> FakeRepo:
        """The first repository (the only one of the protect and promote tests)."""
        return next(iter(self.repos.values()))

    def add(self, repo: FakeRepo, kind: str = "Organization") -> FakeRepo:
        """Hold ``repo`` too; its owner is an ``Organization`` unless known already."""
        self.repos[repo.full_name.lower()] = repo
        self.owners.setdefault(repo.owner.lower(), kind)
        return repo

    def owned_by(self, login: str) -> list[FakeRepo]:
        """The repositories of ``login``, in the order they were added."""
        return [repo for repo in self.repos.values() if repo.owner.lower() == login.lower()]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.httpd.server_address[1]}{self.prefix}"

    def __enter__(self) -> FakeGitHub:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    @property
    def writes(self) -> list[Recorded]:
        return [item for item in self.requests if item.method in WRITE_METHODS]

    def fail(self, status: int, body: Any = None, headers: dict[str, str] | None = None,
             **match: Any) -> None:
        """Queue a fault."""
        self.faults.append(Fault(status, body, headers or {}, **match))

    def handle(self, method: str, target: str, headers: dict[str, str], raw: bytes) -> Reply:
        """The answer to one request."""
        parts = urllib.parse.urlsplit(target)
        path = parts.path.removeprefix(self.prefix) if self.prefix else parts.path
        query = dict(urllib.parse.parse_qsl(parts.query))
        body, problem = _parse(raw)
        with self.lock:
            self.requests.append(Recorded(method, path, query, body, headers))
            fault = next((item for item in self.faults if item.matches(method, path)), None)
            if fault is not None:
                fault.times -= 1
                return Reply(fault.status, fault.body, fault.headers)
            if headers.get("authorization") not in (f"Bearer {self.token}",
                                                    f"token {self.token}"):
                return Reply(401, {"message": "Bad credentials", "documentation_url": DOCS,
                                   "status": "401"})
            if problem:
                return Reply(400, {"message": "Problems parsing JSON", "documentation_url": DOCS})
            return self.route(method, path, query, body)

    def route(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        found = REPO_PATH.fullmatch(path)
        if found is None:
            return self.route_owner(method, path, query, body)
        repo = self.repos.get(f"{found['owner']}/{found['name']}".lower())
        if repo is None:
            return Reply(404, NOT_FOUND)
        for route in (*ROUTES, *FLEET_ROUTES, *ISSUE_ROUTES):
            match = route.pattern.fullmatch(found["rest"])
            if match is None or route.method != method:
                continue
            unavailable = self.unavailable(repo, route.feature)
            if unavailable is not None:
                return unavailable
            refused = self.refuse(route, query, body)
            if refused is not None:
                return refused
            reply = route.handler(Site(repo, self.url, self.max_per_page), match, query, body)
            self.check_response(route.operation, reply)
            return reply
        return Reply(404, NOT_FOUND)

    def route_owner(self, method: str, path: str, query: dict[str, str], body: Any) -> Reply:
        """The endpoints about an owner (a user or an organisation) rather than a repository."""
        for route in OWNER_ROUTES:
            match = route.pattern.fullmatch(path)
            if match is None or route.method != method:
                continue
            self.refuse(route, query, body)
            reply = route.handler(self, match, query, body)
            self.check_response(route.operation, reply)
            return reply
        return Reply(404, NOT_FOUND)

    def refuse(self, route: Route, query: dict[str, str], body: Any) -> Reply | None:
        """A 422 for a body the description or our schema refuses; unknown query parameters
        are logged as rejected (GitHub ignores them, so they would fail silently)."""
        self.rejected.extend(f"{route.operation}: {item}"
                             for item in query_errors(route.operation, query))
        if body is None:
            return None
        problems = self.validate(route.operation, route.schema, body)
        if not problems:
            return None
        return Reply(422, {"message": "Invalid request.\n\n" + "\n".join(problems),
                           "documentation_url": DOCS})

    @staticmethod
    def unavailable(repo: FakeRepo, feature: str) -> Reply | None:
        """The answer of a repository without rulesets (or without any protection)."""
        mode = repo.rulesets_api
        if feature == "rulesets" and mode == "missing":
            return Reply(404, {"message": "Not Found", "documentation_url": DOCS})
        if feature in ("rulesets", "classic") and mode == "plan":
            return Reply(403, {"message": UPGRADE, "documentation_url": DOCS})
        return None

    def validate(self, operation: str, schema: str | None, body: Any) -> list[str]:
        problems = [f"openapi {operation}: {item}" for item in request_errors(operation, body)]
        if schema is None:
            problems.append(f"{operation}: agentrails has no strict schema for this body")
        else:
            strict = jsonschema.Draft202012Validator(SCHEMAS[schema])
            problems += [f"strict {schema}: {error.message}" for error in strict.iter_errors(body)]
        self.rejected.extend(problems)
        return problems

    def check_response(self, operation: str, reply: Reply) -> None:
        if operation in CHECKED_RESPONSES and 200 <= reply.status < 300:
            found = response_errors(operation, reply.status, reply.data)
            self.bad_responses.extend(f"{operation} {reply.status}: {item}" for item in found)


def _parse(raw: bytes) -> tuple[Any, bool]:
    if not raw:
        return None, False
    try:
        return json.loads(raw), False
    except ValueError:
        return None, True


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        headers = {key.lower(): value for key, value in self.headers.items()}
        reply = self.server.app.handle(self.command, self.path, headers, raw)  # type: ignore
        data = b"" if reply.data is None else json.dumps(reply.data).encode()
        self.send_response(reply.status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for key, value in reply.headers.items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

