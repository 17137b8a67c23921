"""AR601 and AR602: migration plans are dated, owned, and pass adversarial review before
any code is written."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping

from agentrails.checks.common.naming import is_exempt
from agentrails.checks.common.paths import dir_prefix
from agentrails.checks.migrations.plan import (
    FINDING_STATUSES,
    SEVERITIES,
    STATUSES,
    PlanFacts,
    parse_plan,
    valid_plan_name,
)
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Option, Rule, RuleContext, SourceFile
from agentrails.engine.validators import integer, string, string_list

FAMILY_NAME = "migrations"
GATED = ("accepted", "done")


def plan_path(path: str, prefix: str) -> bool:
    """True for a non-exempt Markdown file directly in the migrations folder."""
    if not path.startswith(prefix) or not path.lower().endswith(".md"):
        return False
    name = path[len(prefix):]
    return "/" not in name and not is_exempt(name)


def collect(source: SourceFile, ctx: RuleContext) -> PlanFacts | None:
    """Front matter and review passes of each plan."""
    if source.text is None or not plan_path(source.path, dir_prefix(ctx.options["dir"])):
        return None
    return parse_plan(source.text)


def _plans(facts: Mapping[str, FileFacts]) -> Iterator[tuple[str, PlanFacts]]:
    for path in sorted(facts):
        plan = facts[path].families.get(FAMILY_NAME)
        if isinstance(plan, PlanFacts):
            yield path, plan


class PlanShape(Rule):
    """What it finds:
    A Markdown file in the migrations folder (`dir`, default `migrations`) not named
    `YYYY-MM-DD-slug.md`, or without YAML front matter holding `status` (draft, accepted,
    done or rejected) and a non-empty `owner`. README.md, hidden files and names starting
    with `_` or `TEMPLATE` are not plans.

    Why:
    A plan's date orders the history of the system's big changes; its status says whether
    code may be written; its owner is who answers the reviewers.

    Example:
        ---
        status: aproved     # not a status
        ---

    Use instead:
        ---
        status: accepted
        owner: dana
        ---

    How to fix:
    Create plans with `agentrails migration new SLUG`, or add the front matter by hand:
    `status: draft` and `owner: your-name` between `---` lines at the top. Suppress with a
    YAML comment on the reported line: `status: legacy  # noqa: AR601`.

    Options:
    In `[tool.agentrails.migrations]`:

    - `dir` (default "migrations"): the folder of the migration plans.
    """

    code = "AR601"
    file_level = True
    summary = "migration plan misnamed or missing its front matter"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        prefix = dir_prefix(ctx.options["dir"])
        for path, plan in _plans(facts):
            if not valid_plan_name(path[len(prefix):]):
                yield Finding(path, 1, 1, self.code, "plan name must be YYYY-MM-DD-slug.md")
            for line, message in _front_problems(plan):
                yield Finding(path, line, 1, self.code, message)


def _front_problems(plan: PlanFacts) -> Iterator[tuple[int, str]]:
    front = plan.front
    if front is None:
        yield 1, "plan has no YAML front matter (status, owner)"
        return
    if front.error:
        yield front.error_line, f"front matter: {front.error}"
        return  # nothing in it could be read, so nothing more can be said of its keys
    status = front.values.get("status")
    if status is None:
        yield front.line_of("status"), f"front matter lacks status ({', '.join(STATUSES)})"
    elif str(status).lower() not in STATUSES:
        yield front.line_of("status"), f"status {status!r} is not one of {', '.join(STATUSES)}"
    owner = front.values.get("owner")
    if owner is None or not str(owner).strip():
        yield front.line_of("owner"), "front matter lacks an owner"


class PlanReview(Rule):
    """What it finds:
    A plan whose `status` is `accepted` or `done` with fewer than `min-passes` (default 2)
    review passes, with an open finding of a `blocking` severity (default Critical and
    High) in any pass, or whose review tables cannot be read: a `## Review pass N` section
    without a `| Severity | Finding | Status |` table, a severity other than Critical, High,
    Medium or Low, or a status other than open or resolved.

    Why:
    Code starts only when adversarial review has run at least twice and nothing serious is
    left open. Marking a plan accepted early is how half-reviewed migrations ship.

    Example:
        ## Review pass 1
        | Severity | Finding | Status |
        | --- | --- | --- |
        | High | Backfill locks the orders table | open |

    Use instead:
        ## Review pass 2
        | Severity | Finding | Status |
        | --- | --- | --- |
        | High | Backfill locks the orders table | resolved |

    How to fix:
    Resolve the finding (change the plan, then mark the row resolved) and run another
    review pass, or set the status back to `draft`. Suppress with a YAML comment,
    `status: accepted  # noqa: AR602`, or `<!-- # noqa: AR602 -->` after a table row.

    Options:
    In `[tool.agentrails.migrations]`:

    - `dir` (default "migrations"): the folder of the migration plans.
    - `min-passes` (default 2): the review passes a plan needs before it is accepted.
    - `blocking` (default Critical, High): the severities that block acceptance while open.
    """

    code = "AR602"
    file_level = True
    summary = "plan accepted without two review passes or with open Critical/High findings"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        blocking = {s.lower() for s in ctx.options["blocking"]}
        for path, plan in _plans(facts):
            front = plan.front
            status = str(front.values.get("status", "")).lower() if front else ""
            if status not in GATED:
                continue
            for line, message in _review_problems(plan, blocking, ctx.options["min-passes"]):
                yield Finding(path, line or front.line_of("status"), 1, self.code, message)


def _review_problems(
    plan: PlanFacts, blocking: set[str], minimum: int
) -> Iterator[tuple[int, str]]:
    numbers = set()
    for review in plan.passes:
        if not review.has_table:
            table = "| Severity | Finding | Status |"
            yield review.line, f"review pass {review.number} has no {table} table"
            continue
        numbers.add(review.number)
        for row in review.rows:
            severity, status = row.severity.lower(), row.status.lower()
            if severity not in SEVERITIES:
                yield row.line, f"severity {row.severity!r} is not Critical, High, Medium or Low"
            elif status not in FINDING_STATUSES:
                yield row.line, f"status {row.status!r} is not open or resolved"
            elif status == "open" and severity in blocking:
                where = f"review pass {review.number}"
                yield row.line, f"open {row.severity} finding in {where}: {row.finding}"
    if len(numbers) < minimum:
        yield 0, f"accepted with {len(numbers)} review pass(es); needs {minimum}"


def _severities(value: object) -> list[str]:
    """A list of severities (Critical, High, Medium, Low), any case."""
    items = string_list(value)
    unknown = [item for item in items if item.lower() not in SEVERITIES]
    if unknown:
        raise ValueError(f"{unknown[0]!r} is not Critical, High, Medium or Low")
    return items


def _options() -> dict[str, Option]:
    return {
        "dir": Option("migrations", string, "folder of the migration plans (AR601, AR602)"),
        "min-passes": Option(2, integer(minimum=0), "review passes before acceptance (AR602)"),
        "blocking": Option(["Critical", "High"], _severities,
                           "severities that block acceptance while open (AR602)"),
    }


FAMILY = Family(
    name=FAMILY_NAME,
    section="migrations",
    options=_options(),
    rules=(PlanShape, PlanReview),
    collect=collect,
    fingerprint=lambda ctx: f"dir={ctx.options['dir']}",
)
