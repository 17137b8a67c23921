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
import os
import sys

from agentrails.commands import selfheal_common, selfheal_propose
from agentrails.commands.selfheal_common import (
    EXIT_DONE,
    error,
    read_event,
    repository,
    say,
    server_url,
    set_outputs,
    summarize,
    warn,
)
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.selfheal.incident import PayloadError, from_event
from agentrails.selfheal.intake import Announcement, Limits, announce, receive


def _announcement(args: argparse.Namespace) -> Announcement:
    return Announcement(args.agent_workflow, args.ref, server_url(), dict(os.environ))


def run_intake(args: argparse.Namespace) -> int:
    """One production-error dispatch: open, repeat or hold back."""
    event = read_event(args.event)
    try:
        incident = from_event(event, args.link_host or ("sentry.io",))
    except PayloadError as problem:
        return error(str(problem))
    repo = repository(args)
    limits = Limits(args.max_issues_per_hour, args.max_comments_per_hour)
    outcome = receive(repo, incident, limits, selfheal_common.now())
    lines = [outcome.line()]
    if outcome.action == "opened" and outcome.issue is not None:
        lines += announce(repo, outcome.issue, incident.title, _announcement(args), warn)
    for line in lines:
        say(line)
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
    for line in announce(repo, args.issue, safe, _announcement(args), warn):
        say(line)
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
        return error("no issue number: pass --issue N")
    verdict = judge(repository(args), number, event_name, event)
    say(("trusted: " if verdict.trusted else "not trusted: ") + verdict.reason)
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
            return error("--github-output needs GITHUB_OUTPUT (a workflow step)")
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
               "prompt": run_prompt, "propose": selfheal_propose.run_propose,
               "forward": selfheal_propose.run_forward}
    if args.action in ("announce", "prompt", "propose") and args.issue is None:
        return error(f"{args.action} needs --issue N")
    try:
        return actions[args.action](args)
    except (ConfigError, GitHubError) as problem:
        return error(str(problem))
    except (KeyError, TypeError, AttributeError, ValueError) as problem:
        return error(f"GitHub answered in a shape agentrails does not know "
                     f"({type(problem).__name__}: {problem})")

