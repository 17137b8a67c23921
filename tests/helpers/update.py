"""Helpers shared by the update tests (this module holds no tests).

``two_releases`` builds, in a temporary clone of this template, the history of two tagged
releases: ``v0.1.0`` is this checkout as it is, ``v0.2.0`` changes it the way real releases
do (a new rule enforced by a new pre-commit hook, a new workflow step, a tightened gate, a
lower default, renamed files).
``expected_after_update`` states the update contract as data: the tree that ``copier update``
must leave is a fresh render of the new release with the repository's own answers, plus the
user's edits, with the user's files left exactly as the user left them.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import yaml

from tests.helpers.template import (
    REPO,
    copier_config,
    git,
    is_clean,
    run,
    snapshot,
    tagless_clone,
    template_source,
    tool,
)

NEW_RULE = ("- A commit that changes code adds a handoff; the `agentrails` pre-commit hook"
            " enforces it (AR503, new in v0.2.0).")
# The hook that enforces the new rule in every updated repository: a template-owned file
# (.pre-commit-config.yaml) gains it, so it arrives with `copier update`.
NEW_HOOK_ARGS = ["--select", "AR503", "--diff-base", "HEAD"]
NEW_HOOK = ("      - id: agentrails\n"
            "        name: agentrails handoff per change (AR503, new in v0.2.0)\n"
            f"        args: [{', '.join(NEW_HOOK_ARGS)}]\n")
LAST_HOOK = "      - id: agentrails-update-hygiene\n"
NEW_STEP = "      - name: Rules in force (new in v0.2.0)\n        run: cat RULES.md\n"
SECRETS_LINE = "- Secrets live in the environment or the CI secret store, never in the repository."
SECRETS_V2 = "- Secrets live in the environment or the CI secret store, never in a prompt or a log."
RENAMED_KEPT = ("handoffs/TEMPLATE.md", "handoffs/_template.md")
RENAMED_PLAIN = ("migrations/TEMPLATE.md", "migrations/_template.md")
CI_TEMPLATE = ("template/.github/workflows/"
               "{{ 'ci.yml' if python_package else 'agentrails.yml' }}.jinja")
JINJA_ONLY_IF_ADOPTING = re.compile(r"^\{% if not python_package %\}/(.+)\{% endif %\}$")
JINJA_UNLESS_MERGED = re.compile(r"^\{% if not merge_pyproject %\}/(.+)\{% endif %\}$")

Tree = dict[str, bytes]


def replace_once(path: Path, old: str, new: str) -> None:
    """Replace the single occurrence of ``old`` in a file; fail if it is not there once."""
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def lower_default(copier_yml: Path, question: str, old: int, new: int) -> None:
    """Change the default of one integer question of copier.yml."""
    text = copier_yml.read_text(encoding="utf-8")
    pattern = re.compile(rf"(^{question}:\n(?:  .*\n)*?  default: ){old}\n", re.M)
    changed, count = pattern.subn(rf"\g<1>{new}\n", text)
    assert count == 1, f"no 'default: {old}' under {question} in copier.yml"
    copier_yml.write_text(changed, encoding="utf-8")


def exclude_on_update(copier_yml: Path, path: str) -> None:
    """Add an update-only ``_exclude`` entry: copier then leaves the team's copy in place."""
    entry = f"  - \"{{% if _copier_operation == 'update' %}}/{path}{{% endif %}}\"\n"
    replace_once(copier_yml, "_exclude:\n", f"_exclude:\n{entry}")


def release_v020(clone: Path) -> None:
    """The changes of the synthetic v0.2.0, committed and tagged."""
    template = clone / "template"
    rules = template / "RULES.md.jinja"
    replace_once(rules, SECRETS_LINE, f"{SECRETS_V2}\n{NEW_RULE}")
    replace_once(template / ".pre-commit-config.yaml.jinja", LAST_HOOK, LAST_HOOK + NEW_HOOK)
    replace_once(clone / CI_TEMPLATE, "{%- endraw %}\n\n  gate:", "{%- endraw %}\n" + NEW_STEP
                 + "\n  gate:")
    replace_once(template / "_includes" / "agentrails-config.toml.jinja",
                 'max-module-rank = "B"', 'max-module-rank = "A"')
    lower_default(clone / "copier.yml", "max_complexity", 10, 8)
    for old, new in (RENAMED_KEPT, RENAMED_PLAIN):
        git(clone, "mv", f"template/{old}", f"template/{new}")
    exclude_on_update(clone / "copier.yml", RENAMED_KEPT[0])
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "--no-verify", "-m",
        "v0.2.0: a rule and its hook, a step, renamed files")
    git(clone, "tag", "v0.2.0")


def two_releases(scratch: Path) -> Path:
    """A tagless clone of this template with ``v0.1.0`` (as it is) and ``v0.2.0``."""
    clone = tagless_clone(template_source(scratch), scratch / "template")
    git(clone, "tag", "v0.1.0")
    release_v020(clone)
    return clone


def history_clone(scratch: Path) -> Path:
    """A clone of this checkout with its history and tags; HEAD is the work tree as it is
    (committed on top when it has changes)."""
    scratch.mkdir(parents=True, exist_ok=True)
    clone = scratch / "agentrails"
    run(["git", "clone", "-q", str(REPO), str(clone)], scratch)
    if not is_clean(REPO):
        snap = snapshot(REPO, scratch / "snapshot")
        git(clone, "fetch", "-q", str(snap), "main")
        tree = git(clone, "rev-parse", "FETCH_HEAD^{tree}")
        commit = git(clone, "commit-tree", tree, "-p", "HEAD", "-m", "the work tree")
        git(clone, "reset", "-q", "--hard", commit)
    return clone


def hook_commands(config: str, manifest: str) -> dict[str, list[str]]:
    """The command line of each hook a pre-commit config takes from agentrails, by hook id:
    the manifest's ``entry`` followed by the config's ``args`` (run on the whole tree)."""
    entries = {hook["id"]: shlex.split(hook["entry"]) for hook in yaml.safe_load(manifest)}
    commands = {}
    for repo in yaml.safe_load(config)["repos"]:
        if repo["repo"].endswith("/agentrails/agentrails"):
            for hook in repo["hooks"]:
                commands[hook["id"]] = entries[hook["id"]] + list(hook.get("args", []))
    return commands


def copier_update(repo: Path, *extra: str, check: bool = True) -> Any:
    """``copier update --defaults --skip-answered`` in ``repo``: the flags Renovate and the
    template-update workflow pass. Never ``--trust``."""
    assert "--trust" not in extra and "--UNSAFE" not in extra
    cmd = [tool("copier"), "update", "--defaults", "--skip-answered", *extra]
    return run(cmd, repo, check=check)


def recorded_answers(repo: Path) -> dict[str, Any]:
    """The answers a repository was rendered with (its .copier-answers.yml, no private keys)."""
    data = yaml.safe_load((repo / ".copier-answers.yml").read_text(encoding="utf-8"))
    return {key: value for key, value in data.items() if not key.startswith("_")}


def ownership(package: bool, merge_pyproject: bool = False) -> Callable[[str], str | None]:
    """How copier update treats a path: "kept" (``_skip_if_exists`` of copier.yml: never
    rewritten, recreated if deleted), "excluded" (src/, tests/ and packages/: never written
    again) or None (the template's: rewritten, with the team's edits merged in)."""
    entries = copier_config()["_skip_if_exists"]
    names = set()
    for entry in entries:
        adopting = JINJA_ONLY_IF_ADOPTING.match(entry)
        unless_merged = JINJA_UNLESS_MERGED.match(entry)
        if adopting is not None:
            names.update([adopting[1]] if not package else [])
        elif unless_merged is not None:
            names.update([unless_merged[1]] if not merge_pyproject else [])
        else:
            assert "{%" not in entry, f"unexpected condition in _skip_if_exists: {entry}"
            assert entry.startswith("/"), f"{entry} is not anchored: it matches in any folder"
            names.add(entry[1:])

    def owner(path: str) -> str | None:
        if path.startswith(("src/", "tests/", "packages/")):
            return "excluded"
        return "kept" if path in names else None

    return owner


def expected_after_update(
    old: Tree, user: Tree, fresh: Tree, owner: Callable[[str], str | None],
    replay: Mapping[str, Callable[[str], str]] = {},  # noqa: B006 - read only
) -> Tree:
    """The tree an update must produce. ``old``: the render the user started from; ``user``:
    the committed repository before the update; ``fresh``: a new render of the target
    release with the same answers; ``replay``: the user's edits of template-owned files
    that the release changed too, applied again to the fresh render (the three-way merge)."""
    expected: Tree = {}
    for path in sorted(set(user) | set(fresh)):
        mine, theirs = user.get(path), fresh.get(path)
        if path in replay:
            assert theirs is not None, path
            found: bytes | None = replay[path](theirs.decode("utf-8")).encode("utf-8")
        elif owner(path) == "kept":
            found = mine if mine is not None else theirs
        elif owner(path) == "excluded" or old.get(path) != mine:
            found = mine  # the team's code, or the team's change to a file of the template
        else:
            found = theirs
        if found is not None:
            expected[path] = found
    return expected


def differences(actual: Tree, expected: Tree) -> list[str]:
    """Readable differences between two trees."""
    problems = [f"missing {name}" for name in sorted(set(expected) - set(actual))]
    problems += [f"unexpected {name}" for name in sorted(set(actual) - set(expected))]
    problems += [f"differs {name}" for name in sorted(set(actual) & set(expected))
                 if actual[name] != expected[name]]
    return problems
