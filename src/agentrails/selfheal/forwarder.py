"""The forwarder: an error tracker's webhook in, a ``production-error`` repository dispatch
out. Sentry's issue alert is the worked example (``agentrails.selfheal.sentry``).

It runs wherever the tracker can reach it and a secret can be kept:

- as a WSGI application (``application``) behind any WSGI host or serverless adapter;
- as a small HTTP server: ``agentrails self-heal forward --port 8080`` (a container, a VM);
- as a function: ``handle(headers, body)`` returns (status, message) for any framework.

Its configuration comes from the environment: ``SENTRY_CLIENT_SECRET`` (the integration's
client secret, which signs every webhook), ``GITHUB_DISPATCH_TOKEN`` (a fine-grained token
of the one repository, "Contents: read and write", which the dispatch endpoint needs),
``GITHUB_REPOSITORY`` (``owner/name``) and optionally ``GITHUB_API_URL``.

It refuses what is not signed with the secret (401) before it parses anything, answers an
installation ping, ignores other resources, cuts every field to its limit
(``payload.shaped``) and sends nothing else: sanitizing is the intake's job, inside the
repository's own workflow, which trusts no forwarder. Standard library only.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from agentrails.selfheal import sentry
from agentrails.selfheal.payload import EVENT_TYPE, shaped

MAX_BODY = 5_000_000
LOOPBACK = ("127.0.0.1", "localhost", "::1")
TIMEOUT = 5.0
Reply = tuple[int, str]


class ForwarderError(Exception):
    """A configuration the forwarder cannot work with."""


@dataclass(frozen=True)
class Config:
    secret: str
    token: str
    repo: str
    api_url: str = "https://api.github.com"

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Config:
        env = os.environ if env is None else env
        values = {name: env.get(name, "").strip() for name in
                  ("SENTRY_CLIENT_SECRET", "GITHUB_DISPATCH_TOKEN", "GITHUB_REPOSITORY")}
        missing = [name for name, value in values.items() if not value]
        if missing:
            raise ForwarderError(f"set {', '.join(missing)} in the environment")
        if values["GITHUB_REPOSITORY"].count("/") != 1:
            raise ForwarderError("GITHUB_REPOSITORY must be owner/name")
        return cls(values["SENTRY_CLIENT_SECRET"], values["GITHUB_DISPATCH_TOKEN"],
                   values["GITHUB_REPOSITORY"], api_url(env))


def api_url(env: Mapping[str, str]) -> str:
    """``GITHUB_API_URL`` (GitHub Enterprise Server) or github.com's; https only, or plain
    http to loopback (a local stand-in), so the token never travels in the clear."""
    api = env.get("GITHUB_API_URL", "").strip() or Config.api_url
    parts = urllib.parse.urlsplit(api)
    local = parts.hostname in LOOPBACK
    if parts.scheme != "https" and not (parts.scheme == "http" and local):
        raise ForwarderError("GITHUB_API_URL must be https:// (plain http only to loopback)")
    return api.rstrip("/")


def dispatch(config: Config, payload: dict[str, Any]) -> Reply:
    """``POST /repos/{repo}/dispatches``; (502, why) unless GitHub accepts it."""
    url = f"{config.api_url}/repos/{config.repo}/dispatches"
    data = json.dumps({"event_type": EVENT_TYPE, "client_payload": payload},
                      ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={
        "Accept": "application/vnd.github+json", "X-GitHub-Api-Version": "2022-11-28",
        "Authorization": f"Bearer {config.token}", "Content-Type": "application/json",
        "User-Agent": "agentrails-self-heal-forwarder"})
    local = urllib.parse.urlsplit(url).hostname in LOOPBACK  # a stand-in: no proxy
    opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if local else []))
    try:
        with opener.open(request, timeout=TIMEOUT) as reply:
            status = reply.status
    except urllib.error.HTTPError as error:
        status = error.code
    except (OSError, ValueError) as error:
        return 502, f"GitHub could not be reached ({type(error).__name__})"
    if status == 204:
        return 202, "forwarded"
    return 502, f"GitHub answered {status} to the dispatch"


def _headers(headers: Mapping[str, str] | Iterable[tuple[str, str]]) -> dict[str, str]:
    items = headers.items() if isinstance(headers, Mapping) else headers
    return {str(name).lower(): str(value) for name, value in items}


def handle(headers: Mapping[str, str], body: bytes, config: Config,
           send: Callable[[Config, dict[str, Any]], Reply] = dispatch) -> Reply:
    """The answer to one webhook request: (HTTP status, a one-line message)."""
    lowered = _headers(headers)
    refused = _refusal(lowered, body, config)
    if refused is not None:
        return refused
    resource = lowered.get(sentry.RESOURCE_HEADER, "")
    if resource == "installation":
        return 200, "installation acknowledged"
    if resource != sentry.RESOURCE:
        return 202, f"ignored: not an issue alert ({resource[:40] or 'no resource'})"
    try:
        parsed = json.loads(body)
    except (UnicodeDecodeError, ValueError):
        return 400, "the body is not JSON"
    fields = sentry.to_payload(parsed)
    if fields is None:
        return 202, "ignored: the alert holds no event"
    payload = shaped(fields)
    if not payload.get("fingerprint") and not payload.get("title"):
        return 202, "ignored: the event has neither an issue id nor a title"
    return send(config, payload)


def _refusal(headers: Mapping[str, str], body: bytes, config: Config) -> Reply | None:
    """The answer to a request too large, unsigned or wrongly signed; None for the rest."""
    if len(body) > MAX_BODY:
        return 413, "the body is too large"
    if not headers.get(sentry.SIGNATURE_HEADER):
        return 401, "unsigned request refused"
    if not sentry.verified(config.secret, body, headers.get(sentry.SIGNATURE_HEADER)):
        return 401, "bad signature: refused"
    return None


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    """WSGI: POST the webhook to any path; configured from the process environment."""
    try:
        config = Config.from_env()
    except ForwarderError as error:
        status, message = 500, f"forwarder misconfigured: {error}"
    else:
        status, message = _wsgi_reply(environ, config)
    phrase = {200: "OK", 202: "Accepted", 400: "Bad Request", 401: "Unauthorized",
              405: "Method Not Allowed", 413: "Payload Too Large", 500: "Internal Server Error",
              502: "Bad Gateway"}.get(status, "Error")
    start_response(f"{status} {phrase}", [("Content-Type", "text/plain; charset=utf-8")])
    return [message.encode("utf-8") + b"\n"]


def _wsgi_reply(environ: dict[str, Any], config: Config) -> Reply:
    if environ.get("REQUEST_METHOD") != "POST":
        return 405, "POST the webhook"
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 400, "bad Content-Length"
    if length > MAX_BODY:
        return 413, "the body is too large"
    body = environ["wsgi.input"].read(length) if length > 0 else b""
    headers = {key[5:].replace("_", "-"): value for key, value in environ.items()
               if key.startswith("HTTP_")}
    return handle(headers, body, config)


def server(host: str, port: int, config: Config) -> ThreadingHTTPServer:
    """An HTTP server (not started) that answers every POST with ``handle``."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            if length > MAX_BODY:
                self._answer(413, "the body is too large")
                return
            body = self.rfile.read(length) if length > 0 else b""
            self._answer(*handle(dict(self.headers.items()), body, config))

        def _answer(self, status: int, message: str) -> None:
            data = message.encode("utf-8") + b"\n"
            self.send_response(status)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
            """One line per request on stderr: the method and the status, nothing the
            request carried (a path may hold a token, a body an error's data)."""
            self.log_message("%s -> %s", self.command, code)

    return ThreadingHTTPServer((host, port), Handler)
