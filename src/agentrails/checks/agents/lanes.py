"""AR703 and AR704: ownership lanes (``[tool.agentrails.lanes]``, lane -> globs) cover the
source files exactly once, and seams (``[tool.agentrails] seams``) change alone."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.checks.common.git import changed_files
from agentrails.checks.common.paths import glob_set, source_matcher
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.globs import GlobSet
from agentrails.engine.protocol import Rule, RuleContext


def _lanes(ctx: RuleContext) -> dict[str, GlobSet]:
    return {lane: glob_set(tuple(globs)) for lane, globs in ctx.top.get("lanes", {}).items()}


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
        [tool.agentrails.lanes]
        api = ["src/app/api/**"]
        core = ["src/**"]           # also claims src/app/api/: overlap

    How to fix:
    Make the globs mutually exclusive and collectively exhaustive: narrow the overlapping
    lane, or add the unowned file to a lane (or list it as a seam). Suppress for one file
    with `# agentrails: noqa: AR703` in it.
    """

    code = "AR703"
    file_level = True
    summary = "ownership lanes overlap or leave a source file unowned"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        lanes = _lanes(ctx)
        if not lanes:
            return
        is_source = source_matcher(tuple(ctx.options["sources"]))
        seams = glob_set(tuple(ctx.top.get("seams", [])))
        for path in sorted(facts):
            if not is_source(path):
                continue
            owners = lanes_of(path, lanes)
            if len(owners) > 1:
                yield Finding(path, 1, 1, self.code, f"in {len(owners)} lanes: {', '.join(owners)}")
            elif not owners and not seams.match(path):
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
        [tool.agentrails]
        seams = ["src/app/schema.py", "src/app/types.py"]

    How to fix:
    Split the change: land the seam first in a change of its own, then the lane code.
    Suppress with `# noqa: AR704` on line 1 of the seam file.
    """

    code = "AR704"
    file_level = True
    summary = "a change touches a seam together with lane code (needs --diff-base)"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        seam_globs = tuple(ctx.top.get("seams", []))
        if ctx.diff_base is None or not seam_globs:
            return
        touched, lane_code = _seams_and_lane_code(changed_files(ctx.root, ctx.diff_base) or {},
                                                  glob_set(seam_globs), ctx)
        if touched and lane_code:
            more = f" and {len(lane_code) - 3} more" if len(lane_code) > 3 else ""
            message = f"seam changed together with lane code: {', '.join(lane_code[:3])}{more}"
            for path in _anchors(touched, lane_code, facts):
                yield Finding(path, 1, 1, self.code, message)


def _anchors(touched: list[str], lane_code: list[str], facts: Mapping[str, FileFacts]) -> list[str]:
    """Where to report: each changed seam that still exists, else the first lane file."""
    seams = [path for path in touched if path in facts]
    return seams or [path for path in lane_code if path in facts][:1]


def _seams_and_lane_code(
    changes: Mapping[str, str], seams: GlobSet, ctx: RuleContext
) -> tuple[list[str], list[str]]:
    """The changed seams, and the changed files that are lane code: in a lane, or without
    lanes, source files."""
    lanes = _lanes(ctx)
    is_source = source_matcher(tuple(ctx.options["sources"]))
    touched = sorted(p for p in changes if seams.match(p))
    others = [p for p in changes if not seams.match(p)]
    lane_code = sorted(p for p in others if (lanes_of(p, lanes) if lanes else is_source(p)))
    return touched, lane_code
