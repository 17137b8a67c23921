"""The git work of proposing a fix: read the agent's commits from a bundle (data: fetching
one runs nothing), list the files they change, and push them to a new branch.

The token for the push travels in an environment variable git reads as configuration
(``GIT_CONFIG_COUNT``), never on a command line, in the remote URL or in a file; and the
push never forces.
"""

from __future__ import annotations

import base64
import os
import re
import subprocess
from pathlib import Path

SHA = re.compile(r"^[0-9a-f]{40}$")
FIX_REF = "refs/self-heal/fix"
TIMEOUT = 300


class GitError(Exception):
    """A git command that failed; the message is git's last line, without the token."""


def git(cwd: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in ``cwd``; its stdout, or ``GitError``."""
    full = {**os.environ, "GIT_TERMINAL_PROMPT": "0", **(env or {})}
    try:
        done = subprocess.run(["git", *args], cwd=cwd, env=full, capture_output=True,
                              text=True, check=False, timeout=TIMEOUT)
    except (OSError, subprocess.SubprocessError) as error:
        raise GitError(f"git {args[0]}: {error}") from None
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["(no message)"])[-1]
        raise GitError(f"git {args[0]} failed: {last}")
    return done.stdout


def fetch_bundle(cwd: Path, bundle: Path, base: str) -> str:
    """The tip of the bundle's ``HEAD`` fetched to ``refs/self-heal/fix``; ``GitError``
    unless the bundle is whole and its commits descend from ``base``."""
    if not SHA.match(base):
        raise GitError(f"the base commit {base[:60]!r} is not a full SHA")
    git(cwd, "cat-file", "-e", f"{base}^{{commit}}")
    git(cwd, "bundle", "verify", "--quiet", str(bundle))
    git(cwd, "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", str(bundle),
        f"+HEAD:{FIX_REF}")
    tip = git(cwd, "rev-parse", "--verify", f"{FIX_REF}^{{commit}}").strip()
    try:
        git(cwd, "merge-base", "--is-ancestor", base, tip)
    except GitError:
        raise GitError("the agent's commits do not start from the base commit") from None
    return tip


def commits(cwd: Path, base: str, tip: str) -> list[str]:
    """The subjects of the commits from ``base`` to ``tip``, oldest first."""
    out = git(cwd, "log", "--reverse", "--format=%s", f"{base}..{tip}")
    return [line for line in out.splitlines() if line.strip()]


def changed_files(cwd: Path, base: str, tip: str) -> list[str]:
    """Every path the commits add, change, delete or rename (both names of a rename)."""
    out = git(cwd, "diff", "--name-only", "--no-renames", "-z", base, tip)
    return sorted(name for name in out.split("\0") if name)


def auth_env(remote: str, token: str) -> dict[str, str]:
    """The environment that makes git send ``token`` to ``remote`` as GitHub expects."""
    if not token:
        return {}
    basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
    return {"GIT_CONFIG_COUNT": "1", "GIT_CONFIG_KEY_0": f"http.{remote}.extraheader",
            "GIT_CONFIG_VALUE_0": f"AUTHORIZATION: basic {basic}"}


def push(cwd: Path, remote: str, tip: str, branch: str, token: str) -> None:
    """Push ``tip`` to a new ``branch`` of ``remote``; never forced, so an existing branch
    makes it fail rather than be overwritten."""
    try:
        git(cwd, "push", "--quiet", remote, f"{tip}:refs/heads/{branch}",
            env=auth_env(remote, token))
    except GitError as error:
        raise GitError(str(error).replace(token, "***") if token else str(error)) from None
