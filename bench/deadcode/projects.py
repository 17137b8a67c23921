"""The benchmark's real projects: their pins (projects.toml) and their unpacked sdists.

Each sdist is downloaded once with pip (``--no-binary :all: --no-deps``) into the corpora
cache (``$AGENTRAILS_CORPORA`` or ``~/.cache/agentrails-corpora``, as for the Django and
sympy wheels) and unpacked beside it; nothing here is ever committed.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Project:
    """One pinned project of the benchmark."""

    name: str
    version: str
    packages: tuple[str, ...]
    pythonpath: str
    seed: bool
    tests: tuple[str, ...] = ()
    test_deps: tuple[str, ...] = field(default=())

    @property
    def label(self) -> str:
        """``requests 2.32.3``."""
        return f"{self.name} {self.version}"


def load_projects(path: Path = HERE / "projects.toml") -> list[Project]:
    """Every project listed in ``projects.toml``, in order."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return [
        Project(
            name=entry["name"], version=entry["version"], packages=tuple(entry["packages"]),
            pythonpath=entry["pythonpath"], seed=entry["seed"],
            tests=tuple(entry.get("tests", ())), test_deps=tuple(entry.get("test-deps", ())),
        )
        for entry in data["project"]
    ]


def cache_root() -> Path:
    """Where corpora are downloaded and unpacked (shared with tests/corpora.py)."""
    configured = os.environ.get("AGENTRAILS_CORPORA")
    return Path(configured) if configured else Path.home() / ".cache" / "agentrails-corpora"


def sdist(project: Project) -> Path:
    """The unpacked sdist of ``project`` (downloaded and unpacked on first use)."""
    target = cache_root() / "sdists" / f"{project.name}-{project.version}"
    done = target / ".unpacked"
    if done.exists():
        return target / _single_folder(target)
    archives = cache_root() / "sdists" / "archives"
    archives.mkdir(parents=True, exist_ok=True)
    found = _archive(archives, project)
    if found is None:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
             "--no-binary", ":all:", "--dest", str(archives),
             f"{project.name}=={project.version}"],
            check=True,
        )
        found = _archive(archives, project)
        if found is None:
            raise SystemExit(f"pip downloaded no sdist of {project.label}")
    target.mkdir(parents=True, exist_ok=True)
    with tarfile.open(found) as archive:
        archive.extractall(target, filter="data")
    done.touch()
    return target / _single_folder(target)


def _archive(folder: Path, project: Project) -> Path | None:
    for candidate in sorted(folder.glob("*.tar.gz")):
        stem = candidate.name.removesuffix(".tar.gz")
        name, _, version = stem.rpartition("-")
        if name.lower().replace("_", "-") == project.name and version == project.version:
            return candidate
    return None


def _single_folder(target: Path) -> str:
    """The one folder an sdist unpacks to (``requests-2.32.3``)."""
    folders = [entry.name for entry in target.iterdir() if entry.is_dir()]
    if len(folders) != 1:
        raise SystemExit(f"{target}: expected one unpacked folder, found {folders}")
    return folders[0]
