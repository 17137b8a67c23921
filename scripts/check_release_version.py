#!/usr/bin/env python3
"""Release gate: the tag, ``agentrails.__version__``, the CHANGELOG and the template's pin agree.

    python scripts/check_release_version.py --tag v1.2.3 [--notes NOTES.md] [--root DIR]

The release workflow runs it on the pushed tag before anything is built. It checks that

- the tag is ``vX.Y.Z`` (PEP 440 pre-releases such as ``v1.2.3rc1`` allowed);
- ``__version__`` in src/agentrails/__init__.py (hatch reads the version from there) is X.Y.Z;
- CHANGELOG.md has a ``## [X.Y.Z] - YYYY-MM-DD`` heading, it is the newest release there,
  and its section is not empty (it becomes the GitHub release's notes, see ``--notes``);
- the version the template pins (``agentrails==X.Y.Z`` in a generated project) is X.Y.Z: the
  literal default of the copier.yml variable ``PIN_VARIABLE`` when copier.yml defines one,
  otherwise ``__version__`` (the template then renders its pin from the package version), and
  every literal ``agentrails==`` pin written anywhere in template/ or copier.yml.

Exit 0 when everything agrees, 1 with one line per disagreement, 2 on a usage error (no tag,
a missing file).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VERSION_FILE = "src/agentrails/__init__.py"
CHANGELOG = "CHANGELOG.md"
COPIER = "copier.yml"
TEMPLATE_DIR = "template"
# The copier.yml variable the template's `agentrails==` pin is rendered from. Point this at
# the variable's final name if the template names it differently.
PIN_VARIABLE = "agentrails_version"

VERSION = r"\d+\.\d+\.\d+(?:(?:a|b|rc)\d+)?"
TAG = re.compile(rf"^v({VERSION})$")
DUNDER = re.compile(r"""^__version__\s*=\s*["']([^"']+)["']""", re.M)
RELEASE_HEADING = re.compile(rf"^## \[({VERSION})\] - \d{{4}}-\d{{2}}-\d{{2}}\s*$", re.M)
ANY_H2 = re.compile(r"^## ", re.M)
LITERAL_PIN = re.compile(rf"\bagentrails\s*==\s*({VERSION})\b")


class UsageError(Exception):
    """A missing file or argument: exit 2."""


def read(root: Path, relative: str) -> str:
    """The text of ``root/relative``, or a :class:`UsageError` naming it."""
    try:
        return (root / relative).read_text(encoding="utf-8")
    except OSError as error:
        raise UsageError(f"cannot read {relative}: {error.strerror or error}") from None


def package_version(root: Path) -> str:
    """``__version__`` as written in src/agentrails/__init__.py."""
    match = DUNDER.search(read(root, VERSION_FILE))
    if match is None:
        raise UsageError(f"{VERSION_FILE} has no `__version__ = \"X.Y.Z\"` line")
    return match[1]


def changelog_section(text: str, version: str) -> str | None:
    """The body under ``## [version] - date``, stripped; None when there is no such heading."""
    for match in RELEASE_HEADING.finditer(text):
        if match[1] == version:
            following = ANY_H2.search(text, match.end())
            end = following.start() if following else len(text)
            return text[match.end():end].strip()
    return None


def newest_release(text: str) -> str | None:
    """The version of the first ``## [X.Y.Z] - date`` heading (Unreleased is not one)."""
    match = RELEASE_HEADING.search(text)
    return match[1] if match else None


def pinned_versions(root: Path, fallback: str) -> list[tuple[str, str]]:
    """Every place the template takes its ``agentrails==`` version from: (where, version)."""
    config, copier_text = copier_config(root)
    variable = _copier_pin(config)
    if variable is not None:
        pins = [(f"{COPIER}: {PIN_VARIABLE}", variable)]
    else:
        pins = [(f"the template pin (rendered from {VERSION_FILE})", fallback)]
    pins += [(f"{COPIER} (literal pin)", found) for found in LITERAL_PIN.findall(copier_text)]
    template = root / TEMPLATE_DIR
    for path in sorted(template.rglob("*")) if template.is_dir() else []:
        if path.is_file():
            text = path.read_text(encoding="utf-8", errors="replace")
            where = path.relative_to(root).as_posix()
            pins += [(where, found) for found in LITERAL_PIN.findall(text)]
    return pins


def copier_config(root: Path) -> tuple[dict, str]:
    """copier.yml as copier reads it: its YAML documents and the files they ``!include``
    (paths relative to the root), merged in order, a later key winning; and the text of all
    those files."""
    texts: list[str] = []

    class Loader(yaml.SafeLoader):
        """A SafeLoader that also reads copier's ``!include``."""

    def include(loader: yaml.SafeLoader, node: yaml.Node) -> list:
        documents: list = []
        for path in sorted(root.glob(str(loader.construct_scalar(node)))):
            texts.append(path.read_text(encoding="utf-8"))
            documents += [document for document in yaml.load_all(texts[-1], Loader=Loader)
                          if document]
        return documents

    Loader.add_constructor("!include", include)
    texts.append(read(root, COPIER))
    merged: dict = {}
    try:
        for document in list(yaml.load_all(texts[0], Loader=Loader)):
            for part in document if isinstance(document, list) else [document]:
                merged.update(part if isinstance(part, dict) else {})
    except yaml.YAMLError as error:
        raise UsageError(f"{COPIER} is not valid YAML: {error}") from None
    return merged, "\n".join(texts)


def _copier_pin(config: dict) -> str | None:
    """The literal default of ``PIN_VARIABLE`` in copier.yml; None if absent or computed."""
    entry = config.get(PIN_VARIABLE)
    value = entry.get("default") if isinstance(entry, dict) else entry
    if isinstance(value, str) and "{" not in value and value.strip():
        return value.strip()
    return None


def disagreements(root: Path, tag: str) -> list[str]:
    """One line per place that does not name the tag's version; empty when all agree."""
    match = TAG.match(tag)
    if match is None:
        return [f"tag {tag!r} is not vX.Y.Z"]
    version = match[1]
    problems = []
    found = package_version(root)
    if found != version:
        problems.append(f"{VERSION_FILE}: __version__ is {found}, the tag {tag} says {version}")
    problems += _changelog_problems(read(root, CHANGELOG), version)
    for where, pinned in pinned_versions(root, found):
        if pinned != version:
            problems.append(f"{where}: the template pins agentrails=={pinned}, not {version}")
    return problems


def _changelog_problems(text: str, version: str) -> list[str]:
    section = changelog_section(text, version)
    if section is None:
        return [f"{CHANGELOG}: no '## [{version}] - YYYY-MM-DD' heading"]
    problems = []
    newest = newest_release(text)
    if newest != version:
        problems.append(f"{CHANGELOG}: the newest release heading is {newest}, not {version}")
    if not section:
        problems.append(f"{CHANGELOG}: the section of {version} is empty")
    return problems


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="check_release_version",
        description="Check that a release tag agrees with __version__, CHANGELOG.md and the "
        "template's pinned agentrails version.",
    )
    parser.add_argument("--tag", default=os.environ.get("GITHUB_REF_NAME"),
                        help="the release tag, vX.Y.Z (default: $GITHUB_REF_NAME)")
    parser.add_argument("--root", type=Path, default=ROOT, help="the repository (default: here)")
    parser.add_argument("--notes", type=Path, metavar="FILE",
                        help="write the tag's CHANGELOG section to FILE (the release notes)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Check the release; print each disagreement. 0 agree, 1 disagree, 2 usage error."""
    args = _parser().parse_args(argv)
    if not args.tag:
        print("check_release_version: give --tag vX.Y.Z (or set GITHUB_REF_NAME)", file=sys.stderr)
        return 2
    try:
        problems = disagreements(args.root, args.tag)
        if not problems and args.notes:
            version = TAG.match(args.tag)[1]
            notes = changelog_section(read(args.root, CHANGELOG), version)
            args.notes.write_text(f"{notes}\n", encoding="utf-8")
    except (UsageError, OSError) as error:
        print(f"check_release_version: {error}", file=sys.stderr)
        return 2
    for problem in problems:
        print(f"release version mismatch: {problem}", file=sys.stderr)
    if not problems:
        print(f"{args.tag}: tag, __version__, {CHANGELOG} and the template pin agree")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
