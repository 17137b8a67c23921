"""``agentrails self-heal propose`` (the agent's commits to a pull request, or the reason on
the issue) and ``agentrails self-heal forward`` (the Sentry forwarder as an HTTP server)."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentrails.commands.selfheal_common import EXIT_DONE, error, repository, say, server_url, warn
from agentrails.engine.config.settings import ConfigError as SettingsError
from agentrails.engine.config.settings import load_settings
from agentrails.engine.registry import load_families
from agentrails.github.client import token_from_env
from agentrails.selfheal.gitops import GitError
from agentrails.selfheal.propose import Proposal, agent_result, propose


def _run_url() -> str:
    repo, run = os.environ.get("GITHUB_REPOSITORY", ""), os.environ.get("GITHUB_RUN_ID", "")
    return f"{server_url()}/{repo}/actions/runs/{run}" if repo and run else "(no run link)"


def run_propose(args: argparse.Namespace) -> int:
    """Open the pull request for the agent's commits, or comment why not."""
    cwd = Path.cwd()
    try:
        settings = load_settings(cwd, load_families())
    except SettingsError as problem:
        return error(str(problem))
    repo = repository(args)
    remote = args.remote or f"{server_url()}/{repo.repo}.git"
    plan = Proposal(args.issue, args.base, args.bundle_dir, agent_result(args.agent_result),
                    _run_url(), remote, token_from_env(os.environ), server_url(),
                    args.max_files)
    try:
        result = propose(repo, plan, cwd, settings, warn, os.environ)
    except GitError as problem:
        return error(str(problem))
    where = f" #{result.pull}" if result.pull is not None else ""
    say(f"{result.action}{where}: {result.said.splitlines()[0]}")
    return EXIT_DONE


def run_forward(args: argparse.Namespace) -> int:
    """Serve the forwarder until interrupted."""
    from agentrails.selfheal.forwarder import Config, ForwarderError, server

    try:
        config = Config.from_env()
    except ForwarderError as problem:
        return error(str(problem))
    httpd = server(args.host, args.port, config)
    print(f"agentrails self-heal forward: listening on {args.host}:{httpd.server_address[1]}",
          file=sys.stderr)
    try:
        httpd.serve_forever()
    finally:
        httpd.server_close()
    return EXIT_DONE
