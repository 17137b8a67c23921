"""What a failed GitHub request means, said for people; and how long a rate limit asks to wait."""

from __future__ import annotations

import email.utils
import time
from typing import Any

from agentrails.github.response import Response

SECONDARY_WAIT = 60.0  # GitHub: without headers, wait at least a minute after a secondary limit


def rate_limited(response: Response) -> bool:
    """A 429, or a 403 that GitHub marks as a primary or secondary rate limit."""
    if response.status == 429:
        return True
    if response.status != 403:
        return False
    remaining = response.headers.get("x-ratelimit-remaining")
    return remaining == "0" or "rate limit" in response.message.lower()


def _retry_after(value: str, now: float) -> float | None:
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, moment.timestamp() - now)


def rate_limit_wait(response: Response, now: float, fallback: float) -> float:
    """Seconds to wait: ``Retry-After``, else until ``x-ratelimit-reset``, else a minute."""
    after = response.headers.get("retry-after")
    if after is not None:
        seconds = _retry_after(after, now)
        if seconds is not None:
            return seconds
    reset = response.headers.get("x-ratelimit-reset", "")
    if reset.isdigit():
        return max(0.0, float(reset) - now) + 1.0
    return max(SECONDARY_WAIT, fallback)


def _errors(data: Any) -> str:
    """GitHub's ``errors`` list of a 422, as one line."""
    errors = data.get("errors") if isinstance(data, dict) else None
    if not isinstance(errors, list):
        return ""
    parts = []
    for error in errors:
        if isinstance(error, dict):
            fields = [str(error[key]) for key in ("resource", "field", "code", "message")
                      if error.get(key)]
            parts.append(" ".join(fields))
        else:
            parts.append(str(error))
    return "; ".join(parts)


def _rate_limit_message(response: Response, now: float) -> str:
    reset = response.headers.get("x-ratelimit-reset", "")
    if reset.isdigit():
        when = time.strftime("%H:%M:%S UTC", time.gmtime(int(reset)))
        minutes = max(1, round((int(reset) - now) / 60))
        return f"GitHub's rate limit is used up until {when} (in about {minutes} min); try then"
    return "GitHub's rate limit is used up; try again in a few minutes"


TEMPLATES = {
    401: "GitHub rejected the token (401{detail}) for {where}: set GH_TOKEN or GITHUB_TOKEN "
         "to a valid, unexpired token",
    403: "GitHub refused {where} (403{detail}): the token lacks a permission this needs, or "
         "the feature is not available for this repository",
    404: "GitHub found nothing at {where} (404{detail}): the repository, branch or object "
         "does not exist, or the token cannot see it",
    422: "GitHub refused {where} (422{detail})",
}


def _template(status: int) -> str:
    if status in TEMPLATES:
        return TEMPLATES[status]
    if 300 <= status < 400:
        return ("GitHub redirected {where} ({status}){elsewhere}: the repository may have been "
                "renamed or moved; use its current name")
    if status >= 500:
        return "GitHub kept failing {where} ({status}{detail}); try again later"
    return "GitHub answered {status} to {where}{detail}"


def failure_message(method: str, path: str, response: Response, *, now: float,
                    elsewhere: str = "") -> str:
    """One clear sentence for a request that did not succeed; ``elsewhere`` is the other host
    a redirect that was not followed points to."""
    where, said = f"{method} {path}", response.message
    if response.status == 0:
        return f"cannot reach GitHub for {where}: {said or 'no answer'}"
    if rate_limited(response):
        return f"{where}: {_rate_limit_message(response, now)}"
    detail = f": {said}" if said else ""
    away = (f" to another host, {elsewhere}, where agentrails does not send the token"
            if elsewhere else "")
    text = _template(response.status).format(where=where, status=response.status, detail=detail,
                                             elsewhere=away)
    errors = _errors(response.data)
    return f"{text}: {errors}" if errors else text
