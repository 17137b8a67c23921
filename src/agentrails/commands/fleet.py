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

from agentrails.commands.common import EXIT_CLEAN, emit, github_answers
from agentrails.commands.fleet_output import as_json, as_markdown
from agentrails.errors import UsageError
from agentrails.github.client import client_from_env
from agentrails.github.fleet.answers import template_key
from agentrails.github.fleet.survey import DEFAULT_TEMPLATE, RepoStatus, survey

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
        raise UsageError(f"--owner must be a GitHub user or organisation name, got {owner!r}")
    template = args.template or DEFAULT_TEMPLATE
    if template_key(template) is None:
        raise UsageError(f"--template must name a hosted git repository (a URL, "
                         f"gh:OWNER/NAME or OWNER/NAME), got {template!r}")
    topic = args.topic.strip().lower() if args.topic else None
    return owner, template, topic or None


def run(args: argparse.Namespace) -> int:
    """Survey the owner's repositories and write the report: exit 0 when it is written,
    problems of single repositories included; a usage, configuration or listing error is
    raised."""
    owner, template, topic = _arguments(args)
    client = client_from_env()
    with github_answers():
        found = survey(client, owner, template, topic=topic, progress=_progress)
    if args.format == "json":
        text = json.dumps(as_json(found), indent=2) + "\n"
    else:
        text = as_markdown(found)
    emit(text, args.output)
    troubled = sum(bool(status.problems) for status in found.repositories)
    _say(f"{found.scanned} repositories scanned, {len(found.repositories)} from the template, "
         f"{troubled} with problems")
    return EXIT_CLEAN
