"""Which commit a baseline is written at, and which files git saw renamed since.

A baseline records ``HEAD`` when it is written. When a later run finds entries whose file
is gone, git's own rename detection between that commit and the work tree says where each
file went (``git mv``, or a delete and an add that git pairs by content), so the entries
follow their file instead of turning into "fixed" debt and new findings. Outside git, in a
shallow clone without that commit, or when git fails, there is no answer (an empty map)
and the entries are matched by their content alone.
"""

from __future__ import annotations

import subprocess

GIT_TIMEOUT = 60


def head_commit(root: str) -> str | None:
    """The commit ``HEAD`` names in the work tree at ``root``, None outside git or before
    the first commit."""
    output = _git(root, "rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    commit = output.strip() if output is not None else ""
    return commit if commit and all(c in "0123456789abcdef" for c in commit) else None


def renamed_since(root: str, commit: str) -> dict[str, str]:
    """Old path -> new path for each file git sees renamed between ``commit`` and the
    work tree (paths relative to ``root``); empty when git cannot tell."""
    output = _git(root, "diff", "--relative", "--no-ext-diff", "-M", "-z", "--name-status",
                  "--diff-filter=R", commit, "--")
    if not output:
        return {}
    fields = output.split("\0")
    moves: dict[str, str] = {}
    index = 0
    while index + 2 < len(fields):
        status, old, new = fields[index:index + 3]
        if status.startswith("R"):
            moves[old] = new
        index += 3
    return moves


def _git(root: str, *args: str) -> str | None:
    """Git's output, None when git is missing, fails or takes too long."""
    try:
        done = subprocess.run(["git", *args], cwd=root, capture_output=True,
                              timeout=GIT_TIMEOUT, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", "surrogateescape")
