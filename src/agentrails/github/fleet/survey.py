"""The fleet view: an owner's repositories made from the template, and where each stands.

Read-only, one repository after another (GitHub asks integrations not to send requests in
parallel): ``GET /users/{owner}`` (user or organisation), its repositories page by page, the
answers file of each (contents API), and for those made from the template an update pull
request, the ``gate`` on the default branch and ruleset drift (``fleet_checks``). A failure
about one repository becomes a problem line of that repository; the rest is still reported.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from agentrails.github.client import GitHub
from agentrails.github.contents import ContentError, read_text
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.fleet.answers import (
    ANSWERS_FILE,
    AnswersError,
    parse_answers,
    same_template,
    template_name,
)
from agentrails.github.fleet.checks import Drift, UpdatePull, gate_state, ruleset_drift, update_pull
from agentrails.github.repository import quote

DEFAULT_TEMPLATE = "https://github.com/agentrails/agentrails"
EXPECTED = (GitHubError, ConfigError, ContentError, AnswersError)
SHAPE = (KeyError, TypeError, AttributeError, ValueError)


@dataclass
class RepoStatus:
    """One repository of the report; None where something could not be found out (then a
    line in ``problems`` says why)."""

    repository: str
    url: str
    default_branch: str
    release: str | None = None
    update_pull: UpdatePull | None = None
    gate: str | None = None
    drift: Drift | None = None
    problems: list[str] = field(default_factory=list)


@dataclass
class Fleet:
    """The report: what was scanned, and the repositories made from the template (or whose
    answers file could not be read)."""

    owner: str
    template: str
    topic: str | None
    scanned: int = 0
    archived: int = 0
    repositories: list[RepoStatus] = field(default_factory=list)


def _problem(error: Exception) -> str:
    """One line about ``error``: its own words, or what an unexpected shape means."""
    if not isinstance(error, EXPECTED):
        return f"GitHub answered in a shape agentrails does not know ({type(error).__name__})"
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return "; ".join(lines) or type(error).__name__


def owner_repositories(client: GitHub, owner: str) -> list[dict[str, Any]]:
    """Every repository of ``owner``: all of an organisation's the token can see, a user's
    own (public ones only, unless the token is the user's)."""
    try:
        kind = client.get(f"/users/{quote(owner)}").get("type")
    except GitHubError as error:
        if error.status == 404:
            raise ConfigError(f"no GitHub user or organisation named {owner!r} (or the token "
                              "cannot see it)") from None
        raise
    if kind == "Organization":
        return client.paginate(f"/orgs/{quote(owner)}/repos", {"type": "all"})
    return client.paginate(f"/users/{quote(owner)}/repos", {"type": "owner"})


def _wanted(item: dict[str, Any], topic: str | None) -> bool:
    if topic is None:
        return True
    return topic.lower() in {str(name).lower() for name in item.get("topics") or []}


def inspect_repository(client: GitHub, item: dict[str, Any], template: str) -> RepoStatus | None:
    """The status of one listed repository; None when it is not made from ``template``."""
    name = str(item["full_name"])
    status = RepoStatus(name, str(item.get("html_url") or ""),
                        str(item.get("default_branch") or "main"))
    try:
        text = read_text(client, name, ANSWERS_FILE)
        if text is None:
            return None
        answers = parse_answers(text)
    except EXPECTED + SHAPE as error:
        status.problems.append(f"answers file {ANSWERS_FILE}: {_problem(error)}")
        return status
    if not same_template(answers.src_path, template):
        return None
    status.release = answers.commit
    if answers.commit is None:
        status.problems.append(f"answers file {ANSWERS_FILE}: no _commit (not made from a "
                               "tagged release)")
    slug = template_name(template)
    _look(status, "update_pull", "update pull request", lambda: update_pull(client, name, slug))
    _look(status, "gate", "gate", lambda: gate_state(client, name, status.default_branch))
    _look(status, "drift", "rulesets", lambda: ruleset_drift(client, name))
    return status


def _look(status: RepoStatus, attribute: str, what: str, find: Callable[[], Any]) -> None:
    """Set ``attribute`` of ``status`` to what ``find`` finds, or add a problem saying why
    ``what`` could not be found out."""
    try:
        setattr(status, attribute, find())
    except EXPECTED + SHAPE as error:
        status.problems.append(f"{what}: {_problem(error)}")


def survey(client: GitHub, owner: str, template: str, topic: str | None = None,
           progress: Callable[[RepoStatus], None] | None = None) -> Fleet:
    """The fleet of ``owner``: every repository (of ``topic``) made from ``template``.
    Archived repositories are counted and skipped: no update reaches them."""
    fleet = Fleet(owner, template, topic)
    for item in owner_repositories(client, owner):
        if not _wanted(item, topic):
            continue
        fleet.scanned += 1
        if item.get("archived"):
            fleet.archived += 1
            continue
        status = inspect_repository(client, item, template)
        if status is not None:
            fleet.repositories.append(status)
            if progress is not None:
                progress(status)
    fleet.repositories.sort(key=lambda status: status.repository.lower())
    return fleet
