"""A fleet on the fake GitHub: an organisation whose repositories were made from the template at
several releases (the answers file spelt in every way copier records it), or from another
template, or from none; with red, pending and missing gates, update pull requests of Renovate
and of the template-update workflow among unrelated ones, the template's rulesets on GitHub
and in ``.github/rulesets/``, and drift where a test asks for it. ``Expected`` records what
the fleet view must say about each repository, from the same choices that built it."""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import render_rulesets

SOURCES = ("https://github.com/agentrails/agentrails.git", "gh:agentrails/agentrails",
           "https://github.com/AgentRails/agentrails/", "git@github.com:agentrails/agentrails.git",
           "git+https://github.com/agentrails/agentrails")
OTHER_TEMPLATE = "https://github.com/acme/python-template.git"
RENOVATE_BRANCH = "renovate/https-github.com-agentrails-agentrails.git-0.x"


@dataclass
class Expected:
    """What the report must say about one repository (None: not in the report)."""

    release: str | None = None
    pull: tuple[int, str, str] | None = None  # number, branch, source
    gate: str | None = None
    drift: str | None = None
    differs: tuple[str, ...] = ()
    problem: str = ""


@dataclass
class Fleet:
    """The organisation as built, and what the report must say."""

    owner: str
    expected: dict[str, Expected] = field(default_factory=dict)


def ruleset_texts(scratch: Path) -> dict[str, str]:
    """The template's rulesets rendered once: file name -> JSON text."""
    folder = render_rulesets(scratch)
    return {path.name: path.read_text(encoding="utf-8") for path in sorted(folder.glob("*.json"))}


def answers(source: str, release: str) -> str:
    return (f"# Changes here will be overwritten by Copier; NEVER EDIT MANUALLY\n"
            f"_commit: {release}\n_src_path: {source}\nproject_name: demo\n")


def _gate(repo: FakeRepo, sha: str, index: int) -> str:
    """Runs on the default branch's head; the latest ``gate`` run decides."""
    repo.add_run(sha, "lint", conclusion="failure")  # another check: never counted
    if index % 11 == 5:
        return "missing"
    repo.add_run(sha, "gate", conclusion="failure")  # an earlier try
    if index % 7 == 3:
        return "failure"
    if index % 13 == 4:
        repo.add_run(sha, "gate", status="in_progress")
        return "pending"
    conclusion = "timed_out" if index % 17 == 9 else "success"
    repo.add_run(sha, "gate", conclusion=conclusion)
    return conclusion


def _pulls(repo: FakeRepo, index: int, release: str) -> tuple[int, str, str] | None:
    """Unrelated pull requests everywhere; an update one for some of the older releases."""
    repo.open_pull("feature/checkout")
    repo.open_pull("renovate/pytest-8.x", labels=("dependencies",))
    if release == "v0.3.0" or index % 3 == 0:
        return None
    if index % 2:
        branch, source = RENOVATE_BRANCH, "renovate"
        number = repo.open_pull(branch, labels=("template-update",))
    else:
        branch, source = "template-update/v0.3.0", "template-update"
        number = repo.open_pull(branch)
    return number, branch, source


def _rulesets(repo: FakeRepo, texts: dict[str, str], index: int, drifted: bool) -> Expected:
    if index % 19 == 7:
        return Expected(drift="no-files")
    for name, text in texts.items():
        repo.files[f".github/rulesets/{name}"] = text
        body = json.loads(text)
        repo.rulesets[next(repo.ids)] = copy.deepcopy(body)
    if not drifted:
        return Expected(drift="in-sync")
    staging = next(body for body in repo.rulesets.values() if body["name"] == "staging")
    review = next(rule for rule in staging["rules"] if rule["type"] == "pull_request")
    review["parameters"]["required_approving_review_count"] = 0  # someone loosened it by hand
    return Expected(drift="drifted", differs=("ruleset staging",))


def template_repo(owner: str, index: int, release: str, texts: dict[str, str],
                  drifted: bool = False) -> tuple[FakeRepo, Expected]:
    """A repository made from the template at ``release``."""
    repo = FakeRepo(owner=owner, name=f"app-{index:03d}")
    sha = repo.commit()
    repo.branches[repo.default_branch] = sha
    repo.files[".copier-answers.yml"] = answers(SOURCES[index % len(SOURCES)], release)
    expected = _rulesets(repo, texts, index, drifted)
    expected.release = release
    expected.gate = _gate(repo, sha, index)
    expected.pull = _pulls(repo, index, release)
    return repo, expected


def other_repo(owner: str, index: int) -> FakeRepo:
    """A repository of the owner not made from the template."""
    repo = FakeRepo(owner=owner, name=f"app-{index:03d}")
    repo.branches[repo.default_branch] = repo.commit()
    if index % 2:
        repo.files[".copier-answers.yml"] = answers(OTHER_TEMPLATE, "v2.0.0")
    repo.files["README.md"] = "# not from agentrails\n"
    return repo


def release_of(index: int) -> str:
    """80 template repositories at three releases: 30, 30 and 20."""
    return "v0.1.0" if index < 30 else "v0.2.0" if index < 60 else "v0.3.0"


def build(server: FakeGitHub, scratch: Path, owner: str = "acme", total: int = 120,
          from_template: int = 80, drifted: int = 42) -> Fleet:
    """``total`` repositories of ``owner``, the first ``from_template`` made from the
    template (interleaved with the others in the listing), one ruleset drifted."""
    texts = ruleset_texts(scratch)
    fleet = Fleet(owner)
    made = 0
    for index in range(total):
        if index % 3 == 2 or made >= from_template:
            server.add(other_repo(owner, index))
            continue
        repo, expected = template_repo(owner, index, release_of(made), texts, made == drifted)
        made += 1
        server.add(repo)
        fleet.expected[repo.full_name] = expected
    assert made == from_template, "not enough room for the template repositories"
    return fleet


def as_found(entry: dict[str, Any]) -> Expected:
    """A repository of the JSON report, in the terms of ``Expected``."""
    pull = entry["update_pull"]
    rulesets = entry["rulesets"] or {}
    return Expected(
        release=entry["release"],
        pull=None if pull is None else (pull["number"], pull["branch"], pull["source"]),
        gate=entry["gate"], drift=rulesets.get("state"),
        differs=tuple(rulesets.get("differs", ())),
        problem="; ".join(entry["problems"]))
