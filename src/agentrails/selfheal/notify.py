"""Telling the team: one Slack message (an incoming webhook) when a self-heal issue opens and
when a fix pull request is ready. Without a webhook, GitHub's own notifications do the job.

The webhook URL is a secret (``SLACK_WEBHOOK_URL``): it appears in no message. A message
holds only what the loop wrote itself and sanitized titles, escaped as Slack asks (``&``,
``<``, ``>``), so no text of an error can mention a channel or hide a link. A notification
that fails is reported and never fails the run: the issue or pull request is what counts.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping

from agentrails.github.transport import is_loopback

ENV = "SLACK_WEBHOOK_URL"
TIMEOUT = 10.0
_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def escaped(text: str) -> str:
    """``text`` as literal Slack text: the three characters Slack reads as markup escaped.
    Our sanitized text may hold ``&lt;`` already; escaping it again shows it as written."""
    return "".join(_ESCAPES.get(char, char) for char in text)


def usable(url: str) -> str | None:
    """Why ``url`` cannot be a webhook (only https, or http to loopback for tests), or None."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme == "https" and parts.hostname:
        return None
    if parts.scheme == "http" and parts.hostname and is_loopback(parts.hostname):
        return None
    return "the Slack webhook must be an https:// URL"


def send(text: str, env: Mapping[str, str], warn: Callable[[str], None]) -> bool:
    """Post ``text`` (already escaped) to the webhook in ``env``; False when there is none or
    it failed (said through ``warn``, without the URL)."""
    url = env.get(ENV, "").strip()
    if not url:
        return False
    problem = usable(url)
    if problem:
        warn(f"not notifying: {problem}")
        return False
    data = json.dumps({"text": text}).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json"})
    local = is_loopback(urllib.parse.urlsplit(url).hostname or "")
    opener = urllib.request.build_opener(*([urllib.request.ProxyHandler({})] if local else []))
    try:
        with opener.open(request, timeout=TIMEOUT) as reply:
            reply.read()
    except urllib.error.HTTPError as error:
        warn(f"the Slack webhook answered {error.code}; no notification sent")
        return False
    except (OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        warn(f"the Slack webhook could not be reached ({type(reason).__name__}); "
             "no notification sent")
        return False
    return True


def issue_opened(repo: str, number: int, title: str, server: str) -> str:
    """The message for a new self-heal issue."""
    url = f"{server}/{repo}/issues/{number}"
    return (f"self-heal: issue #{number} opened in {escaped(repo)}: {escaped(title)}\n"
            f"<{url}|Open the issue>")


def fix_ready(repo: str, issue: int, pull: int, server: str) -> str:
    """The message for a fix pull request that waits for review."""
    url = f"{server}/{repo}/pull/{pull}"
    return (f"self-heal: a fix for #{issue} is ready for review in {escaped(repo)}: "
            f"pull request #{pull}\n<{url}|Review it>")
