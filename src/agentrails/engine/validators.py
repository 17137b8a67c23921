"""Validators for configuration values: each returns the clean value or raises ValueError."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from agentrails.engine.protocol import Validator


def integer(minimum: int = 0, maximum: int | None = None) -> Validator:
    """An integer within bounds (booleans are not integers here)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {value!r}")
        if value < minimum or (maximum is not None and value > maximum):
            upper = "" if maximum is None else f" and at most {maximum}"
            raise ValueError(f"expected at least {minimum}{upper}, got {value}")
        return value

    return check


def number(minimum: float = 0.0) -> Validator:
    """A non-boolean int or float, at least ``minimum``."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {value!r}")
        if value < minimum:
            raise ValueError(f"expected at least {minimum}, got {value}")
        return float(value)

    return check


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def string_list(value: Any) -> list[str]:
    """A list of strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of strings, got {value!r}")
    return list(value)


def choice(*allowed: str) -> Validator:
    """One of a fixed set of strings."""

    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {value!r}")
        return value

    return check



def mapping_of(inner: Validator) -> Callable[[Any], dict[str, Any]]:
    """A table of string keys (globs) whose values ``inner`` accepts."""

    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {value!r}")
        clean = {}
        for key, item in value.items():
            try:
                clean[key] = inner(item)
            except ValueError as error:
                raise ValueError(f"under {key!r}: {error}") from None
        return clean

    return check


def string(value: Any) -> str:
    """A string."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r}")
    return value
