"""A small project for the report tests: files over and near their caps, complex functions,
dead code and a context file."""

from __future__ import annotations

import textwrap
from pathlib import Path

BRANCHY = textwrap.dedent(
    """\
    def branchy(a, b, c):
        if a:
            return 1
        elif b:
            return 2
        for x in c:
            if x and a or b:
                return x
        while a:
            a -= 1
        return 0 if b else 3


    def simple(x):
        return x + 1


    def middling(x):
        if x > 1:
            return 1
        if x > 2:
            return 2
        if x > 3:
            return 3
        if x > 4:
            return 4
        if x > 5:
            return 5
        return 0
    """
)
CONFIG = textwrap.dedent(
    """\
    [size]
    max-lines = 40
    per-glob = { "big/*.txt" = 10 }

    [complexity]
    max-function = 5

    [context]
    max-lines = 4
    """
)


def project(git_repo) -> Path:
    """Files over and near their caps, complex functions, dead code, a context file."""
    return git_repo({
        "agentrails.toml": CONFIG,
        "AGENTS.md": "# Agents\n\n@docs/more.md\n",
        "docs/more.md": "one\ntwo\nthree\n",
        "pkg/logic.py": BRANCHY,
        "pkg/unused.py": "import os\n\n\ndef used():\n    return 1\n\n\nused()\n",
        "big/over.txt": "x\n" * 12,
        "big/near.txt": "x\n" * 9,
        "big/small.txt": "x\n" * 3,
        "long.txt": "x\n" * 45,
        "quiet.txt": "# agentrails: noqa: AR101\n" + "x\n" * 50,
    })
