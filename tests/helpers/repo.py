"""Real temporary git repositories and what a test reads back from a run of the CLI."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

Files = Mapping[str, str | bytes]


def write_files(root: Path, files: Files) -> None:
    """Write ``files`` (path -> text or bytes) under ``root``, creating folders."""
    for name, content in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_bytes(content.encode("utf-8"))


def git(root: Path, *args: str) -> str:
    """Run git in ``root`` and return its output; a failure fails the test."""
    result = subprocess.run(
        ["git", *args], cwd=root, capture_output=True, text=True, check=True
    )
    return result.stdout


@dataclass
class Outcome:
    """What one ``agentrails`` invocation did."""

    code: int
    out: str
    err: str


def finding_lines(text: str) -> list[str]:
    """The finding lines of a text report (everything but the summary line)."""
    return [line for line in text.splitlines() if line and not _is_summary(line)]


def _is_summary(line: str) -> bool:
    return line.startswith(("Found ", "All checks passed"))
