"""Validators for configuration values: each returns the clean value or raises ValueError.

Numbers are bounded (a cap of 2**70 lines is a typo, not a policy) and a value quoted in a
message is shortened (``shown``), so a hostile value gives one short line.
"""

from __future__ import annotations

from collections.abc import Callable

from agentrails.engine.protocol import Validator

MAX_NUMBER = 1_000_000_000
"""The largest number a configuration value may hold (caps, budgets, counts)."""
SHOWN_CHARS = 60


def shown(value: object) -> str:
    """``repr(value)`` for a message: containers by their kind and size (never recursing
    into them), anything long cut to ``SHOWN_CHARS`` characters."""
    if isinstance(value, dict | list | tuple):
        return f"a {type(value).__name__} of {len(value)} items"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 100:
        digits = len(str(value)) if value.bit_length() < 14000 else "thousands of"
        return f"a number of {digits} digits"
    text = repr(value)
    return text if len(text) <= SHOWN_CHARS else text[: SHOWN_CHARS - 3] + "..."


TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def integer(minimum: int = 0, maximum: int = MAX_NUMBER) -> Validator:
    """An integer within bounds (booleans are not integers here)."""

    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"expected an integer, got {shown(value)}")
        if not minimum <= value <= maximum:
            raise ValueError(f"expected at least {minimum} and at most {maximum}, "
                             f"got {shown(value)}")
        return value

    return check


def number(minimum: float = 0.0, maximum: float = MAX_NUMBER) -> Validator:
    """A non-boolean int or float from ``minimum`` to ``maximum`` (never NaN)."""

    def check(value: Any) -> float:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(f"expected a number, got {shown(value)}")
        if not minimum <= value <= maximum:  # False for NaN too
            raise ValueError(f"expected at least {minimum} and at most {maximum}, "
                             f"got {shown(value)}")
        return float(value)

    return check


def boolean(value: Any) -> bool:
    """true or false."""
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {shown(value)}")
    return value


def string_list(value: Any) -> list[str]:
    """A list of strings."""
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError(f"expected a list of strings, got {shown(value)}")
    return list(value)


def choice(*allowed: str) -> Validator:
    """One of a fixed set of strings."""

    def check(value: Any) -> str:
        if value not in allowed:
            raise ValueError(f"expected one of {', '.join(allowed)}, got {shown(value)}")
        return value

    return check


def mapping_of(inner: Validator) -> Callable[[Any], dict[str, Any]]:
    """A table of string keys (globs) whose values ``inner`` accepts."""

    def check(value: Any) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise ValueError(f"expected a table, got {shown(value)}")
        clean = {}
        for key, item in value.items():
            try:
                clean[key] = inner(item)
            except ValueError as error:
                raise ValueError(f"under {shown(key)}: {error}") from None
        return clean

    return check


def string(value: Any) -> str:
    """A string."""
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {shown(value)}")
    return value


def inside_project(path: str) -> bool:
    """True for a relative path that stays below the project root (``docs/../AGENTS.md``
    does; ``/etc/passwd``, ``C:/x``, ``../x`` and ``a/../../x`` do not)."""
    import posixpath

    text = path.replace("\\", "/")
    if not text or "\0" in text or text.startswith("/") or text[1:2] == ":":
        return False
    normal = posixpath.normpath(text)
    return normal != ".." and not normal.startswith("../")


def project_path(value: Any) -> str:
    """A path relative to the project root that stays inside the project."""
    text = string(value)
    if not inside_project(text):
        raise ValueError(f"expected a relative path inside the project, got {shown(value)}")
    return text


def project_paths(value: Any) -> list[str]:
    """A list of paths relative to the project root, each inside the project."""
    paths = string_list(value)
    for path in paths:
        project_path(path)
    return paths


def path_table(inner: Validator) -> Callable[[Any], dict[str, Any]]:
    """A table whose keys are paths inside the project and whose values ``inner`` accepts."""
    check_values = mapping_of(inner)

    def check(value: Any) -> dict[str, Any]:
        table = check_values(value)
        for key in table:
            project_path(key)
        return table

    return check
