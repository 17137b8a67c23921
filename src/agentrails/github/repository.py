"""Which repository a command works on: ``--repo``, ``GITHUB_REPOSITORY`` or the ``origin``
remote; and the API paths under it."""

from __future__ import annotations

import re
import subprocess
import urllib.parse
from collections.abc import Mapping
from pathlib import Path

from agentrails.github.errors import ConfigError

REPO = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/[A-Za-z0-9._-]{1,100}$")
SCP_LIKE = re.compile(r"^[\w.+-]+@[\w.-]+:(?P<path>[^/].*)$")


def valid_repo(value: str) -> bool:
    """``OWNER/NAME`` as GitHub spells repositories (not ``.`` or ``..`` as the name)."""
    return bool(REPO.match(value)) and value.split("/")[1] not in (".", "..")


def parse_remote(url: str) -> str | None:
    """``OWNER/NAME`` of a git remote URL (https, ssh, or ``git@host:owner/name.git``)."""
    url = url.strip()
    scp = SCP_LIKE.match(url)
    path = scp["path"] if scp else urllib.parse.urlsplit(url).path
    parts = [part for part in path.split("/") if part]
    if len(parts) < 2:
        return None
    candidate = f"{parts[-2]}/{parts[-1].removesuffix('.git')}"
    return candidate if valid_repo(candidate) else None


def origin_url(cwd: Path) -> str | None:
    """The URL of the ``origin`` remote of the git work tree at ``cwd``, if any."""
    try:
        result = subprocess.run(["git", "remote", "get-url", "origin"], cwd=cwd,
                                capture_output=True, text=True, check=False, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.strip() or None


def resolve_repo(given: str | None, env: Mapping[str, str], cwd: Path) -> str:
    """``--repo``, else ``GITHUB_REPOSITORY``, else the ``origin`` remote of ``cwd``."""
    if given:
        if not valid_repo(given):
            raise ConfigError(f"--repo must be OWNER/NAME, got {given!r}")
        return given
    from_env = env.get("GITHUB_REPOSITORY", "").strip()
    if from_env:
        if not valid_repo(from_env):
            raise ConfigError(f"GITHUB_REPOSITORY must be OWNER/NAME, got {from_env!r}")
        return from_env
    remote = origin_url(cwd)
    found = parse_remote(remote) if remote else None
    if found is None:
        raise ConfigError("cannot tell which repository: pass --repo OWNER/NAME, set "
                          "GITHUB_REPOSITORY, or run in a clone whose origin remote is on GitHub")
    return found


def quote(name: str) -> str:
    """A branch or ref name for a URL path (slashes kept, as GitHub expects)."""
    return urllib.parse.quote(name, safe="/")


def repo_path(repo: str, *parts: str) -> str:
    """``/repos/OWNER/NAME/part/...``; parts are inserted as given (quote names first)."""
    return "/".join((f"/repos/{repo}", *parts)).rstrip("/")
