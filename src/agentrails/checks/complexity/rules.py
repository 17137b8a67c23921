"""AR201, AR202 and AR203: function complexity, maintainability index, module average rank."""

from __future__ import annotations

from collections.abc import Iterable

from agentrails.checks.complexity.facts import RANKS, rank
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Option, PartialFacts, Rule, RuleContext, SourceFile
from agentrails.engine.validators import integer

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

Facts = tuple[tuple[tuple[str, int, int, int], ...], tuple[int, ...], "float | None"]
"""(functions, blocks, maintainability index): see ``agentrails.checks.complexity.facts``."""


def collect(source: SourceFile, ctx: RuleContext) -> Facts | None:
    """Complexities from the one parse, as plain tuples; radon's MI only when AR202 runs
    with a floor."""
    if source.tree is None:
        return None
    from agentrails.checks.complexity.count import measure

    functions, blocks, _ = measure(source.tree).plain()
    if not _wants_mi(ctx) or source.text is None:
        return functions, blocks, None
    try:
        from radon.metrics import mi_visit

        mi = float(mi_visit(source.text, multi=True))
    except Exception as error:  # radon failing on one file must not lose its other facts
        reason = f"maintainability index failed: {type(error).__name__}: {error}"
        raise PartialFacts((functions, blocks, None), reason) from None
    return functions, blocks, mi


def _wants_mi(ctx: RuleContext) -> bool:
    return "AR202" in ctx.selected and ctx.options.get("min-maintainability") is not None


def fingerprint(ctx: RuleContext) -> str:
    """The maintainability index is collected only when AR202 runs with a floor."""
    return "mi" if _wants_mi(ctx) else ""


def _facts(facts: FileFacts) -> Facts | None:
    found = facts.families.get("complexity")
    return found if isinstance(found, tuple) else None


class ComplexFunction(Rule):
    """What it finds:
    A function, method, nested function, or method of a nested class whose cyclomatic
    complexity is above `max-function` (default 10). Complexity is counted as radon 6.0.1
    counts it: 1, plus 1 for each `if`, `elif`, conditional expression, loop, loop `else`,
    comprehension and comprehension `if`, `except` handler, `try` `else`, `assert`, and
    `match` case (an irrefutable `case _:` not counted), plus one less than the operands of
    each `and`/`or` chain. A lambda counts in the function around it; a nested function is
    measured on its own and adds nothing to its parent; decorators and defaults count nowhere.

    Where we count differently from radon: radon undercounts two kinds of modern syntax, and
    here they count. A `try` with `except*` handlers counts like `try`/`except` (radon counts
    nothing for it), and each `case` guard (`case x if cond:`) adds 1 (radon ignores guards).
    Methods of classes defined inside a function are reported too (radon drops them).

    Why:
    Each decision point is a path to test and to hold in mind. Agents make their most
    confident mistakes in functions with many paths, and reviewers miss them there too.

    Example:
        def discount(order):                       # complexity 5 > max-function = 4
            if order.vip and order.total > 100:    # if +1, and +1
                return 0.9
            for item in order.items:               # loop +1
                if item.on_sale:                   # if +1
                    return 0.95
            return 1.0

    Use instead:
        def discount(order):                       # complexity 3
            if is_big_vip_order(order):            # if +1
                return 0.9
            return 0.95 if has_sale_item(order) else 1.0   # conditional expression +1

    How to fix:
    Split the function: extract each branch's work into a helper, replace flag-driven
    branches with separate functions or a lookup table, return early.

    Options:
    In `[tool.agentrails.complexity]`:

    - `max-function` (default 10): the complexity a function may reach.
    """

    code = "AR201"
    worse = "higher"
    needs = "complexity"
    summary = "function too complex (cyclomatic complexity)"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        found = _facts(facts)
        if found is None:
            return
        limit = ctx.options["max-function"]
        for name, line, column, complexity in found[0]:
            if complexity > limit:
                yield Finding(
                    facts.path, line, column, self.code,
                    f"function {name!r} is too complex ({complexity} > {limit})",
                    complexity, limit, symbol=name,
                )


class LowMaintainability(Rule):
    """What it finds:
    A module whose maintainability index, as radon computes it (`mi_visit` with multi-line
    strings counted as comments), is below `min-maintainability` (0 to 100). Opt-in: it is
    off until `min-maintainability` is set, because the index needs a second, slower pass
    (radon parses and tokenizes the file again). Selected without a floor, it reports nothing.

    Why:
    The index folds size, complexity and Halstead volume into one number; a low score marks
    modules that are expensive to read and change, for people and agents alike.

    Example:
        # legacy/report.py: maintainability index 14, below min-maintainability = 20
        # (900 lines, functions of complexity 30, the same branches copied into several)

    Use instead:
        # report/load.py, report/totals.py, report/render.py: one job each,
        # small functions, no copied branches; every module scores above 40

    How to fix:
    Split the module by responsibility, simplify its most complex functions, and remove
    duplicated logic.

    Options:
    In `[tool.agentrails.complexity]`:

    - `min-maintainability` (default: not set, which leaves AR202 off): the floor, 0 to 100.
    """

    code = "AR202"
    file_level = True
    worse = "lower"
    needs = "complexity"
    summary = "module maintainability index below the floor"
    opt_in = True

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        found = _facts(facts)
        floor = ctx.options["min-maintainability"]
        maintainability = None if found is None else found[2]
        if floor is None or maintainability is None:
            return
        if maintainability < floor:
            yield Finding(
                facts.path, 1, 1, self.code,
                f"maintainability index {maintainability:.2f} is below {floor:g}",
                round(maintainability, 2), floor,
            )


class ComplexModule(Rule):
    """What it finds:
    A module whose average block complexity ranks worse than `max-module-rank` (default
    "B"), as xenon's `--max-modules` decides: the mean complexity of the blocks radon reports
    for the module (module-level functions, classes with radon's class complexity, and their
    methods) ranked A (up to 5), B (to 10), C (to 20), D (to 30), E (to 40) or F. A module
    with no functions or classes averages 0 (rank A).

    Why:
    A module full of moderately complex functions is hard to change even when no single
    function crosses the ceiling.

    Example:
        # parsing.py: its blocks average 11.7, rank C, worse than max-module-rank = "B"
        def read_header(lines): ...     # complexity 12
        def read_body(lines): ...       # complexity 14
        def read_footer(lines): ...     # complexity 9

    Use instead:
        # the same work in smaller functions, complexity 2 to 6: average 4, rank A

    How to fix:
    Simplify the module's most complex functions or move them to modules of their own.

    Options:
    In `[tool.agentrails.complexity]`:

    - `max-module-rank` (default "B"): the worst average rank a module may have, A to F.
    """

    code = "AR203"
    file_level = True
    worse = "higher"
    needs = "complexity"
    summary = "module average complexity rank above the ceiling"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        found = _facts(facts)
        if found is None:
            return
        limit = ctx.options["max-module-rank"]
        blocks = found[1]
        average = sum(blocks) / len(blocks) if blocks else 0.0
        letter = rank(average)
        if letter > limit:
            yield Finding(
                facts.path, 1, 1, self.code,
                f"module average complexity {average:.2f} ranks {letter}, worse than {limit}",
                round(average, 2), limit,
            )


def rank_letter(value: Any) -> str:
    """A complexity rank letter, A (best) to F, in either case."""
    if not isinstance(value, str) or value.upper() not in tuple(RANKS):
        raise ValueError(f"expected one of {', '.join(RANKS)}, got {value!r}")
    return value.upper()


def maintainability(value: Any) -> float:
    """A maintainability floor between 0 and 100."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected a number, got {value!r}")
    if not 0 <= value <= 100:
        raise ValueError(f"expected a number from 0 to 100, got {value}")
    return float(value)


def _options() -> dict[str, Option]:
    return {
        "max-function": Option(10, integer(minimum=1), "cyclomatic complexity ceiling (AR201)"),
        "max-module-rank": Option(
            "B", rank_letter, "worst allowed module average rank, A to F (AR203)"
        ),
        "min-maintainability": Option(
            None, maintainability, "maintainability index floor, 0-100; setting it enables AR202"
        ),
    }


FAMILY = Family(
    name="complexity",
    section="complexity",
    options=_options(),
    rules=(ComplexFunction, LowMaintainability, ComplexModule),
    collect=collect,
    fingerprint=fingerprint,
)
