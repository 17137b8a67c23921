"""The REST client against the local GitHub: retries and backoff, rate limits, clear messages,
pagination, redirects, and a token that never shows up in any message, log or exception."""

from __future__ import annotations

import email.utils
import logging
import socket
import threading
from collections.abc import Iterator

import pytest

from agentrails.github.client import (
    Backoff,
    GitHub,
    api_url_from_env,
    next_link,
    token_from_env,
)
from agentrails.github.errors import ConfigError, GitHubError
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, assert_no_token, history

NOW = 1_700_000_000.0
REPO = "/repos/acme/shop"


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub(history().repo, TOKEN) as running:
        yield running


@pytest.fixture
def sleeps() -> list[float]:
    return []


def client(server: FakeGitHub, sleeps: list[float], token: str = TOKEN,
           attempts: int = 5) -> GitHub:
    backoff = Backoff(attempts=attempts, sleep=sleeps.append, clock=lambda: NOW)
    return GitHub(token, server.url, backoff)


def failure(call: object) -> GitHubError:
    with pytest.raises(GitHubError) as caught:
        call()  # type: ignore[operator]
    error = caught.value
    chain: BaseException | None = error
    while chain is not None:  # nothing in the exception chain carries the token
        assert_no_token(str(chain), repr(chain), repr(getattr(chain, "args", "")))
        chain = chain.__cause__ or chain.__context__
    return error


def test_server_errors_are_retried_with_backoff(server: FakeGitHub, sleeps: list[float]) -> None:
    for status in (500, 502, 504):
        server.fail(status, {"message": "oops"})
    assert client(server, sleeps).get(REPO)["full_name"] == "acme/shop"
    assert sleeps == [1.0, 2.0, 4.0]
    assert len(server.requests) == 4


def test_retries_stop_after_the_last_attempt(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(503, {"message": "Service Unavailable"}, times=10)
    error = failure(lambda: client(server, sleeps).get(REPO))
    assert error.status == 503
    assert "GitHub kept failing GET /repos/acme/shop (503: Service Unavailable)" in str(error)
    assert len(server.requests) == 5 and sleeps == [1.0, 2.0, 4.0, 8.0]


@pytest.mark.parametrize(("headers", "wait"), [
    ({"Retry-After": "2"}, 2.0),
    ({"Retry-After": email.utils.formatdate(NOW + 7, usegmt=True)}, 7.0),
    ({"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 30)}, 31.0),
    ({}, 60.0),
])
@pytest.mark.parametrize("status", [403, 429])
def test_rate_limits_wait_as_told(server: FakeGitHub, sleeps: list[float], status: int,
                                  headers: dict[str, str], wait: float) -> None:
    server.fail(status, {"message": "You have exceeded a secondary rate limit."}, headers)
    assert client(server, sleeps).get(REPO)["private"] is False
    assert sleeps == [wait]


def test_a_far_reset_is_not_waited_for(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(403, {"message": "API rate limit exceeded"},
                {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(NOW) + 3600)})
    error = failure(lambda: client(server, sleeps).get(REPO))
    assert "rate limit is used up until" in str(error) and "in about 60 min" in str(error)
    assert sleeps == []


def test_a_forbidden_request_is_not_retried(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(403, {"message": "Resource not accessible by integration"})
    error = failure(lambda: client(server, sleeps).get(REPO))
    assert str(error).startswith("GitHub refused GET /repos/acme/shop (403: Resource not "
                                 "accessible by integration): the token lacks a permission")
    assert sleeps == [] and len(server.requests) == 1


def test_401_says_what_to_fix(server: FakeGitHub, sleeps: list[float]) -> None:
    error = failure(lambda: client(server, sleeps, token="ghs_expired").get(REPO))
    assert error.status == 401 and error.github_message == "Bad credentials"
    assert "GitHub rejected the token (401: Bad credentials) for GET /repos/acme/shop" in str(error)
    assert "set GH_TOKEN or GITHUB_TOKEN to a valid, unexpired token" in str(error)
    assert sleeps == []


def test_404_and_422_messages(server: FakeGitHub, sleeps: list[float]) -> None:
    github = client(server, sleeps)
    error = failure(lambda: github.get("/repos/acme/other"))
    assert str(error) == ("GitHub found nothing at GET /repos/acme/other (404: Not Found): the "
                          "repository, branch or object does not exist, or the token cannot "
                          "see it")
    error = failure(lambda: github.get(f"{REPO}/commits/0000000/check-runs"))
    assert str(error) == ("GitHub refused GET /repos/acme/shop/commits/0000000/check-runs "
                          "(422: No commit found for SHA: 0000000)")


def test_nothing_listening_is_said(sleeps: list[float]) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    github = GitHub(TOKEN, f"http://127.0.0.1:{port}",
                    Backoff(attempts=2, sleep=sleeps.append, clock=lambda: NOW), timeout=5)
    error = failure(lambda: github.get(REPO))
    assert str(error).startswith("cannot reach GitHub for GET /repos/acme/shop:")
    assert error.status is None and sleeps == [1.0]


def test_pages_are_followed(server: FakeGitHub, sleeps: list[float]) -> None:
    for number in range(250):
        server.repo.rulesets[10_000 + number] = {"name": f"r{number}", "enforcement": "active"}
    listed = client(server, sleeps).paginate(f"{REPO}/rulesets")
    assert [item["name"] for item in listed] == [f"r{number}" for number in range(250)]
    pages = [item for item in server.requests if item.path.endswith("/rulesets")]
    assert [item.query.get("page", "1") for item in pages] == ["1", "2", "3"]


def test_a_next_page_on_another_host_is_not_followed(server: FakeGitHub,
                                                     sleeps: list[float]) -> None:
    server.fail(200, [], {"Link": '<http://127.0.0.2:9/repos/acme/shop/rulesets?page=2>; '
                                  'rel="next"'})
    error = failure(lambda: client(server, sleeps).paginate(f"{REPO}/rulesets"))
    assert "another host (127.0.0.2:9)" in str(error)


def test_redirects_stay_on_the_api_host(server: FakeGitHub, sleeps: list[float]) -> None:
    server.fail(301, {"message": "Moved Permanently"},
                {"Location": "http://127.0.0.2:9/repositories/1"})
    error = failure(lambda: client(server, sleeps).get(REPO))
    assert error.status == 301 and "renamed or moved" in str(error)
    server.fail(307, None, {"Location": f"{server.url}{REPO}"})
    assert client(server, sleeps).get(f"{REPO}/old-name")["full_name"] == "acme/shop"
    assert server.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_the_token_never_shows(server: FakeGitHub, sleeps: list[float],
                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG, logger="agentrails.github")
    server.fail(500, {"message": f"echo of Bearer {TOKEN}"}, times=5)
    github = client(server, sleeps)
    error = failure(lambda: github.get(REPO))
    assert "echo of Bearer ***" in str(error) and "***" in error.github_message
    assert_no_token(caplog.text, repr(github), str(vars(github.backoff)))
    assert "retrying in 1.0 s (try 2 of 5)" in caplog.text


def test_a_body_goes_out_only_if_its_schema_takes_it(server: FakeGitHub,
                                                     sleeps: list[float]) -> None:
    github = client(server, sleeps)
    with pytest.raises(ValueError, match="needs its schema"):
        github.request("PATCH", f"{REPO}/git/refs/heads/main", {"sha": "a" * 40})
    error = failure(lambda: github.request("PATCH", f"{REPO}/git/refs/heads/main",
                                           {"sha": "a" * 40, "force": True}, schema="ref-update"))
    assert "breaks the ref-update schema: $.force: must be false" in str(error)
    assert server.requests == []


def test_token_and_url_from_the_environment() -> None:
    assert token_from_env({"GH_TOKEN": " a ", "GITHUB_TOKEN": "b"}) == "a"
    assert token_from_env({"GH_TOKEN": " ", "GITHUB_TOKEN": "b"}) == "b"
    with pytest.raises(ConfigError, match="set GH_TOKEN or GITHUB_TOKEN"):
        token_from_env({})
    assert api_url_from_env({}) == "https://api.github.com"
    assert api_url_from_env({"GITHUB_API_URL": "https://ghe.example/api/v3/"}) == \
        "https://ghe.example/api/v3"
    for bad in ("api.github.com", "ftp://x", "https://x/api?y=1"):
        with pytest.raises(ConfigError, match="GITHUB_API_URL"):
            api_url_from_env({"GITHUB_API_URL": bad})


def test_next_link() -> None:
    header = ('<https://api.github.com/x?page=1>; rel="prev", '
              '<https://api.github.com/x?page=3>; rel="next", <https://a/x>; rel="last"')
    assert next_link(header) == "https://api.github.com/x?page=3"
    assert next_link('<https://a/x>; rel="last"') is None
    assert next_link("") is None


def test_backoff_is_capped() -> None:
    backoff = Backoff(base=1.0, longest=10.0)
    assert [backoff.exponential(n) for n in range(6)] == [1.0, 2.0, 4.0, 8.0, 10.0, 10.0]


def test_a_garbled_answer_is_said(sleeps: list[float]) -> None:
    """Something that is not HTTP at all (a proxy gone wrong) is a clear error too."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]

        def answer() -> None:
            for _ in range(2):
                connection, _ = listener.accept()
                with connection:
                    connection.recv(65536)
                    connection.sendall(b"garbage\r\n\r\n")

        thread = threading.Thread(target=answer, daemon=True)
        thread.start()
        github = GitHub(TOKEN, f"http://127.0.0.1:{port}",
                        Backoff(attempts=2, sleep=sleeps.append, clock=lambda: NOW), timeout=5)
        error = failure(lambda: github.get(REPO))
        thread.join(5)
    assert str(error).startswith("cannot reach GitHub for GET /repos/acme/shop:")
