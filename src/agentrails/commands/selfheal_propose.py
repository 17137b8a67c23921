"""``agentrails self-heal propose`` (the agent's commits to a pull request, or the reason on
the issue) and ``agentrails self-heal forward`` (the Sentry forwarder as an HTTP server)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentrails.commands.common import EXIT_CLEAN, project_settings
from agentrails.commands.selfheal_common import repository, say, server_url, warn
from agentrails.errors import ConfigError
from agentrails.github.client import token_from_env
from agentrails.selfheal.propose import Proposal, agent_result, propose


def _run_url() -> str:
    repo, run = os.environ.get("GITHUB_REPOSITORY", ""), os.environ.get("GITHUB_RUN_ID", "")
    return f"{server_url()}/{repo}/actions/runs/{run}" if repo and run else "(no run link)"


def run_propose(args: argparse.Namespace) -> int:
    """Open the pull request for the agent's commits, or comment why not."""
    cwd = Path.cwd()
    settings = project_settings(cwd)
    repo = repository(args)
    remote = args.remote or f"{server_url()}/{repo.repo}.git"
    plan = Proposal(issue=args.issue, base=args.base, bundle_dir=args.bundle_dir,
                    agent_result=agent_result(args.agent_result),
                    run_url=_run_url(), remote=remote, token=token_from_env(os.environ),
                    server=server_url(), max_files=args.max_files)
    result = propose(repo, plan, cwd=cwd, settings=settings, warn=warn, env=os.environ)
    where = f" #{result.pull}" if result.pull is not None else ""
    say(f"{result.action}{where}: {result.said.splitlines()[0]}")
    return EXIT_CLEAN


def run_forward(args: argparse.Namespace) -> int:
    """Serve the forwarder until interrupted."""
    from agentrails.selfheal.forwarder import Config, ForwarderError, server

    try:
        config = Config.from_env()
    except ForwarderError as error:  # the forwarder runs without agentrails: its own error
        raise ConfigError(str(error)) from None
    httpd = server(args.host, args.port, config)
    print(f"agentrails self-heal forward: listening on {args.host}:{httpd.server_address[1]}",
          file=sys.stderr)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
    return EXIT_CLEAN
