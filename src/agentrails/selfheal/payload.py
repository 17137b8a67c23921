"""The ``production-error`` dispatch: the contract between a forwarder (which turns an error
tracker's webhook into a ``repository_dispatch``) and the intake (which turns the dispatch
into an issue).

The payload is ``client_payload`` of ``POST /repos/{owner}/{repo}/dispatches`` with
``event_type`` ``production-error``: at most ten top-level keys (GitHub's limit), all of them
optional but ``fingerprint`` or ``title``:

=============  ======  ===========================================================
key            type    what it holds
=============  ======  ===========================================================
fingerprint    string  what identifies the error across occurrences (the tracker's
                       issue id): one issue per fingerprint
title          string  the error in one line (``ZeroDivisionError: division by zero``)
culprit        string  where it happened (``billing.invoice in total``)
stacktrace     string  the stack trace as text, most recent call last
url            string  a link to the event in the tracker
environment    string  ``production``, ``staging``, ...
count          int     how often the tracker has seen it
level          string  ``fatal``, ``error``, ``warning``, ``info`` or ``debug``
release        string  the release or commit the error happened in
source         string  the tracker (``sentry``)
=============  ======  ===========================================================

This module uses the standard library only: the forwarder imports it and may run where
nothing else of agentrails is installed. The intake trusts none of it (``incident``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

EVENT_TYPE = "production-error"
TEXT_LIMITS = {
    "fingerprint": 200,
    "title": 300,
    "culprit": 300,
    "stacktrace": 12_000,
    "url": 2_000,
    "environment": 64,
    "level": 16,
    "release": 100,
    "source": 40,
}
"""The longest each text field may be, in characters; longer text is cut (a stack trace
keeps its end, where the error is)."""
FIELDS = (*TEXT_LIMITS, "count")
LEVELS = ("fatal", "error", "warning", "info", "debug")
MAX_BYTES = 60_000
"""GitHub refuses a ``client_payload`` of 64 KB or more; this leaves room for the rest."""
MAX_COUNT = 10**12


def cut(key: str, value: str) -> str:
    """``value`` cut to the limit of ``key`` (the end of a stack trace, the start of others)."""
    limit = TEXT_LIMITS[key]
    if len(value) <= limit:
        return value
    return value[-limit:] if key == "stacktrace" else value[:limit]


def count_of(value: Any) -> int | None:
    """A count as a non-negative int, or None when it is not a number."""
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        number = int(value)
    except (ValueError, OverflowError):
        return None
    return min(max(number, 0), MAX_COUNT)


def shaped(fields: Mapping[str, Any]) -> dict[str, Any]:
    """The known keys of ``fields``, text cut to its limits, ``count`` an int, empty values
    dropped, and the whole small enough for GitHub (the stack trace shrinks first)."""
    payload: dict[str, Any] = {}
    for key in TEXT_LIMITS:
        value = fields.get(key)
        if isinstance(value, str) and value.strip():
            payload[key] = cut(key, value)
    count = count_of(fields.get("count"))
    if count is not None:
        payload["count"] = count
    while size(payload) >= MAX_BYTES and payload.get("stacktrace"):
        trace = payload["stacktrace"]
        payload["stacktrace"] = trace[len(trace) // 4 + 1:]
    if size(payload) >= MAX_BYTES:  # only absurd multi-byte text in the short fields is left
        payload = {key: value for key, value in payload.items() if key in ("fingerprint", "count")}
    return payload


def size(payload: Mapping[str, Any]) -> int:
    """Bytes of ``payload`` as JSON in UTF-8, as it is sent."""
    return len(json.dumps(payload, ensure_ascii=False).encode("utf-8"))


def fingerprint_key(fingerprint: str, fallback: str = "") -> str:
    """Sixteen hex digits that name the error in issue markers, whatever the fingerprint
    holds (so no text of the tracker ever reaches a marker)."""
    seed = fingerprint.strip() or f"no fingerprint: {fallback.strip()}"
    return hashlib.sha256(seed.encode("utf-8", "replace")).hexdigest()[:16]
