"""Runs attacks one after the other in a repository and reports what each changed among
the protected paths. Started inside the sandbox runtime by the sandbox test (it imports
nothing from the tests: only the standard library is there for it).

    python3 sandbox_driver.py PLAN.json

PLAN holds ``repo``, ``base`` (the commit to go back to), ``branches`` (name -> commit),
``protected`` (paths relative to the repository) and ``attacks`` (lists of Bash calls).
Prints one JSON object: for each attack, the protected paths it changed and the tail of what
its calls printed. Between attacks the repository goes back to ``base``."""

from __future__ import annotations

import hashlib
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

TIMEOUT = 30
SKIPPED = (".venv",)
"""Hashed by the test before and after the whole run instead (thousands of files)."""


def state(root: Path, paths: list[str]) -> dict[str, str]:
    """A digest of every protected path: each file's type, mode and bytes, or absence."""
    found: dict[str, str] = {}
    for name in paths:
        if name in SKIPPED:
            continue
        top = root / name
        if not os.path.lexists(top):
            found[name] = "absent"
            continue
        for path in [top, *sorted(top.rglob("*"))] if top.is_dir() and not top.is_symlink() \
                else [top]:
            found[path.relative_to(root).as_posix()] = digest(path)
    return found


def digest(path: Path) -> str:
    info = path.lstat()
    kind = stat.S_IFMT(info.st_mode)
    if stat.S_ISLNK(info.st_mode):
        body = os.readlink(path).encode()
    elif stat.S_ISREG(info.st_mode):
        try:
            body = path.read_bytes()
        except OSError as error:
            body = f"unreadable: {error.errno}".encode()
    else:
        body = b""
    return f"{kind:o}:{stat.S_IMODE(info.st_mode):o}:{hashlib.sha256(body).hexdigest()}"


def run(call: str, repo: Path) -> str:
    try:
        done = subprocess.run(["bash", "-c", call], cwd=repo, stdin=subprocess.DEVNULL,
                              capture_output=True, timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        return "timed out"
    text = (done.stdout + done.stderr).decode("utf-8", "replace")
    return f"exit {done.returncode}: {text[-300:]}"


def restore(repo: Path, base: str, branches: dict[str, str]) -> None:
    quiet = {"cwd": repo, "capture_output": True, "check": False}
    subprocess.run(["git", "symbolic-ref", "HEAD", "refs/heads/main"], **quiet)
    subprocess.run(["git", "reset", "-q", "--hard", base], **quiet)
    for name, commit in branches.items():
        subprocess.run(["git", "update-ref", f"refs/heads/{name}", commit], **quiet)
    subprocess.run(["git", "clean", "-qfdx", "-e", ".venv"], **quiet)
    (repo / "build").mkdir(exist_ok=True)


def main(plan_path: str) -> int:
    plan = json.loads(Path(plan_path).read_text(encoding="utf-8"))
    repo = Path(plan["repo"])
    before = state(repo, plan["protected"])
    report = []
    for calls in plan["attacks"]:
        outputs = [run(call, repo) for call in calls]
        after = state(repo, plan["protected"])
        changed = sorted(name for name in before.keys() | after.keys()
                         if before.get(name) != after.get(name))
        report.append({"changed": changed, "outputs": outputs})
        restore(repo, plan["base"], plan["branches"])
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
