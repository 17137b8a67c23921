"""Remembered answers of the reference tools (vulture, skylos, agentrails 0.2.0).

Their answer on a pinned project never changes, and skylos takes minutes a project, so
each answer is kept in the corpora cache (``deadcode-answers/``) under the tool, the
project, whether the copy is seeded (with a digest of ``seed.py``, which decides the seeded
copy) and the tool's version. ``run.py --fresh`` asks the tools again.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from pathlib import Path

from bench.deadcode.projects import HERE, cache_root
from bench.deadcode.tools import Found


def seed_digest() -> str:
    """What decides the seeded copies: the seeding script's text."""
    return hashlib.blake2b((HERE / "seed.py").read_bytes(), digest_size=6).hexdigest()


def _path(tool: str, memo: str) -> Path:
    name = tool.replace(" ", "-").replace("%", "")
    return cache_root() / "deadcode-answers" / f"{name}-{memo}.json"


def recall(tool: str, memo: str) -> list[Found] | None:
    """The remembered findings, or None."""
    try:
        rows = json.loads(_path(tool, memo).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return [Found(**row) for row in rows]


def remember(tool: str, memo: str, found: list[Found]) -> None:
    """Keep ``found`` for next time."""
    path = _path(tool, memo)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(item) for item in found]), encoding="utf-8")
