"""The errors the GitHub part raises (from the common hierarchy, ``agentrails.errors``), and
the redaction that keeps the token out of every message."""

from __future__ import annotations

from agentrails.errors import ConfigError, GitHubError, Refused

__all__ = ["REDACTED", "ConfigError", "GitHubError", "Refused", "redact"]

REDACTED = "***"


def redact(text: str, secret: str | None) -> str:
    """``text`` with ``secret`` replaced by ``***`` in every spelling a message can show it:
    as it is and stripped of surrounding blanks, escaped as Python (``repr``, bytes ``repr``,
    ``unicode_escape``) or JSON writes it, and percent-encoded as in a URL."""
    if not secret:
        return text
    for spelling in spellings(secret):
        text = text.replace(spelling, REDACTED)
    return text


def spellings(secret: str) -> list[str]:
    """The forms of ``secret`` an error message may hold, longest first."""
    import json
    import urllib.parse

    plain = {secret, secret.strip()} - {""}
    found = set(plain)
    for form in plain:
        found |= {repr(form)[1:-1], repr(form.encode("utf-8"))[2:-1],
                  form.encode("unicode_escape").decode("ascii"), json.dumps(form)[1:-1],
                  json.dumps(form, ensure_ascii=False)[1:-1],
                  urllib.parse.quote(form, safe=""), urllib.parse.quote_plus(form)}
    return sorted(found - {""}, key=len, reverse=True)
