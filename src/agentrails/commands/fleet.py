"""``agentrails fleet --owner ORG [--topic T] [--template URL] [--format markdown|json]
[--output FILE]``: where an owner's repositories made from the template stand.

Exit 0 when the report was produced, problems of single repositories included (each is a
line of the report and of stderr); 2 on a usage or configuration error (no token, an owner
that does not exist or cannot be seen, a bad ``GITHUB_API_URL``, a file that cannot be
written) or when GitHub fails the listing itself. The token is read from ``GH_TOKEN`` or
``GITHUB_TOKEN`` and never printed; every request is a read.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from agentrails.commands.fleet_output import as_json, as_markdown
from agentrails.github.client import client_from_env
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.fleet.answers import template_key
from agentrails.github.fleet.survey import DEFAULT_TEMPLATE, RepoStatus, survey

EXIT_REPORTED, EXIT_USAGE = 0, 2
OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")
PREFIX = "agentrails fleet"


def _say(message: str) -> None:
    print(f"{PREFIX}: {message}", file=sys.stderr)


def _progress(status: RepoStatus) -> None:
    for problem in status.problems:
        _say(f"{status.repository}: {problem}")


def _arguments(args: argparse.Namespace) -> tuple[str, str, str | None]:
    owner = str(args.owner).strip()
    if not OWNER.match(owner):
        raise ConfigError(f"--owner must be a GitHub user or organisation name, got {owner!r}")
    template = args.template or DEFAULT_TEMPLATE
    if template_key(template) is None:
        raise ConfigError(f"--template must name a hosted git repository (a URL, "
                          f"gh:OWNER/NAME or OWNER/NAME), got {template!r}")
    topic = args.topic.strip().lower() if args.topic else None
    return owner, template, topic or None


def _write(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ConfigError(f"cannot write {output}: {error.strerror or error}") from None


def fleet(args: argparse.Namespace) -> int:
    """Survey the owner's repositories and write the report."""
    owner, template, topic = _arguments(args)
    client = client_from_env()
    found = survey(client, owner, template, topic, progress=_progress)
    if args.format == "json":
        text = json.dumps(as_json(found), indent=2) + "\n"
    else:
        text = as_markdown(found)
    _write(text, args.output)
    troubled = sum(bool(status.problems) for status in found.repositories)
    _say(f"{found.scanned} repositories scanned, {len(found.repositories)} from the template, "
         f"{troubled} with problems")
    return EXIT_REPORTED


def run(args: argparse.Namespace) -> int:
    """Exit 0 when the report is written, 2 on a usage, configuration or listing error."""
    try:
        return fleet(args)
    except (ConfigError, GitHubError) as error:
        _say(str(error))
    except (KeyError, TypeError, AttributeError) as error:
        _say(f"GitHub answered in a shape agentrails does not know "
             f"({type(error).__name__}: {error})")
    return EXIT_USAGE
