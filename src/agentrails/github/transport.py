"""Where the token may travel, and how long one request may take.

The policy, in three parts:

- **Plain HTTP only to loopback.** ``https://`` anywhere; ``http://`` only to ``localhost``,
  ``127.0.0.0/8`` or ``::1`` (a local stand-in or a tunnel), because anything else would send
  the token unencrypted. Anything else is refused before a request is made.
- **Redirects stay on the API's origin.** A 301, 302, 303, 307 or 308 is followed (with the
  token) only when its target has the same scheme, host and port as the API base URL and no
  user info. A redirect anywhere else is not followed at all, with or without the token: the
  3xx becomes the answer, and its message names the other host. GitHub's REST API redirects
  only within itself (a renamed repository answers with ``/repositories/{id}`` on the same
  host), so nothing agentrails asks for needs another host.
- **A deadline per request.** Each connect and read waits at most ``timeout`` seconds, and a
  body still arriving ``timeout`` seconds after its headers is abandoned, so a server that
  trickles bytes cannot hold a run.
"""

from __future__ import annotations

import ipaddress
import time
import urllib.parse
import urllib.request
from typing import Any, Protocol

from agentrails.github.errors import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443}
CHUNK = 65536


def origin(url: str) -> tuple[str, str, int | None] | None:
    """(scheme, host, port) of ``url`` with the default port filled in; None for a URL with
    user info or without a host, which never counts as the API's origin."""
    parts = urllib.parse.urlsplit(url)
    try:
        port = parts.port
    except ValueError:
        return None
    scheme = parts.scheme.lower()
    if not parts.hostname or parts.username is not None or parts.password is not None:
        return None
    return scheme, parts.hostname.lower(), port or DEFAULT_PORTS.get(scheme)


def same_origin(url: str, base: str) -> bool:
    """Whether ``url`` is on the origin of ``base`` (both must have one)."""
    here = origin(url)
    return here is not None and here == origin(base)


def host_of(url: str) -> str:
    """The ``host[:port]`` of ``url`` for a message (user info left out)."""
    parts = urllib.parse.urlsplit(url)
    host = parts.hostname or "?"
    try:
        return f"{host}:{parts.port}" if parts.port else host
    except ValueError:
        return host


def is_loopback(host: str) -> bool:
    """``localhost`` or a loopback address (``127.0.0.0/8``, ``::1``)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_transport(url: str, name: str = "GITHUB_API_URL") -> None:
    """Refuse an API base URL the token must not travel to: not http(s), or plain http to a
    host other than loopback."""
    parts = urllib.parse.urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(f"{name} must be an http(s) URL such as https://api.github.com, "
                          f"got {url!r}")
    if parts.username is not None or parts.password is not None:
        raise ConfigError(f"{name} must not hold user info (user:password@); pass the token "
                          "in GH_TOKEN or GITHUB_TOKEN instead")
    if scheme == "http" and not is_loopback(parts.hostname):
        raise ConfigError(f"{name} is plain http:// to {parts.hostname}: the token would "
                          "travel unencrypted; use https:// (plain http is allowed only to "
                          "loopback, such as http://127.0.0.1:PORT)")


class SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to the API's own origin, so the token never goes elsewhere."""

    def __init__(self, api_url: str) -> None:
        self.api_url = api_url

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # type: ignore[no-untyped-def]
        if not same_origin(newurl, self.api_url):
            return None  # not followed: the 3xx itself becomes the answer
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class Readable(Protocol):
    def read1(self, amount: int = ..., /) -> bytes: ...


def read_within(reply: Readable, seconds: float, clock: Any = time.monotonic) -> bytes:
    """The whole body of ``reply``, or ``TimeoutError`` once ``seconds`` have passed
    (``read1`` returns what one read brings, so the deadline is looked at between reads)."""
    deadline = clock() + seconds
    chunks = []
    while True:
        chunk = reply.read1(CHUNK)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        if clock() > deadline:
            raise TimeoutError(f"the answer took longer than {seconds:g} s; gave up")
