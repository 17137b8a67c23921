"""Sentry's issue-alert webhook, read: its signature checked and its event turned into a
``production-error`` payload (``agentrails.selfheal.payload``).

Sentry signs each webhook of an integration with the integration's client secret: the
``Sentry-Hook-Signature`` header is the hex HMAC-SHA256 of the request body, and
``Sentry-Hook-Resource`` says what the body is (``event_alert`` for an issue alert,
``installation`` when the integration is installed). The signature covers the exact bytes
received, so they are checked before the body is parsed.

Standard library only, like the payload module: the forwarder may run alone.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Mapping
from typing import Any

RESOURCE = "event_alert"
SIGNATURE_HEADER = "sentry-hook-signature"
RESOURCE_HEADER = "sentry-hook-resource"
_HEX = re.compile(r"^[0-9a-fA-F]{64}$")
MAX_FRAMES = 60


def signature(secret: str, body: bytes) -> str:
    """The signature Sentry sends for ``body``: hex HMAC-SHA256 with the client secret."""
    return hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verified(secret: str, body: bytes, header: str | None) -> bool:
    """Whether ``header`` is the signature of ``body`` (constant-time; a missing secret,
    a missing header or one that is not 64 hex digits never passes)."""
    if not secret or not header or not _HEX.match(header.strip()):
        return False
    return hmac.compare_digest(signature(secret, body), header.strip().lower())


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _frame(frame: Mapping[str, Any]) -> list[str]:
    where = _text(frame.get("filename")) or _text(frame.get("abs_path")) or "?"
    line = frame.get("lineno")
    function = _text(frame.get("function")) or "?"
    shown = [f'  File "{where}", line {line if isinstance(line, int) else "?"}, in {function}']
    context = _text(frame.get("context_line")).strip()
    if context:
        shown.append(f"    {context}")
    return shown


def _frames(value: Mapping[str, Any]) -> list[str]:
    """The frames of one exception, oldest first (as Sentry lists them), the newest kept."""
    trace = value.get("stacktrace") if isinstance(value.get("stacktrace"), Mapping) else {}
    frames = [frame for frame in trace.get("frames") or [] if isinstance(frame, Mapping)]
    if not frames:
        return []
    lines = ["Traceback (most recent call last):"]
    if len(frames) > MAX_FRAMES:
        lines.append(f"  ... {len(frames) - MAX_FRAMES} older frames left out ...")
    for frame in frames[-MAX_FRAMES:]:
        lines += _frame(frame)
    return lines


def _exception(value: Mapping[str, Any]) -> list[str]:
    lines = _frames(value)
    kind, message = _text(value.get("type")), _text(value.get("value"))
    lines.append(f"{kind}: {message}" if kind and message else kind or message)
    return lines


def stacktrace(event: Mapping[str, Any]) -> str:
    """The event's exceptions as a traceback, oldest cause first; its message otherwise."""
    exception = event.get("exception") if isinstance(event.get("exception"), Mapping) else {}
    values = [value for value in exception.get("values") or [] if isinstance(value, Mapping)]
    blocks = ["\n".join(_exception(value)) for value in values]
    return "\n\n".join(block for block in blocks if block) or _text(event.get("message"))


def _tag(event: Mapping[str, Any], name: str) -> str:
    for pair in event.get("tags") or []:
        if isinstance(pair, list | tuple) and len(pair) == 2 and pair[0] == name:
            return _text(pair[1])
    return ""


def _fingerprint(event: Mapping[str, Any]) -> str:
    issue = event.get("issue_id")
    if isinstance(issue, str | int) and str(issue).strip():
        return f"sentry:issue:{issue}"
    hashes = [item for item in event.get("hashes") or [] if isinstance(item, str)]
    return f"sentry:hash:{hashes[0]}" if hashes else ""


def to_payload(body: Any) -> dict[str, Any] | None:
    """The dispatch fields of an ``event_alert`` body (before ``payload.shaped``), or None
    when it holds no event."""
    data = body.get("data") if isinstance(body, Mapping) else None
    event = data.get("event") if isinstance(data, Mapping) else None
    if not isinstance(event, Mapping):
        return None
    return {
        "fingerprint": _fingerprint(event),
        "title": _text(event.get("title")) or _text(event.get("message")),
        "culprit": _text(event.get("culprit")),
        "stacktrace": stacktrace(event),
        "url": _text(event.get("web_url")) or _text(event.get("issue_url")),
        "environment": _text(event.get("environment")) or _tag(event, "environment"),
        "level": _text(event.get("level")),
        "release": _text(event.get("release")) or _tag(event, "release"),
        "source": "sentry",
    }
