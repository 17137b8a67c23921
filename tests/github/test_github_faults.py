"""The fault matrix of the GitHub client, through the three commands that use it (``protect
--check``, ``promote --dry-run``, ``fleet``): each fault the local GitHub can play, and what
the command does about it. Passing faults end exactly as a run without them; the others exit
2 with one line that says what happened. In every case, nothing on stdout, stderr or in any
log record (debug included) holds the token, and a second host never hears from us."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from tests.helpers.github_fleet import build
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import (
    TOKEN,
    Env,
    assert_no_token,
    environment,
    history,
    render_rulesets,
)
from tests.helpers.repo import Outcome

NOW = 1_700_000_000


@dataclass(frozen=True)
class Fault:
    """One row of the matrix: what the server does, and what must come of it."""

    name: str
    status: int = 0
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    times: int = 1
    said: str = ""  # '' when the command must end as it does without the fault
    sleeps: tuple[float, ...] = ()


FAULTS = [
    Fault("5xx, then an answer", 502, {"message": "Bad Gateway"}, times=3,
          sleeps=(1.0, 2.0, 4.0)),
    Fault("5xx on every try", 503, {"message": "Service Unavailable"}, times=99,
          said="GitHub kept failing", sleeps=(1.0, 2.0, 4.0, 8.0)),
    Fault("403 secondary rate limit, Retry-After", 403,
          {"message": "You have exceeded a secondary rate limit."}, {"Retry-After": "5"},
          sleeps=(5.0,)),
    Fault("429 with x-ratelimit-reset", 429, {"message": "API rate limit exceeded"},
          {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 30)}, sleeps=(31.0,)),
    Fault("403 primary rate limit, reset in an hour", 403, {"message": "API rate limit exceeded"},
          {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(NOW + 3600)}, times=99,
          said="rate limit is used up until"),
    Fault("401 that echoes the token", 401, {"message": f"Bad credentials: Bearer {TOKEN}"},
          times=99, said="GitHub rejected the token (401: Bad credentials: Bearer ***)"),
    Fault("301 to another host", 301, None, times=99, said="to another host, 127.0.0.2:"),
    Fault("307 to another host", 307, None, times=99, said="to another host, 127.0.0.2:"),
    Fault("nothing listening", said="cannot reach GitHub", sleeps=(1.0, 2.0, 4.0, 8.0)),
    Fault("plain http to a public host", said="plain http:// to api.example.com"),
]
COMMANDS = {"protect": ("protect", "--check"), "promote": ("promote", "--dry-run"),
            "fleet": ("fleet", "--owner", "acme", "--format", "json")}


@dataclass
class Setup:
    env: Env
    other: FakeGitHub


@pytest.fixture
def setup(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
          caplog: pytest.LogCaptureFixture) -> Iterator[Setup]:
    """acme/shop (protect, promote) and two template repositories of acme (fleet) on
    127.0.0.1; the same repository on 127.0.0.2, the other host."""
    caplog.set_level(logging.DEBUG, logger="agentrails.github")
    project = tmp_path / "project"
    render_rulesets(project)
    with FakeGitHub(history().repo, TOKEN) as server, \
            FakeGitHub(history().repo, TOKEN, host="127.0.0.2") as other:
        build(server, tmp_path / "scratch", total=3, from_template=2, drifted=0)
        with environment(monkeypatch, server, project) as env:
            yield Setup(env, other)
        assert other.requests == []
    assert_no_token(caplog.text)


def closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


def play(fault: Fault, setup: Setup, monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the server (or the environment) misbehave as ``fault`` says."""
    if fault.name == "nothing listening":
        monkeypatch.setenv("GITHUB_API_URL", closed_port())
    elif fault.name == "plain http to a public host":
        monkeypatch.setenv("GITHUB_API_URL", "http://api.example.com")
    else:
        headers = dict(fault.headers)
        if fault.status in (301, 307):
            headers["Location"] = f"{setup.other.url}/repos/acme/shop"
        setup.env.server.fail(fault.status, fault.body, headers, times=fault.times)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
@pytest.mark.parametrize("command", COMMANDS)
def test_fault_matrix(setup: Setup, cli: Callable[..., Outcome],
                      monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
                      command: str, fault: Fault) -> None:
    baseline = cli(*COMMANDS[command])
    assert baseline.code in (0, 1), baseline.err
    setup.env.sleeps.clear()
    play(fault, setup, monkeypatch)
    outcome = cli(*COMMANDS[command])
    assert_no_token(outcome.out, outcome.err, caplog.text)
    assert "Traceback" not in outcome.err
    assert tuple(setup.env.sleeps) == fault.sleeps
    if not fault.said:
        assert (outcome.code, outcome.out) == (baseline.code, baseline.out)
        return
    assert outcome.code == 2 and outcome.out == ""
    last = outcome.err.splitlines()[-1]
    assert last.startswith(f"agentrails {command}: ") and fault.said in last, outcome.err
