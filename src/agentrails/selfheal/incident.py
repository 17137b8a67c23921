"""A ``production-error`` dispatch event read as untrusted data: every field cut to its
limit, then made inert by ``agentrails sanitize`` (or reduced to a safe alphabet), before
anything of it reaches an issue, a comment, a notification or an agent."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from agentrails.sanitize import MIN_MAX_CHARS, sanitize
from agentrails.selfheal.payload import EVENT_TYPE, LEVELS, fingerprint_key, shaped

TITLE_CHARS = 100
"""Characters of the tracker's title kept for the issue title (GitHub allows 256)."""
TRACE_CHARS = 14_000
DEFAULT_LINK_HOSTS = ("sentry.io",)
_WHITESPACE = re.compile(r"\s+")
_NOT_NAME = re.compile(r"[^A-Za-z0-9._-]")
_SAFE_URL = re.compile(r"^https://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~!$&'*+,;=:@/%?-]*)?$")


class PayloadError(ValueError):
    """An event that is not a usable ``production-error`` dispatch (exit 2)."""


@dataclass(frozen=True)
class Incident:
    """One occurrence of a production error, every text safe to post on GitHub."""

    key: str
    title: str
    culprit: str
    stacktrace: str
    link: str
    environment: str
    level: str
    release: str
    source: str
    count: int | None


def one_line(text: str, limit: int) -> str:
    """``text`` on one line, its first ``limit`` characters, sanitized (no fence)."""
    flat = _WHITESPACE.sub(" ", text).strip()[:limit]
    return sanitize(flat, max(MIN_MAX_CHARS, 2 * limit), fence=False).strip()


def link(url: str, hosts: Iterable[str]) -> str:
    """A Markdown link to ``url`` when it is plain https to one of ``hosts`` (or their
    subdomains); otherwise the address as defanged text, which no one can click."""
    if not url:
        return ""
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    allowed = any(host == name or host.endswith("." + name) for name in hosts)
    if allowed and _SAFE_URL.match(url) and len(url) <= 2_000:
        return f"[the event in the tracker]({url})"
    return one_line(url, 300)


def _mapping(event: Any) -> Mapping[str, Any]:
    if not isinstance(event, Mapping):
        raise PayloadError("the event is not a JSON object")
    if event.get("action") != EVENT_TYPE:
        action = str(event.get("action"))[:40]
        raise PayloadError(f"not a {EVENT_TYPE} repository_dispatch (its type is {action!r})")
    payload = event.get("client_payload")
    if not isinstance(payload, Mapping):
        raise PayloadError("the dispatch has no client_payload object")
    return payload


def from_event(event: Any, link_hosts: Iterable[str] = DEFAULT_LINK_HOSTS) -> Incident:
    """The incident a ``repository_dispatch`` event describes; ``PayloadError`` when it is
    not one, or names no fingerprint and no title."""
    fields = shaped(_mapping(event))
    title, culprit = fields.get("title", ""), fields.get("culprit", "")
    fingerprint = fields.get("fingerprint", "")
    if not fingerprint.strip() and not title.strip():
        raise PayloadError("the payload has neither a fingerprint nor a title")
    trace = fields.get("stacktrace", "")
    level = fields.get("level", "error").strip().lower()
    return Incident(
        key=fingerprint_key(fingerprint, f"{title}\n{culprit}"),
        title=one_line(title, TITLE_CHARS) or "(no title)",
        culprit=one_line(culprit, 300),
        stacktrace=sanitize(trace, TRACE_CHARS, keep="tail") if trace.strip() else "",
        link=link(fields.get("url", "").strip(), link_hosts),
        environment=_NOT_NAME.sub("", fields.get("environment", ""))[:64],
        level=level if level in LEVELS else "error",
        release=one_line(fields.get("release", ""), 100),
        source=_NOT_NAME.sub("", fields.get("source", "")).lower()[:40],
        count=fields.get("count"),
    )
