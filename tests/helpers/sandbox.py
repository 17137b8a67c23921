"""The repository the attack matrix runs in, and how a test runs an attack and sees what
it changed (``tests.helpers.sandbox_driver`` is its counterpart inside the sandbox
runtime)."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from contextlib import redirect_stderr
from pathlib import Path
from typing import Any

from agentrails.hooks import guard_paths
from tests.helpers.sandbox_driver import state
from tests.helpers.template import COMBOS, GIT_ENV, commit_all, git, render

EVIL = {
    ".github/CODEOWNERS": "* @evil\n",
    ".github/workflows/ci.yml": "on: push\njobs: {}\n",
    ".github/rulesets/staging.json": "{}\n",
    ".claude/settings.json": "{}\n",
}
FAKE_VENV = {".venv/pyvenv.cfg": "home = /usr/bin\n", ".venv/bin/agentrails": "#!/bin/sh\n",
             ".venv/bin/activate": "# activate\n"}


def attack_repo(source: Path, dest: Path) -> Path:
    """A committed Claude Code render on ``main`` with a branch ``evil`` whose protected
    files differ, a ``.git/hooks`` folder and an empty ``build/``."""
    render(source, dest, COMBOS["claude-package"])
    commit_all(dest)
    git(dest, "switch", "-q", "-c", "evil")
    for name, text in EVIL.items():
        (dest / name).write_text(text, encoding="utf-8")
    commit_all(dest, "evil")
    git(dest, "switch", "-q", "main")
    (dest / ".git/hooks").mkdir(exist_ok=True)
    (dest / ".git/hooks/pre-commit.sample").write_text("#!/bin/sh\n", encoding="utf-8")
    (dest / "build").mkdir()  # scratch space, ignored by git
    return dest


def protected_paths(repo: Path) -> list[str]:
    """The paths the rendered settings keep read-only, relative to the repository."""
    settings = json.loads((repo / ".claude/settings.json").read_text(encoding="utf-8"))
    entries = settings["sandbox"]["filesystem"]["denyWrite"]
    assert all(entry.startswith("./") for entry in entries), entries
    return [entry[2:] for entry in entries]


def branches(repo: Path) -> dict[str, str]:
    return {name: git(repo, "rev-parse", name) for name in ("main", "evil")}


def shell_env(repo: Path, home: Path) -> dict[str, str]:
    """The environment a Bash call of an agent gets in ``repo``."""
    return {**os.environ, **GIT_ENV, "HOME": str(home), "CLAUDE_PROJECT_DIR": str(repo),
            "GIT_CONFIG_NOSYSTEM": "1", "GIT_CONFIG_GLOBAL": "/dev/null"}


def run_call(call: str, repo: Path, env: Mapping[str, str]) -> subprocess.CompletedProcess:
    """One Bash call, for real, with nothing protecting anything."""
    return subprocess.run(["bash", "-c", call], cwd=repo, env=dict(env), capture_output=True,
                          stdin=subprocess.DEVNULL, timeout=60, check=False)


def guard_refuses(call: str, repo: Path, env: Mapping[str, str]) -> bool:
    """Whether guard-paths refuses ``call`` as Claude Code would send it."""
    event = {"hook_event_name": "PreToolUse", "cwd": str(repo), "tool_name": "Bash",
             "tool_input": {"command": call}}
    with redirect_stderr(io.StringIO()):
        code = guard_paths.main(io.BytesIO(json.dumps(event).encode()), dict(env))
    assert code in (0, 2), code
    return code == 2


def changed(before: Mapping[str, str], after: Mapping[str, str]) -> list[str]:
    return sorted(name for name in before.keys() | after.keys()
                  if before.get(name) != after.get(name))


def fresh_copy(base: Path, dest: Path) -> Path:
    """A copy of ``base`` at ``dest``, a folder that must not exist yet (removing what an
    attack left behind costs more than a new copy: the test's temporary folder goes)."""
    subprocess.run(["cp", "-a", str(base), str(dest)], check=True)
    return dest


TOOLS = ("bash", "git", "python3", "node", "perl", "make", "tar", "zip", "unzip", "patch", "ed",
         "awk", "tac", "shred", "base64", "xargs")
"""The programs the attacks run."""
MISSING_TOOLS = [tool for tool in TOOLS if shutil.which(tool) is None]


def unprotected_state(repo: Path, paths: list[str]) -> dict[str, Any]:
    """``state`` with ``.venv`` hashed too (a small fake one in the unprotected runs)."""
    found = state(repo, [p for p in paths if p != ".venv"])
    venv = repo / ".venv"
    found.update(state(repo, [path.relative_to(repo).as_posix() for path in venv.rglob("*")])
                 if venv.is_dir() else {".venv": "absent"})
    return found
