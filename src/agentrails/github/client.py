"""A small client of GitHub's REST API, on the standard library only.

The token comes from ``GH_TOKEN`` or ``GITHUB_TOKEN`` and the base URL from ``GITHUB_API_URL``
(GitHub Enterprise Server: ``https://HOST/api/v3``). Where the token may go (https, or plain
http to loopback only; redirects only on the API's origin) and the deadline of each request
are ``agentrails.github.transport``'s; a loopback API URL is reached directly, never through
``HTTP(S)_PROXY``. Server errors, rate limits and network failures are
retried with backoff, honouring ``Retry-After`` and ``x-ratelimit-reset``, for at most
``Backoff.attempts`` tries and ``Backoff.budget`` seconds of waiting in all; the clock and the
sleep are injectable so tests wait for nothing. The token is sent in one header and appears in
no message, log line or exception: everything said about a request goes through ``redact``.
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from agentrails import __version__
from agentrails.github.errors import ConfigError, GitHubError, redact
from agentrails.github.messages import failure_message, rate_limit_wait, rate_limited
from agentrails.github.response import Response
from agentrails.github.transport import (
    SameOriginRedirects,
    check_transport,
    host_of,
    is_loopback,
    read_within,
    same_origin,
)
from agentrails.github.validate import body_errors

API_VERSION = "2022-11-28"
DEFAULT_API_URL = "https://api.github.com"
RETRYABLE = frozenset({500, 502, 503, 504})
MAX_PAGES = 50
LOG = logging.getLogger("agentrails.github")


@dataclass
class Backoff:
    """How often to try and how long to wait; ``sleep`` and ``clock`` are injectable."""

    attempts: int = 5
    base: float = 1.0
    longest: float = 120.0
    budget: float = 300.0  # seconds of waiting between the tries of one request, in all
    sleep: Callable[[float], None] = field(default=time.sleep, repr=False)
    clock: Callable[[], float] = field(default=time.time, repr=False)

    def exponential(self, attempt: int) -> float:
        """The wait before try ``attempt + 2``: 1, 2, 4, ... seconds, at most ``longest``."""
        return float(min(self.base * 2**attempt, self.longest))


def check_body(method: str, path: str, body: Any, schema: str | None) -> None:
    """Refuse to send a body that its strict schema does not accept."""
    if schema is None:
        raise ValueError(f"{method} {path}: a request body needs its schema's name")
    problems = body_errors(schema, body)
    if problems:
        raise GitHubError(f"not sending {method} {path}: the body breaks the {schema} schema: "
                          + "; ".join(problems))


def _decode(status: int, raw: bytes, headers: Any) -> Response:
    lowered = {key.lower(): value for key, value in (headers or {}).items()}
    try:
        data = json.loads(raw) if raw.strip() else None
    except ValueError:
        data = {"message": raw[:200].decode("utf-8", "replace")}
    return Response(status, data, lowered)


def next_link(header: str) -> str | None:
    """The ``rel="next"`` URL of a ``Link`` header, if any."""
    for part in header.split(","):
        url, _, params = part.partition(";")
        if 'rel="next"' in params.replace(" ", ""):
            return url.strip().strip("<>")
    return None


class GitHub:
    """A REST client bound to one token and one API base URL."""

    def __init__(
        self, token: str, api_url: str = DEFAULT_API_URL, backoff: Backoff | None = None,
        timeout: float = 30.0,
    ) -> None:
        self._token = token
        self.api_url = api_url.rstrip("/")
        self.backoff = backoff or Backoff()
        self.timeout = timeout
        check_transport(self.api_url, "the GitHub API URL")
        handlers: list[urllib.request.BaseHandler] = [SameOriginRedirects(self.api_url)]
        if is_loopback(urllib.parse.urlsplit(self.api_url).hostname or ""):
            handlers.append(urllib.request.ProxyHandler({}))  # a local server: never a proxy
        self._opener = urllib.request.build_opener(*handlers)

    def __repr__(self) -> str:
        return f"GitHub(api_url={self.api_url!r})"

    def redact(self, text: str) -> str:
        """``text`` without the token."""
        return redact(text, self._token)

    def request(self, method: str, path: str, body: Any = None,
                query: Mapping[str, Any] | None = None, schema: str | None = None) -> Response:
        """Send one request, retrying server errors and rate limits; raise ``GitHubError``
        unless the answer is a 2xx. A body is sent only with the name of the strict schema
        it must satisfy (``agentrails.github.schemas``), and only if it does."""
        if body is not None:
            check_body(method, path, body, schema)
        url = self._url(path, query)
        shown = url[len(self.api_url):] or "/"
        response, waited = Response(0, None, {}), 0.0
        for attempt in range(self.backoff.attempts):
            response = self._send(method, url, body)
            LOG.debug("%s %s -> %s", method, shown, response.status)
            wait = self._retry_wait(response, attempt, waited)
            if wait is None:
                break
            LOG.warning("GitHub answered %s to %s %s; retrying in %.1f s (try %d of %d)",
                        response.status or "nothing", method, shown, wait, attempt + 2,
                        self.backoff.attempts)
            self.backoff.sleep(wait)
            waited += wait
        if 200 <= response.status < 300:
            return response
        message = failure_message(method, shown, response, self.backoff.clock(),
                                  self._elsewhere(url, response))
        raise GitHubError(self.redact(message), response.status or None,
                          self.redact(response.message))

    def get(self, path: str, query: Mapping[str, Any] | None = None) -> Any:
        """The JSON body of a GET."""
        return self.request("GET", path, query=query).data

    def paginate(self, path: str, query: Mapping[str, Any] | None = None,
                 key: str | None = None) -> list[Any]:
        """Every item of a listed resource, following ``Link: rel="next"``."""
        items: list[Any] = []
        url: str | None = path
        params: Mapping[str, Any] | None = {**(query or {}), "per_page": 100}
        for _ in range(MAX_PAGES):
            response = self.request("GET", url or path, query=params)
            page = response.data.get(key, []) if key else response.data
            items.extend(page or [])
            url, params = next_link(response.headers.get("link", "")), None
            if url is None:
                return items
        raise GitHubError(f"GET {path}: more than {MAX_PAGES} pages; giving up")

    def _url(self, path: str, query: Mapping[str, Any] | None) -> str:
        if "://" in path:
            if not same_origin(path, self.api_url):
                raise GitHubError(f"GitHub pointed to another host ({host_of(path)}); "
                                  "not following it with the token")
            url = path
        else:
            url = self.api_url + path
        if query:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(query)
        return url

    def _headers(self, has_body: bool) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": f"agentrails/{__version__}",
            "Authorization": f"Bearer {self._token}",
        }
        if has_body:
            headers["Content-Type"] = "application/json"
        return headers

    def _send(self, method: str, url: str, body: Any) -> Response:
        data = None if body is None else json.dumps(body).encode("utf-8")
        request = urllib.request.Request(
            url, data=data, method=method, headers=self._headers(data is not None))
        try:
            with self._opener.open(request, timeout=self.timeout) as reply:
                return _decode(reply.status, read_within(reply, self.timeout), reply.headers)
        except urllib.error.HTTPError as error:
            with error:
                return _decode(error.code, read_within(error, self.timeout), error.headers)
        except (OSError, ValueError, http.client.HTTPException) as error:  # no usable answer
            reason = getattr(error, "reason", error)
            return Response(0, {"message": self.redact(str(reason))}, {})

    def _retry_wait(self, response: Response, attempt: int, waited: float) -> float | None:
        """Seconds to wait before trying again, or None to stop here: after the last try,
        for an answer that is not worth another, or when the wait would pass the budget."""
        if attempt + 1 >= self.backoff.attempts:
            return None
        if response.status == 0 or response.status in RETRYABLE:
            wait = self.backoff.exponential(attempt)
        elif rate_limited(response):
            fallback = self.backoff.exponential(attempt)
            wait = rate_limit_wait(response, self.backoff.clock(), fallback)
            if wait > self.backoff.longest:
                return None
        else:
            return None
        return wait if waited + wait <= self.backoff.budget else None

    def _elsewhere(self, url: str, response: Response) -> str:
        """The host a redirect that was not followed points to, if it is another one."""
        location = response.headers.get("location", "")
        if not (300 <= response.status < 400 and location):
            return ""
        target = urllib.parse.urljoin(url, location)
        return "" if same_origin(target, self.api_url) else host_of(target)


def token_from_env(env: Mapping[str, str]) -> str:
    """``GH_TOKEN``, else ``GITHUB_TOKEN`` (the precedence of GitHub's own CLI)."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        value = env.get(name, "").strip()
        if value:
            return value
    raise ConfigError("no GitHub token: set GH_TOKEN or GITHUB_TOKEN")


def api_url_from_env(env: Mapping[str, str]) -> str:
    """``GITHUB_API_URL`` (GitHub Enterprise Server: ``https://HOST/api/v3``) or github.com."""
    url = env.get("GITHUB_API_URL", "").strip() or DEFAULT_API_URL
    parts = urllib.parse.urlsplit(url)
    if parts.query or parts.fragment:
        raise ConfigError(f"GITHUB_API_URL must be an http(s) URL such as {DEFAULT_API_URL}, "
                          f"got {url!r}")
    check_transport(url)
    return url.rstrip("/")


def default_backoff() -> Backoff:
    """The retry policy of the commands (tests replace it to wait for nothing)."""
    return Backoff()


def client_from_env(env: Mapping[str, str] | None = None,
                    backoff: Backoff | None = None) -> GitHub:
    """A client configured from the environment."""
    env = os.environ if env is None else env
    return GitHub(token_from_env(env), api_url_from_env(env), backoff or default_backoff())
