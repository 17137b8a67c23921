"""The dispatch contract: whatever a forwarder is given, what it sends has at most GitHub's
ten keys, stays under 64 KB, keeps each field within its limit (a stack trace its end), and
names the error by a fingerprint key of sixteen hex digits."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from agentrails.selfheal.payload import (
    FIELDS,
    MAX_BYTES,
    MAX_COUNT,
    TEXT_LIMITS,
    count_of,
    cut,
    fingerprint_key,
    shaped,
    size,
)

VALUES = st.one_of(st.text(), st.integers(), st.floats(), st.none(), st.booleans(),
                   st.lists(st.text(), max_size=3))


@given(st.dictionaries(st.sampled_from([*FIELDS, "extra", "data"]), VALUES))
def test_any_input_is_shaped_within_the_limits(fields: dict) -> None:
    payload = shaped(fields)
    assert set(payload) <= set(FIELDS) and len(payload) <= 10
    assert size(payload) < MAX_BYTES
    for key, value in payload.items():
        if key == "count":
            assert isinstance(value, int) and 0 <= value <= MAX_COUNT
        else:
            assert isinstance(value, str) and value.strip()
            assert len(value) <= TEXT_LIMITS[key]


@given(st.text(alphabet="é😀\u200b", min_size=1, max_size=200))
def test_multibyte_text_at_every_limit_still_fits(unit: str) -> None:
    fields = {key: unit * (limit // len(unit) + 1) for key, limit in TEXT_LIMITS.items()}
    payload = shaped(fields)
    assert size(payload) < MAX_BYTES
    assert payload.get("fingerprint")  # the error is still named


def test_a_stack_trace_keeps_its_end_and_other_fields_their_start() -> None:
    trace = "".join(f"frame {n}\n" for n in range(5000)) + "ZeroDivisionError"
    assert cut("stacktrace", trace).endswith("ZeroDivisionError")
    assert cut("title", "T" + "x" * 400) == "T" + "x" * 299
    assert cut("title", "short") == "short"


def test_the_limits_at_their_boundaries() -> None:
    for key, limit in TEXT_LIMITS.items():
        assert shaped({key: "a" * limit})[key] == "a" * limit
        assert len(shaped({key: "a" * (limit + 1)})[key]) == limit


def test_counts() -> None:
    assert [count_of(value) for value in (3, "12", 4.9, -2, True, "x", None, 10**40)] == [
        3, 12, 4, 0, None, None, None, MAX_COUNT]


@given(st.text(), st.text())
def test_a_fingerprint_key_is_sixteen_hex_digits(fingerprint: str, fallback: str) -> None:
    key = fingerprint_key(fingerprint, fallback)
    assert re.fullmatch(r"[0-9a-f]{16}", key)


def test_without_a_fingerprint_the_title_names_the_error() -> None:
    assert fingerprint_key("", "A") == fingerprint_key("  ", "A") != fingerprint_key("", "B")
    assert fingerprint_key("sentry:issue:1") != fingerprint_key("", "sentry:issue:1")


def test_the_stand_ins_strict_schema_keeps_the_same_limits() -> None:
    from agentrails.github.schemas import SCHEMAS

    fields = SCHEMAS["repository-dispatch"]["properties"]["client_payload"]["properties"]
    assert set(fields) == set(FIELDS)
    assert {key: fields[key]["maxLength"] for key in TEXT_LIMITS} == TEXT_LIMITS
