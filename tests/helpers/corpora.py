"""Real corpora from PyPI, downloaded once and unpacked (never committed).

``corpus("django", "5.2.8")`` returns the directory holding the unpacked wheel, and
``sdist("requests", "2.32.3")`` the folder an sdist unpacks to (a project as its authors
keep it: tests, configuration and all). The cache lives in ``$AGENTRAILS_CORPORA`` or
``~/.cache/agentrails-corpora``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

DJANGO = ("django", "5.2.8")
SYMPY = ("sympy", "1.14.0")
REQUESTS = ("requests", "2.32.3")
HTTPX = ("httpx", "0.28.1")


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


def sdist(name: str, version: str) -> Path:
    """Download ``name==version``'s sdist with pip (no dependencies, nothing built) and
    unpack it once; returns the one folder it unpacks to (``requests-2.32.3``)."""
    target = cache_root() / "sdists" / f"{name}-{version}"
    done = target / ".unpacked"
    if not done.exists():
        archive = _sdist_archive(name, version)
        target.mkdir(parents=True, exist_ok=True)
        with tarfile.open(archive) as unpacking:
            unpacking.extractall(target, filter="data")
        done.touch()
    folders = [entry for entry in target.iterdir() if entry.is_dir()]
    assert len(folders) == 1, f"{target}: expected one unpacked folder, found {folders}"
    return folders[0]


def _sdist_archive(name: str, version: str) -> Path:
    archives = cache_root() / "sdists" / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    wanted = f"{name}-{version}.tar.gz"
    found = archives / wanted
    if not found.exists():
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary",
             ":all:", "--no-build-isolation", "--dest", str(archives), f"{name}=={version}"],
            check=True,
        )
    assert found.exists(), f"pip downloaded no {wanted}"
    return found
