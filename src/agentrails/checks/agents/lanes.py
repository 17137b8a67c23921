"""AR703 and AR704: ownership lanes (``[tool.agentrails.lanes]``, lane -> globs) cover the
source files exactly once, and seams (``[tool.agentrails] seams``) change alone. A package
with a configuration of its own governs the files below it with its own lanes and seams."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from agentrails.checks.common.git import changed_files
from agentrails.checks.common.paths import glob_set, source_matcher
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.globs import GlobSet
from agentrails.engine.protocol import PackageScope, Rule, RuleContext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


def _lanes(top: Mapping[str, Any]) -> dict[str, GlobSet]:
    return {lane: glob_set(tuple(globs)) for lane, globs in top.get("lanes", {}).items()}


class _Scope:
    """Lanes, seams and source files as one package (or the project) declares them."""

    def __init__(self, scope: PackageScope):
        self.prefix = scope.prefix
        self.lanes = _lanes(scope.top)
        self.seams = glob_set(tuple(scope.top.get("seams", [])))
        self.is_source = source_matcher(tuple(scope.options.get("sources", [])))


def _scopes(ctx: RuleContext) -> Callable[[str], _Scope]:
    """The scope governing a path: the innermost package with its own configuration."""
    built: dict[str, _Scope] = {}

    def of(path: str) -> _Scope:
        scope = ctx.scope_of(path)
        if scope.prefix not in built:
            built[scope.prefix] = _Scope(scope)
        return built[scope.prefix]

    return of


def lanes_of(path: str, lanes: Mapping[str, GlobSet]) -> list[str]:
    """The lanes whose globs match ``path``."""
    return [lane for lane, globs in lanes.items() if globs.match(path)]


class LaneCoverage(Rule):
    """What it finds:
    With lanes configured (`[tool.agentrails.lanes]`, lane name -> globs): a source file
    in no lane, or in more than one. Source files are those matching the agents family's
    `sources`, or by default files with a source-code suffix. Files listed as seams may be
    in no lane. Nothing is checked while no lane is configured.

    Why:
    Parallel agents stay out of each other's way when each owns a lane. Overlapping lanes
    let two sessions edit the same file; a file in no lane has no owner at all.

    Example:
        lanes = { api = ["src/app/api/**"], core = ["src/**"] }
        # src/app/api/routes.py is in both lanes; so is every file of src/app/api/

    Use instead:
        lanes = { api = ["src/app/api/**"], core = ["src/app/core/**", "src/app/*.py"] }

    How to fix:
    Make the globs mutually exclusive and collectively exhaustive: narrow the overlapping
    lane, or add the unowned file to a lane (or list it as a seam). Suppress for one file
    with `# agentrails: noqa: AR703` in it.

    Options:
    In `[tool.agentrails]`:

    - `lanes` (default none): lane name -> globs of the paths it owns.
    - `seams` (default none): globs of shared files, which may be in no lane.

    In `[tool.agentrails.agents]`:

    - `sources` (default: files with a source-code suffix): globs of the source files.
    """

    code = "AR703"
    file_level = True
    summary = "ownership lanes overlap or leave a source file unowned"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        scope_of = _scopes(ctx)
        for path in sorted(facts):
            scope = scope_of(path)
            if not scope.lanes or not scope.is_source(path):
                continue
            owners = lanes_of(path, scope.lanes)
            if len(owners) > 1:
                yield Finding(path, 1, 1, self.code, f"in {len(owners)} lanes: {', '.join(owners)}")
            elif not owners and not scope.seams.match(path):
                yield Finding(path, 1, 1, self.code, "in no lane")


class SeamChange(Rule):
    """What it finds:
    With `agentrails check --diff-base REF`: a change (since the merge base of REF and
    HEAD, work tree included) that touches a seam (`[tool.agentrails] seams`, globs of
    shared files such as schemas, shared types or configuration) and also lane code: a
    changed file in some lane, or, without lanes, any changed source file. Reported on
    each changed seam. Without `--diff-base` or seams, nothing is checked.

    Why:
    A seam is what lanes share. Changed alongside lane code, it lands half-reviewed and
    breaks the other lanes' agents mid-flight; alone, everyone can rebase onto it.

    Example:
        git diff --stat origin/main
         src/app/schema.py     |  4 ++--      # a seam
         src/app/api/orders.py | 20 ++++++++++----------   # lane code, in the same change

    Use instead:
        git diff --stat origin/main            # first change: the seam alone
         src/app/schema.py     |  4 ++--
        # second change, after the first landed: src/app/api/orders.py

    How to fix:
    Split the change: land the seam first in a change of its own, then the lane code.
    Suppress with `# noqa: AR704` on line 1 of the seam file.

    Options:
    In `[tool.agentrails]`:

    - `seams` (default none): globs of the files lanes share (schemas, shared types,
      configuration).
    - `lanes` (default none): lane name -> globs of the paths it owns.
    """

    code = "AR704"
    file_level = True
    summary = "a change touches a seam together with lane code (needs --diff-base)"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        if ctx.diff_base is None:
            return
        scope_of = _scopes(ctx)
        groups: dict[str, list[str]] = {}
        for path in changed_files(ctx.root, ctx.diff_base) or {}:
            groups.setdefault(scope_of(path).prefix, []).append(path)
        for paths in groups.values():
            scope = scope_of(paths[0])
            if not scope.seams.globs:
                continue
            touched, lane_code = _seams_and_lane_code(paths, scope)
            if touched and lane_code:
                more = f" and {len(lane_code) - 3} more" if len(lane_code) > 3 else ""
                message = f"seam changed together with lane code: {', '.join(lane_code[:3])}{more}"
                for path in _anchors(touched, lane_code, facts):
                    yield Finding(path, 1, 1, self.code, message)


def _anchors(touched: list[str], lane_code: list[str], facts: Mapping[str, FileFacts]) -> list[str]:
    """Where to report: each changed seam that still exists, else the first lane file."""
    seams = [path for path in touched if path in facts]
    return seams or [path for path in lane_code if path in facts][:1]


def _seams_and_lane_code(changes: list[str], scope: _Scope) -> tuple[list[str], list[str]]:
    """The changed seams of one scope, and its changed files that are lane code: in a
    lane, or without lanes, source files."""
    touched = sorted(p for p in changes if scope.seams.match(p))
    others = [p for p in changes if not scope.seams.match(p)]
    lane_code = sorted(p for p in others
                       if (lanes_of(p, scope.lanes) if scope.lanes else scope.is_source(p)))
    return touched, lane_code
