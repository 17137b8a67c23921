"""Signature-forced parameters are never findings; a parameter a plain function never reads
stays one (ruff's ARG reasoning)."""

from __future__ import annotations

import pytest

from tests.checks.deadcode.scope import found, src


def test_a_plain_function_and_a_lone_method_report_their_unread_parameters() -> None:
    files = {"app.py": src("""
        def total(cents, currency):
            return sum(cents)
        class Ledger:
            def add(self, amount, note):
                return amount
        total([], "EUR"); Ledger().add(1, "")
        """)}
    assert found(files) == [
        "app.py:1: unused argument 'currency' (100% confidence)",
        "app.py:4: unused argument 'note' (100% confidence)",
    ]


FORCED = {
    "dunder": """
        class Session:
            def __exit__(self, kind, value, traceback):
                self.open = False
        """,
    "override in the project": """
        class Base:
            def render(self, width):
                return width
        class Child(Base):
            def render(self, width):
                return 0
        """,
    "unknown base": """
        from somewhere import Handler
        class Mine(Handler):
            def handle(self, request):
                return 1
        """,
    "standard-library base": """
        import io
        class Null(io.TextIOBase):
            def seek(self, offset, whence=0):
                return 0
        """,
    "protocol": """
        from typing import Protocol
        class Reader(Protocol):
            def read(self, size):
                return b""
        """,
    "overload": """
        from typing import overload
        @overload
        def parse(text: str) -> str: ...
        @overload
        def parse(text: bytes) -> bytes: ...
        def parse(text):
            return text
        """,
    "abstract": """
        import abc
        class Shape(abc.ABC):
            @abc.abstractmethod
            def area(self, scale):
                return 1
        """,
    "stub body": """
        def hook(event):
            pass
        def fallback(stream, encoding):
            return None
        def later(value):
            raise NotImplementedError
        """,
    "registered by a decorator": """
        import signals
        @signals.receiver("saved")
        def on_saved(sender, instance):
            return instance
        """,
    "handed over as a callback": """
        def on_saved(sender, instance):
            return instance
        def by_key(item, reverse):
            return item
        signal.connect(on_saved)
        sorted([], key=by_key)
        """,
    "a variant per platform": """
        import sys
        if sys.platform == "win32":
            def console(stream, errors):
                return stream.reconfigure(errors=errors)
        else:
            def console(stream, errors):
                return stream
        """,
    "a family of handlers called alike": """
        async def hello(scope, receive, send):
            await send(scope)
        async def echo(scope, receive, send):
            await send(await receive())
        """,
    "a lambda": """
        callback = lambda event, context: event
        """,
    "pytest hooks, fixtures and tests": """
        import pytest
        def pytest_configure(config):
            pass
        @pytest.fixture
        def database(tmp_path, monkeypatch):
            return tmp_path
        def test_query(database, capsys):
            assert True
        """,
}


@pytest.mark.parametrize("case", sorted(FORCED))
def test_a_signature_someone_else_fixes_is_never_a_finding(case: str) -> None:
    path = "tests/test_cases.py" if case.startswith("pytest") else "app.py"
    reported = [line for line in found({path: src(FORCED[case])}, floor=0)
                if "argument" in line]
    assert reported == []
