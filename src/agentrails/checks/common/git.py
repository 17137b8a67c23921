"""The few git questions the context, sessions and agents rules ask; each answer is one git
command run in the project root, and every failure (no git, no repository, a bad ref) is
``None`` rather than an exception. ``subprocess`` is imported by the first question asked."""

from __future__ import annotations

from os import PathLike

StrPath = str | PathLike[str]


def git(root: StrPath, *args: str) -> str | None:
    """Standard output of ``git ARGS`` run in ``root``, or None when git fails."""
    import subprocess  # only runs that ask git anything pay for it

    try:
        result = subprocess.run(
            ["git", *args], cwd=root, capture_output=True, check=False, timeout=60
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if result.returncode != 0:
        return None
    return result.stdout.decode("utf-8", "surrogateescape")


def resolve_base(root: StrPath, ref: str) -> str | None:
    """The commit a diff against ``ref`` starts from: the merge base of ``ref`` and HEAD
    (what a pull request adds), or ``ref`` itself when they share no history. None when
    ``ref`` names no commit."""
    if ref.startswith("-"):
        return None  # never let a ref be read as an option
    commit = git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    if not commit:
        return None
    commit = commit.strip()
    merge_base = git(root, "merge-base", commit, "HEAD")
    return merge_base.strip() if merge_base else commit


def changed_files(root: StrPath, ref: str) -> dict[str, str] | None:
    """Paths (relative to ``root``) changed since ``ref`` in the work tree, with their git
    status letter: A added, M modified, D deleted, T type change; untracked files count as
    added. None when ``ref`` names no commit or ``root`` is not in a work tree."""
    base = resolve_base(root, ref)
    if base is None:
        return None
    diff = git(root, "diff", "--name-status", "-z", "--no-renames", "--relative", base, "--")
    untracked = git(root, "ls-files", "-z", "--others", "--exclude-standard")
    if diff is None or untracked is None:
        return None
    fields = diff.split("\0")
    changes = {path: status[:1] for status, path in zip(fields[::2], fields[1::2], strict=False)}
    changes.update({path: "A" for path in untracked.split("\0") if path})
    changes.pop("", None)
    return changes


def dirty_files(root: StrPath) -> list[str] | None:
    """Files that differ from HEAD or are untracked (not ignored), deleted ones left out;
    None outside a work tree. With no commit yet, every file counts."""
    status = git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", ".")
    if status is None:
        return None
    prefix = (git(root, "rev-parse", "--show-prefix") or "").strip()
    paths: list[str] = []
    entries = iter(status.split("\0"))
    for entry in entries:
        if len(entry) < 4:
            continue
        code, path = entry[:2], entry[3:]
        if code[0] in "RC":
            next(entries, None)  # the rename's source path follows; the new path is ``path``
        if "D" in code or not path.startswith(prefix):
            continue
        paths.append(path[len(prefix):])
    return sorted(set(paths))


def file_at_head(root: StrPath, path: str) -> str | None:
    """The committed text of ``path`` (relative to ``root``) at HEAD, or None."""
    return git(root, "show", f"HEAD:./{path}")


def last_change_of_lines(root: StrPath, path: str, *, first: int, last: int) -> str | None:
    """The newest commit that changed lines ``first``..``last`` of ``path`` as HEAD has it
    (``git log -L`` follows the range back through history), or None."""
    out = git(root, "log", f"-L{first},{last}:{path}", "--format=%H", "-s", "--max-count=1")
    return out.strip() or None if out is not None else None


def files_per_commit(root: StrPath, since: str) -> list[list[str]] | None:
    """For each commit after ``since`` up to HEAD, the files it touched below ``root``."""
    out = git(root, "log", "--format=%x00", "--name-only", "--relative", f"{since}..HEAD", "--")
    if out is None:
        return None
    return [[line for line in chunk.splitlines() if line] for chunk in out.split("\0")[1:]]
