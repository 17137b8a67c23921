"""Real corpora from PyPI, downloaded once and unpacked (never committed).

``corpus("django", "5.2.8")`` returns the directory holding the unpacked wheel. The cache
lives in ``$AGENTRAILS_CORPORA`` or ``~/.cache/agentrails-corpora``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

DJANGO = ("django", "5.2.8")
SYMPY = ("sympy", "1.14.0")


def cache_root() -> Path:
    """Where wheels are downloaded and unpacked."""
    configured = os.environ.get("AGENTRAILS_CORPORA")
    return Path(configured) if configured else Path.home() / ".cache" / "agentrails-corpora"


def corpus(name: str, version: str) -> Path:
    """Download ``name==version``'s wheel with pip (no dependencies) and unpack it once."""
    target = cache_root() / f"{name}-{version}"
    done = target / ".unpacked"
    if done.exists():
        return target
    wheels = cache_root() / "wheels"
    wheels.mkdir(parents=True, exist_ok=True)
    found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
    if not found:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
             "--dest", str(wheels), f"{name}=={version}"],
            check=True,
        )
        found = sorted(wheels.glob(f"{name}-{version}-*.whl"))
    target.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(found[0]) as archive:
        archive.extractall(target)
    done.touch()
    return target
