"""``agentrails promote [--from STAGING] [--to PRODUCTION] [--sha SHA] [--dry-run]``: the gated,
one-way fast-forward of production to a green staging commit."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from agentrails.github.client import client_from_env
from agentrails.github.errors import ConfigError, GitHubError, Refused
from agentrails.github.promotion import Promotion, promote
from agentrails.github.protection.rulesets import default_branches
from agentrails.github.repository import resolve_repo

EXIT_DONE, EXIT_REFUSED, EXIT_USAGE = 0, 1, 2


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
    return Promotion(repo, source, target, args.sha, args.dry_run)


def run(args: argparse.Namespace) -> int:
    """Exit 0 when promoted (or nothing to do), 1 when refused, 2 on a usage, configuration
    or API error."""
    try:
        plan = plan_from(args, Path.cwd())
        promote(client_from_env(), plan, print)
    except Refused as refusal:
        print(f"agentrails promote: {refusal}", file=sys.stderr)
        for reason in refusal.reasons:
            print(f"  - {reason}", file=sys.stderr)
        return EXIT_REFUSED
    except (ConfigError, GitHubError) as error:
        print(f"agentrails promote: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (KeyError, TypeError, AttributeError) as error:
        print(f"agentrails promote: GitHub answered in a shape agentrails does not know "
              f"({type(error).__name__}: {error})", file=sys.stderr)
        return EXIT_USAGE
    return EXIT_DONE
