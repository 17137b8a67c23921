"""AR301/AR302 on Django 5.2.8 equal ``vulture django --min-confidence 60``, line for line.

Both tools run as subprocesses on the same private copy of the wheel; the copy lives in a
temporary folder whose absolute path vulture's test-file globs (``*/test*.py``, matched on
absolute paths) cannot mistake for a test folder.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

CONFIG = 'select = ["AR301", "AR302"]\n[dead-code]\nmin-confidence = 60\nsmart-ignores = false\n'
VULTURE_LINE = re.compile(r"^(?P<path>.+?):(?P<line>\d+): (?P<message>.+)$")


@pytest.fixture(scope="module")
def django_copy() -> Iterator[Path]:
    from tests.helpers.corpora import DJANGO, corpus

    with tempfile.TemporaryDirectory(prefix="agentrails-dead-code-") as folder:
        root = Path(folder) / "django-copy"
        shutil.copytree(corpus(*DJANGO), root, ignore=shutil.ignore_patterns(".unpacked"))
        (root / "agentrails.toml").write_text(CONFIG, encoding="utf-8")
        yield root


def vulture_answer(root: Path) -> set[tuple[str, int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "vulture", "django", "--min-confidence", "60"],
        cwd=root, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode in (0, 3), result.stderr
    found = set()
    for line in result.stdout.splitlines():
        match = VULTURE_LINE.match(line)
        assert match, line
        found.add((match["path"], int(match["line"]), match["message"]))
    return found


def agentrails_answer(root: Path) -> set[tuple[str, int, str]]:
    result = subprocess.run(
        [sys.executable, "-m", "agentrails", "check", "--no-cache", "--format", "json"],
        cwd=root, capture_output=True, text=True, timeout=600, check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    return {(f["path"], f["line"], f["message"]) for f in json.loads(result.stdout)}


@pytest.mark.corpus
@pytest.mark.slow
def test_django_matches_vulture_exactly(django_copy: Path) -> None:
    expected = vulture_answer(django_copy)
    ours = agentrails_answer(django_copy)
    assert len(expected) > 1000
    assert {(p, n) for p, n, _ in ours} == {(p, n) for p, n, _ in expected}
    assert ours == expected
