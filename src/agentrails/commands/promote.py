"""``agentrails promote [--from STAGING] [--to PRODUCTION] [--sha SHA] [--dry-run]``: the gated,
one-way fast-forward of production to a green staging commit."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from agentrails.commands.common import EXIT_CLEAN, github_answers
from agentrails.errors import ConfigError
from agentrails.github.client import client_from_env
from agentrails.github.promotion import Promotion, promote
from agentrails.github.protection.rulesets import default_branches
from agentrails.github.repository import resolve_repo


def _branch(value: str | None, fallback: str, flag: str) -> str:
    name = fallback if value is None else value.strip()
    if not name or any(char.isspace() for char in name) or name.startswith("-"):
        raise ConfigError(f"{flag} needs a branch name, got {value!r}")
    return name


def plan_from(args: argparse.Namespace, cwd: Path) -> Promotion:
    """The promotion asked for: branches default to the project's rulesets (staging and
    production), then to ``main`` and ``production``."""
    staging, production = default_branches(cwd)
    source = _branch(args.source, staging, "--from")
    target = _branch(args.target, production, "--to")
    if source == target:
        raise ConfigError(f"--from and --to are both {source!r}")
    repo = resolve_repo(args.repo, os.environ, cwd)
    return Promotion(repo=repo, source=source, target=target, sha=args.sha, dry_run=args.dry_run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when promoted (or nothing to do); a refusal (exit 1) and a usage,
    configuration or API error (exit 2) are raised."""
    plan = plan_from(args, Path.cwd())
    with github_answers():
        promote(client_from_env(), plan, print)
    return EXIT_CLEAN
