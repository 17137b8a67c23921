"""AR302's intentional dead ends, and the phase-in against agentrails 0.2.0's answer."""

from __future__ import annotations

from agentrails.checks.deadcode.program.answer import retired, unused_code
from agentrails.engine.baseline.entries import Entry
from tests.checks.deadcode.scope import found, src
from tests.helpers.deadcode import context, file_facts


def test_yield_after_raise_and_pragma_no_cover_are_intentional() -> None:
    files = {"streams.py": src("""
        def empty():
            raise StopIteration
            yield b""
        async def never():
            return
            yield  # pragma: no cover
        def debug():
            return 1
            print("left over")
        def covered():
            return 2
            print("excluded")  # pragma: no cover
        print(empty, never, debug, covered)
        """)}
    assert found(files) == [
        "streams.py:9: unreachable code after 'return' (100% confidence)",
    ]
    assert len(found(files, smart_ignores=False, floor=100)) == 4  # vulture's answer


FILES = {"app.py": src("""
    import json
    class Session:
        def __exit__(self, exc_kind, exc_value, exc_trace):
            return None
    def balance(cents):
        total = 0
        return sum(cents)
    print(Session, balance)
    """)}


def test_findings_0_2_0_did_not_report_are_warnings_while_warn_is_left_unset() -> None:
    ctx = context(min_confidence=80)
    found_now = {f.symbol: f.warn for f in unused_code(file_facts(FILES, ctx), ctx)}
    assert found_now == {"json": False, "total": True}
    chosen = context(min_confidence=80, top={"warn": []})
    assert {f.symbol: f.warn for f in unused_code(file_facts(FILES, chosen), chosen)} == {
        "json": False, "total": False}


def test_entries_0_2_0_still_reports_are_retired_and_fixed_ones_stay_stale() -> None:
    ctx = context(min_confidence=80)
    facts = file_facts(FILES, ctx)
    entries = [Entry("AR301", "app.py", name, "", None)
               for name in ("exc_kind", "exc_value", "exc_trace", "gone")]
    assert retired(entries, facts, ctx) == entries[:3]
    assert retired(entries, facts, context(min_confidence=80, smart_ignores=False)) == []
