"""Set-up shared by the protect, promote and client tests: a project with the template's
rulesets rendered, a fake GitHub holding a staging/production history, and the environment
the commands read (token, API URL, repository), with retries that wait for nothing."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import pytest

from agentrails.github import client as client_module
from tests.helpers.github_fake import FakeRepo
from tests.helpers.github_server import FakeGitHub
from tests.helpers.paths import TEMPLATE as TEMPLATE_ROOT

TOKEN = "ghs_TESTtoken0123456789abcdefSECRET"  # a fake token the tests hunt for
TEMPLATE_RULESETS = TEMPLATE_ROOT / ".github" / "rulesets"
ANSWERS = {"staging_branch": "main", "production_branch": "production",
           "promote_workflow": True, "promotion_app_id": 123456}


def render_rulesets(project: Path, **answers: Any) -> Path:
    """The template's ``.github/rulesets/*.json`` rendered into ``project`` with ``answers``."""
    values = {**ANSWERS, **answers}
    folder = project / ".github" / "rulesets"
    folder.mkdir(parents=True, exist_ok=True)
    env = jinja2.Environment(keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    for source in sorted(TEMPLATE_RULESETS.glob("*.json.jinja")):
        text = env.from_string(source.read_text(encoding="utf-8")).render(**values)
        json.loads(text)
        (folder / source.name.removesuffix(".jinja")).write_text(text, encoding="utf-8")
    return folder


def rulesets_of(project: Path) -> list[dict[str, Any]]:
    return [json.loads(path.read_text()) for path in
            sorted((project / ".github" / "rulesets").glob("*.json"))]


@dataclass
class History:
    """A repository whose staging is two commits ahead of production."""

    repo: FakeRepo
    base: str
    middle: str
    head: str
    side: str = ""
    names: dict[str, str] = field(default_factory=dict)


def history(staging: str = "main", production: str = "production") -> History:
    """base <- middle <- head on staging; production at base; a side commit off base."""
    repo = FakeRepo(default_branch=staging, actor_app_id=123456)
    base = repo.commit()
    middle = repo.commit(base)
    head = repo.commit(middle)
    side = repo.commit(base)
    repo.branches.update({staging: head, production: base})
    return History(repo, base, middle, head, side)


@dataclass
class Env:
    server: FakeGitHub
    project: Path
    sleeps: list[float]


@contextmanager
def github_env(monkeypatch: pytest.MonkeyPatch, project: Path, repo: FakeRepo,
               prefix: str = "") -> Iterator[Env]:
    """A running fake GitHub for ``repo`` and the environment pointing at it."""
    with FakeGitHub(repo, TOKEN, prefix) as server, \
            environment(monkeypatch, server, project) as env:
        yield env


@contextmanager
def environment(monkeypatch: pytest.MonkeyPatch, server: FakeGitHub,
                project: Path) -> Iterator[Env]:
    """The environment the commands read, pointing at a running ``server``; afterwards, the
    server must have refused no request and given no answer its description disowns."""
    sleeps: list[float] = []
    monkeypatch.setenv("GH_TOKEN", TOKEN)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    monkeypatch.setenv("GITHUB_API_URL", server.url)
    if server.repos:
        monkeypatch.setenv("GITHUB_REPOSITORY", server.repo.full_name)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(client_module, "default_backoff", lambda: client_module.Backoff(
        sleep=sleeps.append, clock=lambda: 1_700_000_000.0))
    monkeypatch.chdir(project)
    yield Env(server, project, sleeps)
    assert not server.rejected, server.rejected
    assert not server.bad_responses, server.bad_responses


def assert_no_token(*texts: str) -> None:
    """The token appears in none of ``texts``."""
    for text in texts:
        assert TOKEN not in text
        assert TOKEN[4:] not in text


def token_free(cli: Callable[..., Any], command: str) -> Callable[..., Any]:
    """``agentrails COMMAND ARGS`` through ``cli``, asserting its output never holds the token."""

    def run(*args: str) -> Any:
        outcome = cli(command, *args)
        assert_no_token(outcome.out, outcome.err)
        return outcome

    return run
