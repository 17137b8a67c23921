"""Small name rules of vulture 2.16: ``# noqa`` codes, test files, ignored names, decorators.

Each function restates one documented vulture behaviour in our own code so that per-file
facts match ``vulture``'s whole-program answer.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from agentrails.engine.regex import lazy
from agentrails.engine.text import split_lines

TYPE_CHECKING = False
if TYPE_CHECKING:
    import ast

# flake8-style suppression as vulture reads it: the noqa marker, then optionally ":" and one
# whitespace before comma-separated codes. Codes are compared exactly as written.
_NOQA = lazy(r"# noqa(?::\s?(?P<codes>(?:[A-Z]+[0-9]+[,\s]*)+))?", re.IGNORECASE)
_NOQA_ANY = lazy(r"# noqa", re.IGNORECASE)
_FLAKE8_TO_VULTURE = {"F401": "V104", "F841": "V107"}
ALL_CODES = "all"

CODES = {
    "attribute": "V101", "class": "V102", "function": "V103", "import": "V104",
    "method": "V105", "property": "V106", "variable": "V107", "unreachable": "V201",
}

_TEST_PATTERNS = ("*/test/*", "*/tests/*", "*/test*.py", "*[-_]test.py")
PYTEST_FUNCTIONS = frozenset({
    "setup_module", "teardown_module", "setup_function", "teardown_function",
})
PYTEST_METHODS = frozenset({"setup_class", "teardown_class", "setup_method", "teardown_method"})
IGNORED_VARIABLES = frozenset({"object", "self"})

_PERCENT_NAME = lazy(r"%\((\w+)\)")
_INDEX = lazy(r"\[\w*\]")
_IDENTIFIER_START = lazy(r"[a-zA-Z_][a-zA-Z0-9_]*")


def noqa_lines(text: str) -> dict[int, frozenset[str]]:
    """Line -> vulture codes suppressed there (``"all"`` for a bare ``# noqa``)."""
    if _NOQA_ANY.search(text) is None:
        return {}
    found: dict[int, frozenset[str]] = {}
    for number, line in enumerate(split_lines(text), start=1):
        match = _NOQA.search(line)
        if match is not None:
            codes = (match.group("codes") or ALL_CODES).split(",")
            found[number] = frozenset(_FLAKE8_TO_VULTURE.get(c.strip(), c.strip()) for c in codes)
    return found


def is_test_file(path: str) -> bool:
    """Vulture's test-file globs, matched on the path below the project root."""
    rooted = "/" + path
    return any(fnmatchcase(rooted, pattern) for pattern in _TEST_PATTERNS)


def is_special(name: str) -> bool:
    """A dunder name such as ``__init__``."""
    return name.startswith("__") and name.endswith("__")


def ignored_variable(name: str) -> bool:
    """``_``, ``_x`` and dunders are never reported (``__x`` is), nor ``self`` and ``object``."""
    if name in IGNORED_VARIABLES:
        return True
    return name.startswith("_") and (not name.startswith("__") or name.endswith("__"))


def ignored_method(name: str, *, test_file: bool) -> bool:
    """Dunder methods, and in test files the test methods and pytest's class hooks."""
    if is_special(name):
        return True
    return test_file and (name in PYTEST_METHODS or name.startswith("test_"))


def ignored_function(name: str, *, test_file: bool) -> bool:
    """In test files: test functions and pytest's module hooks."""
    return test_file and (name in PYTEST_FUNCTIONS or name.startswith("test_"))


def dotted_parts(node: ast.expr) -> list[str] | None:
    """``["a", "b", "c"]`` for the expression ``a.b.c``; None when it is no dotted name."""
    import ast  # these helpers serve the collector: a run that analyses nothing skips ast

    parts = []
    while type(node) is ast.Attribute:
        parts.append(node.attr)
        node = node.value
    if type(node) is not ast.Name:
        return None
    parts.append(node.id)
    parts.reverse()
    return parts


def decorator_name(node: ast.expr) -> str:
    """``@a.b`` for ``@a.b`` and ``@a.b(...)``; a bare ``@`` when it is not a dotted name."""
    import ast

    parts = dotted_parts(node.func if type(node) is ast.Call else node)
    return "@" if parts is None else "@" + ".".join(parts)


def matches(name: str, patterns: list[str] | tuple[str, ...]) -> bool:
    """Case-sensitive glob match against any pattern (vulture's ``--ignore-names``)."""
    return any(fnmatchcase(name, pattern) for pattern in patterns)


def is_locals_call(node: ast.expr | None) -> bool:
    """``locals()`` with no arguments."""
    import ast

    return (
        type(node) is ast.Call and type(node.func) is ast.Name and node.func.id == "locals"
        and not node.args and not node.keywords
    )


def percent_names(template: str) -> list[str]:
    """Names in ``"%(name)s" % locals()``."""
    return _PERCENT_NAME.findall(template)


def format_names(template: str) -> list[str]:
    """Names in ``"{a.b[0]}".format(**locals())``: every dotted part, indexes dropped."""
    import string

    try:
        fields = [field for _, field, _, _ in string.Formatter().parse(template) if field]
    except ValueError:
        return []
    names = []
    for field in fields:
        for part in _INDEX.sub("", field).split("."):
            if _IDENTIFIER_START.match(part):
                names.append(part)
    return names
