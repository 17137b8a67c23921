"""Where the token may travel and how long a request may take, against real local servers:
redirects followed only on the API's origin (a second server on another loopback address,
and ``localhost`` for ``127.0.0.1``, play the other host and must receive nothing), plain
HTTP refused except to loopback, a bounded retry budget, and a deadline per request."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.github.client import Backoff, GitHub, api_url_from_env
from agentrails.github.errors import ConfigError, GitHubError
from agentrails.github.transport import check_transport, is_loopback, origin, same_origin
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, assert_no_token, history

NOW = 1_700_000_000.0
REPO = "/repos/acme/shop"
CODES = (301, 302, 303, 307, 308)


def client(url: str, sleeps: list[float], attempts: int = 5, timeout: float = 30.0,
           **backoff: float) -> GitHub:
    policy = Backoff(attempts=attempts, sleep=sleeps.append, clock=lambda: NOW, **backoff)
    return GitHub(TOKEN, url, policy, timeout=timeout)


def failure(call: Callable[[], object]) -> GitHubError:
    with pytest.raises(GitHubError) as caught:
        call()
    assert_no_token(str(caught.value), repr(caught.value))
    return caught.value


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub(history().repo, TOKEN) as running:
        yield running


@pytest.fixture
def other_host() -> Iterator[FakeGitHub]:
    """The same repository served on 127.0.0.2: following a redirect there would work."""
    with FakeGitHub(history().repo, TOKEN, host="127.0.0.2") as running:
        yield running


@pytest.mark.parametrize("code", CODES)
def test_a_redirect_to_another_address_is_not_followed(server: FakeGitHub,
                                                       other_host: FakeGitHub,
                                                       code: int) -> None:
    server.fail(code, None, {"Location": f"{other_host.url}{REPO}"})
    error = failure(lambda: client(server.url, []).get(REPO))
    port = other_host.httpd.server_address[1]
    assert error.status == code
    assert f"({code}) to another host, 127.0.0.2:{port}, where agentrails does not send " \
           "the token" in str(error)
    assert other_host.requests == []  # not with the token, not without it
    assert client(other_host.url, []).get(REPO)["full_name"] == "acme/shop"  # it does answer


@pytest.mark.parametrize("code", CODES)
def test_localhost_is_another_host_than_127_0_0_1(server: FakeGitHub, code: int) -> None:
    port = server.httpd.server_address[1]
    server.fail(code, None, {"Location": f"http://localhost:{port}{REPO}"})
    error = failure(lambda: client(server.url, []).get(REPO))
    assert f"to another host, localhost:{port}" in str(error)
    assert len(server.requests) == 1


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("relative", [False, True])
def test_a_redirect_on_the_same_origin_is_followed_with_the_token(
        server: FakeGitHub, code: int, relative: bool) -> None:
    server.fail(code, None, {"Location": REPO if relative else f"{server.url}{REPO}"})
    assert client(server.url, []).get("/repos/acme/old-name")["full_name"] == "acme/shop"
    assert [item.path for item in server.requests] == ["/repos/acme/old-name", REPO]
    assert server.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_a_redirect_with_user_info_is_another_origin(server: FakeGitHub) -> None:
    port = server.httpd.server_address[1]
    server.fail(302, None, {"Location": f"http://someone@127.0.0.1:{port}{REPO}"})
    failure(lambda: client(server.url, []).get(REPO))
    assert len(server.requests) == 1


@pytest.mark.parametrize("url", ["http://api.github.com", "http://ghe.invalid/api/v3",
                                 "http://10.0.0.1:8080", "http://127.0.0.1.nip.io",
                                 "HTTP://GHE.INVALID", "http://[2001:db8::1]:80"])
def test_plain_http_is_refused_except_to_loopback(url: str) -> None:
    with pytest.raises(ConfigError, match="plain http:// to .*: the token would travel "
                                          "unencrypted; use https://"):
        api_url_from_env({"GITHUB_API_URL": url})
    with pytest.raises(ConfigError, match="plain http://"):
        GitHub(TOKEN, url)


@pytest.mark.parametrize("url", ["http://127.0.0.1:1", "http://127.8.9.10", "http://[::1]:80",
                                 "http://localhost:8080/api/v3", "https://ghe.invalid/api/v3",
                                 "https://api.github.com"])
def test_https_and_loopback_are_accepted(url: str) -> None:
    assert api_url_from_env({"GITHUB_API_URL": url}) == url.rstrip("/")


def test_user_info_in_the_api_url_is_refused() -> None:
    with pytest.raises(ConfigError, match="must not hold user info"):
        api_url_from_env({"GITHUB_API_URL": "https://x:secret@ghe.invalid/api/v3"})


@given(st.ip_addresses(v=4))
def test_plain_http_goes_only_to_loopback_ipv4(address: object) -> None:
    url = f"http://{address}:8080"
    if str(address).startswith("127."):
        check_transport(url)
    else:
        with pytest.raises(ConfigError):
            check_transport(url)


@given(st.sampled_from(["http", "https"]), st.sampled_from(["h.example", "H.Example"]),
       st.sampled_from(["", ":443", ":80", ":8443"]), st.text("abc/", max_size=8))
def test_same_origin_compares_scheme_host_and_port(scheme: str, host: str, port: str,
                                                   path: str) -> None:
    base = "https://h.example"
    expected = scheme == "https" and port in ("", ":443")
    assert same_origin(f"{scheme}://{host}{port}/{path}", base) is expected
    assert not same_origin(f"{scheme}://u@{host}{port}/{path}", base)


def test_origin_boundaries() -> None:
    assert origin("https://api.github.com") == ("https", "api.github.com", 443)
    assert origin("http://127.0.0.1:99999") is None  # a port out of range
    assert origin("/relative/only") is None
    assert is_loopback("127.255.0.1") and is_loopback("[::1]") and is_loopback("a.localhost")
    assert not is_loopback("localhost.example") and not is_loopback("128.0.0.1")


def test_waiting_stops_at_the_budget(server: FakeGitHub) -> None:
    sleeps: list[float] = []
    server.fail(429, {"message": "slow down"}, {"Retry-After": "100"}, times=20)
    error = failure(lambda: client(server.url, sleeps, attempts=10, budget=300).get(REPO))
    assert error.status == 429 and sleeps == [100.0, 100.0, 100.0]
    assert len(server.requests) == 4


def test_backoff_stops_at_the_budget(server: FakeGitHub) -> None:
    sleeps: list[float] = []
    server.fail(503, {"message": "Service Unavailable"}, times=20)
    failure(lambda: client(server.url, sleeps, attempts=10, budget=20).get(REPO))
    assert sleeps == [1.0, 2.0, 4.0, 8.0] and len(server.requests) == 5


@contextmanager
def raw_server(answer: Callable[[socket.socket], None]) -> Iterator[str]:
    """A listener on 127.0.0.1 that hands every connection to ``answer``."""
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            threading.Thread(target=answer, args=(connection,), daemon=True).start()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(5)
        listener.close()


def silent(connection: socket.socket) -> None:
    with connection:
        time.sleep(3)


def trickle(connection: socket.socket) -> None:
    """Headers at once, then ten bytes every 50 ms of a body that would take 10 s."""
    with connection:
        connection.recv(65536)
        connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                           b"Content-Length: 2000\r\n\r\n")
        try:
            for _ in range(200):
                connection.sendall(b" " * 10)
                time.sleep(0.05)
        except OSError:
            pass  # the client gave up and closed


@pytest.mark.parametrize(("answer", "said"), [(silent, "timed out"),
                                              (trickle, "took longer than 0.3 s")])
def test_each_request_has_a_deadline(answer: Callable[[socket.socket], None],
                                     said: str) -> None:
    sleeps: list[float] = []
    with raw_server(answer) as url:
        started = time.monotonic()
        error = failure(lambda: client(url, sleeps, attempts=2, timeout=0.3).get(REPO))
        elapsed = time.monotonic() - started
    assert str(error).startswith("cannot reach GitHub for GET /repos/acme/shop:")
    assert said in str(error)
    assert sleeps == [1.0] and elapsed < 2.0
