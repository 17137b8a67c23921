"""``agentrails self-heal ACTION``: the steps of the self-heal workflows.

- ``intake``: a ``production-error`` repository dispatch becomes an issue (or a repeat);
- ``announce --issue N``: start the agent on a new issue and notify the team (CI path);
- ``trust --issue N``: may the agent work on it? (``trusted=true|false`` as a step output);
- ``prompt --issue N``: the agent's task, built from the sanitized issue;
- ``propose --issue N``: the agent's commits become a pull request against staging;
- ``forward``: the Sentry webhook forwarder as a small HTTP server.

Each reads ``GH_TOKEN``/``GITHUB_TOKEN``, ``GITHUB_REPOSITORY`` and, in a workflow, the event
file GitHub names in ``GITHUB_EVENT_PATH``. Exit 0 when the step did its job (a rate-limited
error and an untrusted trigger included: they are answers, said on stdout), 2 on a usage,
configuration or API error.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentrails.github.client import client_from_env
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.repository import resolve_repo
from agentrails.selfheal.incident import PayloadError, from_event
from agentrails.selfheal.intake import Announcement, Limits, announce, receive
from agentrails.selfheal.issues import Repository

EXIT_DONE, EXIT_USAGE = 0, 2
MAX_EVENT_BYTES = 5_000_000


def _say(message: str) -> None:
    print(f"agentrails self-heal: {message}")


def _warn(message: str) -> None:
    print(f"::warning title=self-heal::{message}", file=sys.stderr)


def _error(message: str) -> int:
    print(f"agentrails self-heal: error: {message}", file=sys.stderr)
    return EXIT_USAGE


def read_event(path: str | None) -> dict[str, Any]:
    """The workflow's event: ``--event``, else ``GITHUB_EVENT_PATH``."""
    name = path or os.environ.get("GITHUB_EVENT_PATH", "")
    if not name:
        raise ConfigError("no event: pass --event FILE or set GITHUB_EVENT_PATH")
    try:
        with open(name, "rb") as handle:
            raw = handle.read(MAX_EVENT_BYTES + 1)
    except OSError as error:
        raise ConfigError(f"cannot read the event {name}: {error.strerror or error}") from None
    if len(raw) > MAX_EVENT_BYTES:
        raise ConfigError(f"the event {name} is larger than {MAX_EVENT_BYTES} bytes")
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise ConfigError(f"the event {name} is not JSON") from None
    if not isinstance(data, dict):
        raise ConfigError(f"the event {name} is not a JSON object")
    return data


def set_outputs(values: Mapping[str, str]) -> None:
    """Step outputs (``GITHUB_OUTPUT``), when run in a workflow; values are our own words
    and numbers, one line each."""
    target = os.environ.get("GITHUB_OUTPUT")
    if not target:
        return
    with open(target, "a", encoding="utf-8") as handle:
        for name, value in values.items():
            handle.write(f"{name}={value}\n")


def summarize(lines: list[str]) -> None:
    """Add lines to the job summary, when run in a workflow."""
    target = os.environ.get("GITHUB_STEP_SUMMARY")
    if target and lines:
        with open(target, "a", encoding="utf-8") as handle:
            handle.write("\n".join(f"- {line}" for line in lines) + "\n")


def repository(args: argparse.Namespace) -> Repository:
    return Repository(client_from_env(), resolve_repo(args.repo, os.environ, Path.cwd()))


def server_url() -> str:
    return os.environ.get("GITHUB_SERVER_URL", "").strip().rstrip("/") or "https://github.com"


def now() -> datetime:
    """The clock of the intake (tests replace it)."""
    return datetime.now(UTC)


def _announcement(args: argparse.Namespace) -> Announcement:
    return Announcement(args.agent_workflow, args.ref, server_url(), dict(os.environ))


def run_intake(args: argparse.Namespace) -> int:
    """One production-error dispatch: open, repeat or hold back."""
    event = read_event(args.event)
    try:
        incident = from_event(event, args.link_host or ("sentry.io",))
    except PayloadError as error:
        return _error(str(error))
    repo = repository(args)
    limits = Limits(args.max_issues_per_hour, args.max_comments_per_hour)
    outcome = receive(repo, incident, limits, now())
    lines = [outcome.line()]
    if outcome.action == "opened" and outcome.issue is not None:
        lines += announce(repo, outcome.issue, incident.title, _announcement(args), _warn)
    for line in lines:
        _say(line)
    summarize(lines)
    set_outputs({"action": outcome.action, "issue": str(outcome.issue or "")})
    return EXIT_DONE


def run_announce(args: argparse.Namespace) -> int:
    """Start the agent on a new issue and notify the team."""
    repo = repository(args)
    issue = repo.issue(args.issue)
    title = str(issue.get("title") or "")
    from agentrails.sanitize import sanitize

    safe = sanitize(title, 300, fence=False).strip()
    for line in announce(repo, args.issue, safe, _announcement(args), _warn):
        _say(line)
    return EXIT_DONE


def run_trust(args: argparse.Namespace) -> int:
    """``trusted=true`` or ``false`` (and the issue number) as step outputs."""
    from agentrails.selfheal.trust import judge

    event = read_event(args.event)
    event_name = args.event_name or os.environ.get("GITHUB_EVENT_NAME", "")
    number = args.issue
    if event_name == "issues":
        issue = event.get("issue")
        number = issue.get("number") if isinstance(issue, dict) else None
    if not isinstance(number, int) or number < 1:
        return _error("no issue number: pass --issue N")
    verdict = judge(repository(args), number, event_name, event)
    _say(("trusted: " if verdict.trusted else "not trusted: ") + verdict.reason)
    set_outputs({"trusted": "true" if verdict.trusted else "false", "issue": str(number)})
    return EXIT_DONE


def run_prompt(args: argparse.Namespace) -> int:
    """The agent's prompt, to a file, stdout or a step output."""
    from agentrails.selfheal.prompt import build, output_block

    issue = repository(args).issue(args.issue)
    text = build(issue, args.base, args.branch or f"self-heal/issue-{args.issue}", args.cli)
    if args.github_output:
        target = os.environ.get("GITHUB_OUTPUT")
        if not target:
            return _error("--github-output needs GITHUB_OUTPUT (a workflow step)")
        with open(target, "a", encoding="utf-8") as handle:
            handle.write(output_block(args.github_output, text))
    elif args.output:
        args.output.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_DONE


def run(args: argparse.Namespace) -> int:
    """Dispatch to the action; configuration and API errors exit 2 with one line."""
    actions = {"intake": run_intake, "announce": run_announce, "trust": run_trust,
               "prompt": run_prompt, "propose": _lazy("propose"), "forward": _lazy("forward")}
    if args.action in ("announce", "prompt", "propose") and args.issue is None:
        return _error(f"{args.action} needs --issue N")
    try:
        return actions[args.action](args)
    except (ConfigError, GitHubError) as error:
        return _error(str(error))
    except (KeyError, TypeError, AttributeError, ValueError) as error:
        return _error(f"GitHub answered in a shape agentrails does not know "
                      f"({type(error).__name__}: {error})")


def _lazy(name: str) -> Any:
    def call(args: argparse.Namespace) -> int:
        from agentrails.commands import selfheal_propose

        return getattr(selfheal_propose, f"run_{name}")(args)

    return call
