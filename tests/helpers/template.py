"""Helpers of the template tests: render this checkout with copier, run tools in the result.

Renders always use the real ``copier`` CLI with ``--vcs-ref HEAD`` and never ``--trust``.
The source is this checkout itself when its work tree is clean (CI). While someone edits it,
the source is a snapshot: a fresh repository holding the work tree as it is (tracked and
untracked, not ignored), committed once with a fixed date. That is what copier does itself
for a dirty local template, except that the snapshot is frozen, so two renders in one test
session see the same commit and concurrent edits cannot make them differ.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.paths import REPO

BIN = Path(sys.executable).parent
SHA = re.compile(r"^[0-9a-f]{40}$")

GIT_ENV = {
    "GIT_AUTHOR_NAME": "agentrails tests",
    "GIT_AUTHOR_EMAIL": "tests@agentrails.invalid",
    "GIT_COMMITTER_NAME": "agentrails tests",
    "GIT_COMMITTER_EMAIL": "tests@agentrails.invalid",
    "GIT_AUTHOR_DATE": "2025-01-01T00:00:00Z",
    "GIT_COMMITTER_DATE": "2025-01-01T00:00:00Z",
}

# Answers that exercise every agent tool, both package modes, both package managers, two type
# checkers and every optional workflow switch in both positions, with every license and
# non-default caps and branch names. (The package managers' own gates run in
# test_template_toolchain.py.)
COMBOS: dict[str, dict[str, Any]] = {
    "claude-package": {
        "project_name": "Acme Billing",
        "agent_tools": ["claude"],
        "python_package": True,
        "promote_workflow": True,
        "promotion_app_id": 123456,
        "cleanup_workflow": True,
        "self_heal_workflow": True,
    },
    "others-package": {
        "project_name": "Lean Tools",
        "agent_tools": ["codex", "copilot", "cursor"],
        "python_package": True,
        "python_version": "3.13",
        "package_manager": "pip",
        "type_checker": "pyright",
        "test_all_pythons": False,
        "release_workflow": False,
        "license": "Apache-2.0",
        "staging_branch": "develop",
        "production_branch": "release",
        "max_file_lines": 300,
        "max_function_lines": 40,
        "max_complexity": 6,
        "dead_code_confidence": 60,
        "coverage_floor": 100,
        "context_budget_lines": 120,
        "promote_workflow": False,
        "cleanup_workflow": False,
        "self_heal_workflow": False,
        "template_update_workflow": False,
    },
    "all-tools-adopt": {
        "project_name": "Old Service",
        "agent_tools": ["claude", "codex", "copilot", "cursor"],
        "python_package": False,
        "license": "BSD-3-Clause",
        "promote_workflow": True,
        "cleanup_workflow": True,
        "self_heal_workflow": True,
    },
    "bare-adopt": {
        "project_name": "Bare",
        "agent_tools": [],
        "python_package": False,
        "license": "Proprietary",
        "promote_workflow": False,
        "cleanup_workflow": False,
        "self_heal_workflow": False,
        "template_update_workflow": False,
    },
}


def copier_config(root: Path = REPO) -> dict[str, Any]:
    """copier.yml of a template as copier reads it: its documents and the files they
    ``!include`` (questions/*.yml), merged in order."""
    from copier._template import load_template_config

    return load_template_config(root / "copier.yml")


def copier_config_files(root: Path = REPO) -> list[Path]:
    """copier.yml and every file it includes."""
    return [root / "copier.yml", *sorted((root / "questions").glob("*.yml"))]


def tool(name: str) -> str:
    """The path of a console script installed beside this interpreter (or on PATH)."""
    local = BIN / name
    if local.exists():
        return str(local)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed; install this repository's test extras")
    return found


def run(
    cmd: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None, check: bool = True
) -> subprocess.CompletedProcess[str]:
    """Run a command; on an unexpected failure, fail with its whole output."""
    full_env = {**os.environ, **GIT_ENV, "NO_COLOR": "1", "PRE_COMMIT_COLOR": "never"}
    full_env.update(env or {})
    result = subprocess.run(
        list(cmd), cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )
    if check and result.returncode != 0:
        raise AssertionError(
            f"{' '.join(cmd)} exited {result.returncode} in {cwd}\n"
            f"--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result


def git(cwd: Path, *args: str, check: bool = True) -> str:
    """Run git and return its stripped stdout."""
    return run(["git", *args], cwd, check=check).stdout.strip()


def is_clean(repo: Path) -> bool:
    """True when the work tree has no changes and no untracked files."""
    return git(repo, "status", "--porcelain") == ""


def snapshot(repo: Path, dest: Path) -> Path:
    """A one-commit repository holding the work tree of ``repo`` as it is now."""
    listing = run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], repo
    ).stdout
    dest.mkdir(parents=True, exist_ok=True)
    for name in filter(None, listing.split("\0")):
        source = repo / name
        if not source.is_file() or source.is_symlink():
            continue  # deleted in the work tree, or a link copier would not follow
        target = dest / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(source, target)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "--no-verify", "--no-gpg-sign", "-m", "snapshot of the work tree")
    return dest


def tagless_clone(source: Path, dest: Path) -> Path:
    """A clone of ``source`` without its tags, so tests can tag releases of their own."""
    run(["git", "clone", "-q", "--no-tags", str(source), str(dest)], dest.parent)
    return dest


def template_source(scratch: Path) -> Path:
    """This checkout when clean, else a frozen snapshot of it under ``scratch``."""
    if is_clean(REPO):
        return REPO
    return snapshot(REPO, scratch / "agentrails-snapshot")


def render(
    source: Path,
    dest: Path,
    data: Mapping[str, Any],
    vcs_ref: str = "HEAD",
    extra: Sequence[str] = (),
    check: bool = True,
) -> subprocess.CompletedProcess[str]:
    """``copier copy --defaults --vcs-ref REF`` with ``data`` as the answers (never --trust)."""
    data_file = dest.parent / f"{dest.name}.answers.yml"
    dest.parent.mkdir(parents=True, exist_ok=True)
    data_file.write_text(yaml.safe_dump(dict(data)), encoding="utf-8")
    cmd = [tool("copier"), "copy", "--defaults", "--vcs-ref", vcs_ref,
           "--data-file", str(data_file), *extra, str(source), str(dest)]
    return run(cmd, dest.parent, check=check)


def commit_all(repo: Path, message: str = "start") -> None:
    """``git init`` (if needed), add everything and commit."""
    if not (repo / ".git").exists():
        git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--no-verify", "--no-gpg-sign", "--allow-empty", "-m", message)


def tracked_files(repo: Path) -> dict[str, bytes]:
    """Every tracked file of a repository and its bytes in the work tree."""
    names = filter(None, git(repo, "ls-files", "-z").split("\0"))
    return {name: (repo / name).read_bytes() for name in sorted(names)}


def tree_files(root: Path) -> dict[str, bytes]:
    """Every file under ``root`` (no .git) and its bytes."""
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def workflows(repo: Path) -> list[Path]:
    """The workflow files of a rendered repository."""
    return sorted((repo / ".github" / "workflows").glob("*.yml"))


def load_yaml(path: Path) -> Any:
    """A YAML file, with ``on`` kept a string key (YAML 1.1 would read it as True)."""
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if isinstance(data, dict) and True in data:
        data["on"] = data.pop(True)
    return data


def agentrails(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    """This checkout's ``agentrails`` (installed editable in this interpreter) in ``repo``."""
    return run([sys.executable, "-m", "agentrails", *args], repo, check=check)


# Third-party actions the template and ci/ use: full commit SHA and the release it is.
# Each SHA was read from the action's own repository (git tags, dereferenced to commits)
# and cross-checked against independent public workflows that pin the same release.
PINNED_ACTIONS = {
    "actions/checkout": ("de0fac2e4500dabe0009e67214ff5f5447ce83dd", "v6.0.2"),
    "actions/setup-python": ("a309ff8b426b58ec0e2a45f0f869d46889d02405", "v6.2.0"),
    "actions/cache": ("cdf6c1fa76f9f475f3d7449005a359c84ca0f306", "v5.0.3"),
    "actions/create-github-app-token": ("1b10c78c7865c340bc4f6099eb2f838309f1e8c3", "v3.1.1"),
    "github/codeql-action/upload-sarif": ("5d4e8d1aca955e8d8589aabd499c5cae939e33c7", "v4.31.9"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    # The release workflows (this repository's and the template's) and the template's CI.
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "actions/attest-build-provenance": ("a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", "v4.1.0"),
    "astral-sh/setup-uv": ("20cfd1bf945f4377ade1205e4dbc17946fc9a30d", "v10.0.1"),
    # The stored snapshot of pypa/gh-action-pypi-publish ends at v1.8.14 (2024); v1.13.0's
    # commit is the one that independent public workflows pin with "# v1.13.0".
    "pypa/gh-action-pypi-publish": ("ed0c53931b1dc9bd32cbe73a98c7f6766f8a527e", "v1.13.0"),
    # The self-heal agent: the v1.0.200 tag of anthropics/claude-code-action (an annotated
    # tag, dereferenced to its commit in a clone of the action's repository).
    "anthropics/claude-code-action": ("24dcd50c0568f0fc9e9211213a4fd2d9eb15c4e0", "v1.0.200"),
}
OWN_ACTION = re.compile(r"^agentrails/agentrails/ci/[a-z-]+$")
# A job calling a reusable workflow of this repository: it may not set timeout-minutes, the
# called workflow's own jobs do (and are checked like any other).
LOCAL_WORKFLOW = re.compile(r"^(?:\$|\.)/\.github/workflows/[\w.-]+\.ya?ml$")
USES_LINE = re.compile(r"^\s*(?:-\s+)?uses:\s*(?P<action>[^@\s]+)@(?P<ref>\S+)(?P<rest>.*)$")


def uses_problems(text: str, label: str) -> list[str]:
    """Every ``uses:`` pinned by a full SHA with its release in a comment."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        match = USES_LINE.match(line)
        if match is None:
            continue
        action, ref, rest = match["action"], match["ref"], match["rest"].strip()
        where = f"{label}:{number}: {action}"
        if action in PINNED_ACTIONS:
            sha, tag = PINNED_ACTIONS[action]
            if (ref, rest) != (sha, f"# {tag}"):
                problems.append(f"{where} is not pinned to {sha} # {tag}")
        elif OWN_ACTION.match(action):
            if not SHA.match(ref) or not re.fullmatch(r"# (v\d+\.\d+\.\d+\S*|untagged \S+)", rest):
                problems.append(f"{where} is not pinned by SHA with its ref in a comment")
        else:
            problems.append(f"{where} is not a reviewed action")
    return problems


def steps_problems(steps: list[dict], label: str) -> list[str]:
    """No expression inside ``run:``; every checkout drops its credentials."""
    problems = []
    for index, step in enumerate(steps):
        where = f"{label} step {index + 1}"
        if "${{" in str(step.get("run", "")):
            problems.append(f"{where}: ${{{{ }}}} expansion inside run:")
        checkout = str(step.get("uses", "")).startswith("actions/checkout@")
        if checkout and step.get("with", {}).get("persist-credentials") is not False:
            problems.append(f"{where}: checkout without persist-credentials: false")
    return problems


def workflow_problems(path: Path) -> list[str]:
    """The workflow rules of the template: permissions, pins, credentials, expressions."""
    data = load_yaml(path)
    problems = uses_problems(path.read_text(encoding="utf-8"), path.name)
    if data.get("permissions") != {}:
        problems.append(f"{path.name}: top-level permissions must be {{}}")
    for job_id, job in data["jobs"].items():
        if "permissions" not in job:
            problems.append(f"{path.name}/{job_id}: no job-level permissions")
        if "timeout-minutes" not in job and not LOCAL_WORKFLOW.match(str(job.get("uses", ""))):
            problems.append(f"{path.name}/{job_id}: no timeout-minutes")
        problems += steps_problems(job.get("steps", []), f"{path.name}/{job_id}")
    return problems
