"""The token never shows in an error, in whatever spelling the error would carry it (as it
is, stripped, ``repr``'d as text or bytes, JSON-escaped, percent-encoded), and a loopback
API URL (the local stand-in, a tunnel) never goes through ``HTTP(S)_PROXY`` while another
host still does."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentrails.github.client import Backoff, GitHub
from agentrails.github.errors import REDACTED, GitHubError, redact
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN, history

REPO = "/repos/acme/shop"
PROXIES = ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy")
DEAD_PROXY = "http://127.0.0.1:9"  # the discard port: nothing listens there


def shown(token: str) -> list[str]:
    """How a message may spell ``token`` (written here independently of ``redact``)."""
    forms = [token, token.strip(), repr(token)[1:-1], repr(token.encode())[2:-1],
             json.dumps(token)[1:-1], urllib.parse.quote(token, safe=""),
             urllib.parse.quote_plus(token), json.dumps(token.strip())[1:-1],
             repr(token.strip().encode())[2:-1]]
    return [form for form in forms if form]


SECRET = st.text(min_size=8, max_size=40).filter(lambda t: t.strip() and "*" not in t)


@given(SECRET, st.sampled_from(range(9)), st.text(max_size=20), st.text(max_size=20))
def test_every_spelling_is_redacted(token: str, which: int, before: str, after: str) -> None:
    spelling = shown(token)[which % len(shown(token))]
    text = redact(f"{before}{spelling}{after}", token)
    assert REDACTED in text and spelling not in text


@pytest.mark.parametrize("token", [
    f"{TOKEN}\n",  # a token read from a file with its newline: the header is refused
    f" {TOKEN}\r\n",
    f'{TOKEN}"\\x',
    f"{TOKEN}é\x00",
])
def test_an_unusable_token_is_not_shown_in_the_error(token: str,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name in PROXIES:
        monkeypatch.delenv(name, raising=False)
    with FakeGitHub(history().repo, TOKEN) as server:
        client = GitHub(token, server.url, Backoff(attempts=1, sleep=lambda _: None))
        with pytest.raises(GitHubError) as caught:
            client.get(REPO)
    for text in (str(caught.value), repr(caught.value), caught.value.github_message):
        for form in shown(token):
            assert form not in text, (form, text)
        assert TOKEN not in text


@pytest.fixture
def proxied(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every proxy variable names a proxy that is not there; nothing bypasses it."""
    for name in PROXIES:
        monkeypatch.setenv(name, DEAD_PROXY)
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
    yield


@pytest.mark.usefixtures("proxied")
def test_a_loopback_api_is_reached_without_the_proxy() -> None:
    with FakeGitHub(history().repo, TOKEN) as server:
        client = GitHub(TOKEN, server.url, Backoff(attempts=1, sleep=lambda _: None))
        assert client.get(REPO)["full_name"] == "acme/shop"


@pytest.mark.usefixtures("proxied")
def test_another_host_still_goes_through_the_proxy() -> None:
    client = GitHub(TOKEN, "https://api.github.invalid", Backoff(attempts=1,
                                                               sleep=lambda _: None), timeout=5)
    with pytest.raises(GitHubError) as caught:
        client.get(REPO)
    assert "refused" in str(caught.value).lower(), str(caught.value)
    assert TOKEN not in str(caught.value)
