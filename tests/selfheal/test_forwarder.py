"""The Sentry forwarder with webhook bodies in Sentry's documented format: a correctly
signed issue alert becomes one ``production-error`` dispatch on the GitHub stand-in (its body
validated against GitHub's OpenAPI description), and an unsigned or wrongly signed request
is refused before anything is parsed or sent; as a function, as WSGI and as a server."""

from __future__ import annotations

import ast
import io
import json
import sys
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from agentrails.selfheal import forwarder, sentry
from agentrails.selfheal.forwarder import Config, ForwarderError, handle
from agentrails.selfheal.incident import from_event
from agentrails.selfheal.payload import EVENT_TYPE, MAX_BYTES, size
from tests.helpers.github_server import FakeGitHub
from tests.helpers.github_testing import TOKEN
from tests.helpers.paths import FIXTURES, SRC
from tests.helpers.selfheal import Clock, loop_repo

SECRET = "5f0e9c2b7a8d4e61b3c2a1f0e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0"
PAYLOADS = FIXTURES / "sentry"


def body_of(name: str) -> bytes:
    return (PAYLOADS / name).read_bytes()


def signed(body: bytes, resource: str = "event_alert", secret: str = SECRET) -> dict[str, str]:
    return {"Content-Type": "application/json", "Request-ID": "1f2e3d4c",
            "Sentry-Hook-Resource": resource, "Sentry-Hook-Timestamp": "1772442848",
            "Sentry-Hook-Signature": sentry.signature(secret, body)}


@pytest.fixture
def server() -> Iterator[FakeGitHub]:
    with FakeGitHub(loop_repo(Clock()), TOKEN) as running:
        yield running
        assert running.rejected == [] and running.bad_responses == []


@pytest.fixture
def config(server: FakeGitHub) -> Config:
    return Config(SECRET, TOKEN, "acme/shop", server.url)


def test_a_python_issue_alert_becomes_one_dispatch(server: FakeGitHub, config: Config) -> None:
    body = body_of("event-alert-python.json")
    assert handle(signed(body), body, config) == (202, "forwarded")
    (sent,) = server.repo.dispatches
    assert sent["event_type"] == EVENT_TYPE
    payload = sent["client_payload"]
    assert payload["fingerprint"] == "sentry:issue:4812239907"
    assert payload["title"] == "ZeroDivisionError: division by zero"
    assert payload["culprit"] == "billing.invoice in average_line_total"
    assert payload["environment"] == "production" and payload["release"] == "billing@2.4.1"
    assert payload["url"].startswith("https://acme.sentry.io/issues/4812239907/events/")
    assert payload["stacktrace"].splitlines() == [
        "Traceback (most recent call last):",
        '  File "billing/invoice.py", line 41, in load_lines',
        '    return payload["lines"]',
        "KeyError: 'lines'",
        "",
        "Traceback (most recent call last):",
        '  File "django/core/handlers/base.py", line 197, in _get_response',
        "    response = wrapped_callback(request, *callback_args, **callback_kwargs)",
        '  File "billing/views.py", line 88, in invoice_summary',
        "    average = average_line_total(invoice)",
        '  File "billing/invoice.py", line 57, in average_line_total',
        "    return sum(totals) / len(totals)",
        "ZeroDivisionError: division by zero",
    ]
    assert server.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"


def test_the_environment_may_come_from_the_tags(server: FakeGitHub, config: Config) -> None:
    body = body_of("event-alert-javascript.json")
    assert handle(signed(body), body, config)[0] == 202
    payload = server.repo.dispatches[0]["client_payload"]
    assert payload["environment"] == "web-prod" and "release" not in payload
    assert payload["stacktrace"].endswith(
        "TypeError: Cannot read properties of undefined (reading 'total')")


def test_the_forwarded_injection_is_cut_not_cleaned_and_the_intake_cleans_it(
    server: FakeGitHub, config: Config
) -> None:
    body = body_of("event-alert-injection.json")
    assert handle(signed(body), body, config)[0] == 202
    sent = server.repo.dispatches[0]
    assert "<script>" in sent["client_payload"]["title"]  # the forwarder does not sanitize
    incident = from_event({"action": sent["event_type"],
                           "client_payload": sent["client_payload"]})
    assert "<script>" not in incident.stacktrace and "&lt;script&gt;" in incident.stacktrace
    assert "@\u200doctocat" in incident.title and "\u200b" not in incident.title
    assert incident.link.startswith("https[:]//evil.example/phish")  # not clickable


@pytest.mark.parametrize(("headers", "status", "message"), [
    ({"Sentry-Hook-Resource": "event_alert"}, 401, "unsigned request refused"),
    ({"Sentry-Hook-Signature": ""}, 401, "unsigned request refused"),
    ({"Sentry-Hook-Signature": "0" * 64}, 401, "bad signature: refused"),
    ({"Sentry-Hook-Signature": "sha256=" + "0" * 64}, 401, "bad signature: refused"),
    ({"Sentry-Hook-Signature": "not hex at all"}, 401, "bad signature: refused"),
])
def test_unsigned_or_wrongly_signed_requests_are_refused(
    server: FakeGitHub, config: Config, headers: dict[str, str], status: int, message: str
) -> None:
    body = body_of("event-alert-python.json")
    assert handle({"Sentry-Hook-Resource": "event_alert", **headers}, body, config) == (
        status, message)
    assert server.requests == []


def test_a_signature_of_another_body_or_secret_is_refused(config: Config,
                                                          server: FakeGitHub) -> None:
    body = body_of("event-alert-python.json")
    tampered = body.replace(b"division by zero", b"division by zerO")
    assert handle(signed(body), tampered, config) == (401, "bad signature: refused")
    assert handle(signed(body, secret="other"), body, config) == (401, "bad signature: refused")
    assert handle(signed(body), body, Config("", TOKEN, "acme/shop", server.url))[0] == 401
    assert server.requests == []


def test_the_signature_is_checked_before_the_body_is_read(config: Config) -> None:
    junk = b"\xff\xfe not json"
    assert handle({"Sentry-Hook-Signature": "0" * 64}, junk, config)[0] == 401
    assert handle(signed(junk), junk, config) == (400, "the body is not JSON")


@pytest.mark.parametrize(("name", "resource", "answer"), [
    ("installation.json", "installation", (200, "installation acknowledged")),
    ("event-alert-python.json", "issue", (202, "ignored: not an issue alert (issue)")),
    ("installation.json", "event_alert", (202, "ignored: the alert holds no event")),
])
def test_other_resources_send_nothing(server: FakeGitHub, config: Config, name: str,
                                      resource: str, answer: tuple[int, str]) -> None:
    body = body_of(name)
    assert handle(signed(body, resource), body, config) == answer
    assert server.repo.dispatches == []


def test_a_huge_body_is_refused_and_a_long_trace_is_cut(server: FakeGitHub,
                                                        config: Config) -> None:
    huge = b" " * (forwarder.MAX_BODY + 1)
    assert handle(signed(huge), huge, config)[0] == 413
    event = json.loads(body_of("event-alert-python.json"))
    frames = event["data"]["event"]["exception"]["values"][1]["stacktrace"]["frames"]
    frames[:] = [{**frames[0], "context_line": "é" * 2000, "lineno": n} for n in range(200)]
    body = json.dumps(event).encode()
    assert handle(signed(body), body, config)[0] == 202
    payload = server.repo.dispatches[0]["client_payload"]
    assert size(payload) < MAX_BYTES and len(payload) <= 10
    assert payload["stacktrace"].endswith("ZeroDivisionError: division by zero")


def test_github_refusing_the_dispatch_is_a_502(server: FakeGitHub, config: Config) -> None:
    server.fail(403, {"message": "Resource not accessible by personal access token"},
                path_contains="/dispatches")
    body = body_of("event-alert-python.json")
    assert handle(signed(body), body, config) == (502, "GitHub answered 403 to the dispatch")


@pytest.mark.parametrize(("env", "message"), [
    ({}, "set SENTRY_CLIENT_SECRET, GITHUB_DISPATCH_TOKEN, GITHUB_REPOSITORY"),
    ({"SENTRY_CLIENT_SECRET": "s", "GITHUB_DISPATCH_TOKEN": "t", "GITHUB_REPOSITORY": "x"},
     "owner/name"),
    ({"SENTRY_CLIENT_SECRET": "s", "GITHUB_DISPATCH_TOKEN": "t", "GITHUB_REPOSITORY": "a/b",
      "GITHUB_API_URL": "http://api.example.com"}, "https://"),
])
def test_the_configuration_is_checked(env: dict[str, str], message: str) -> None:
    with pytest.raises(ForwarderError, match=message):
        Config.from_env(env)


def _wsgi(environ: dict[str, Any]) -> tuple[str, bytes]:
    answer: dict[str, str] = {}
    chunks = forwarder.application(environ, lambda status, headers: answer.update(s=status))
    return answer["s"], b"".join(chunks)


def test_the_wsgi_application(server: FakeGitHub, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in {"SENTRY_CLIENT_SECRET": SECRET, "GITHUB_DISPATCH_TOKEN": TOKEN,
                        "GITHUB_REPOSITORY": "acme/shop", "GITHUB_API_URL": server.url}.items():
        monkeypatch.setenv(name, value)
    body = body_of("event-alert-python.json")
    headers = {f"HTTP_{key.upper().replace('-', '_')}": value
               for key, value in signed(body).items()}
    environ = {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": str(len(body)),
               "wsgi.input": io.BytesIO(body), **headers}
    assert _wsgi(environ) == ("202 Accepted", b"forwarded\n")
    environ["wsgi.input"] = io.BytesIO(body)
    environ["HTTP_SENTRY_HOOK_SIGNATURE"] = "0" * 64
    assert _wsgi(environ) == ("401 Unauthorized", b"bad signature: refused\n")
    assert _wsgi({"REQUEST_METHOD": "GET"})[0] == "405 Method Not Allowed"
    assert len(server.repo.dispatches) == 1


def test_the_http_server(server: FakeGitHub, config: Config) -> None:
    httpd = forwarder.server("127.0.0.1", 0, config)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}/sentry"
    body = body_of("event-alert-python.json")
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(urllib.request.Request(url, body, signed(body)), timeout=10) as reply:
            assert (reply.status, reply.read()) == (202, b"forwarded\n")
        with pytest.raises(urllib.error.HTTPError) as refused:
            opener.open(urllib.request.Request(url, body, {"Content-Type": "application/json"}),
                        timeout=10)
        assert refused.value.code == 401
    finally:
        httpd.shutdown()
        httpd.server_close()
    assert len(server.repo.dispatches) == 1


def test_the_forwarder_needs_the_standard_library_only() -> None:
    """forwarder, sentry and payload import nothing outside the standard library and each
    other, so the three files run where agentrails is not installed."""
    allowed = {"agentrails.selfheal", "agentrails.selfheal.sentry",
               "agentrails.selfheal.payload"}
    for name in ("forwarder", "sentry", "payload"):
        tree = ast.parse((SRC / "agentrails" / "selfheal" / f"{name}.py").read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or module in allowed, (name, module)


def test_the_fixtures_are_what_the_readme_says() -> None:
    names = {path.name for path in Path(PAYLOADS).glob("*.json")}
    readme = (PAYLOADS / "README.md").read_text()
    assert names and all(f"`{name}`" in readme for name in names)
