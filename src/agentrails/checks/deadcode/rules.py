"""AR301 and AR302: unused code and unreachable code.

Per file, ``collect`` records what a module defines and uses, scope by scope, and what it
cannot reach (see ``agentrails.checks.deadcode``); AR301 joins every file's facts into a
whole-program answer (``answer``), so a warm run re-analyses only changed files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.checks.deadcode.facts import DEFAULT_MAX_DEPTH, Cached, unreachable
from agentrails.checks.deadcode.records import Candidate, ScopeFacts
from agentrails.checks.deadcode.vulture.join import FAMILY_NAME
from agentrails.checks.deadcode.vulture.names import matches
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Option, Rule, RuleContext, SourceFile
from agentrails.engine.validators import boolean, integer, string_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentrails.engine.baseline.entries import Entry


class UnusedCode(Rule):
    """What it finds:
    Code a maintainer can delete: unused imports, local variables, arguments, functions,
    classes, methods, properties and attributes. Each scope is judged on its own (ruff's
    F401 and F841 reasoning: an import its module never uses is unused, whatever other
    modules do), then the whole program decides what no module reaches. Confidence
    follows the evidence:

    - 100% (certain): unused within its own scope: a local (`with ... as x`, `except ...
      as e` and walrus targets included; unpacking targets never), a nested function, an
      import its module never uses and no module imports from it, a private (`_x`)
      module-level name no module reaches (`from m import _x`, `m._x`, a dotted string as
      in `mock.patch("m._x")`, `getattr(m, "_x")`), and an argument a plain function never
      reads when nothing fixes its signature;
    - 90%: a private method or attribute of a class whose bases are all known, whose name
      no module uses anywhere (attributes are matched by name: their types are unknown);
    - 70% (likely): a public definition outside a library's API that no module uses
      (below the default floor: set `min-confidence = 70` to see them);
    - 60% (possible): what something may reach behind the code's back: members of classes
      with bases we cannot see (a third-party class, a metaclass), record fields and enum
      members, definitions under a decorator that may register them, imports of a module
      that re-exports most of its imports, classes whose definition runs machinery.

    Findings at or above `min-confidence` (default 80) are reported, so by default only
    what the analysis is sure of. A library's API is never a finding: public names of its
    public modules (no part of the path starts with `_`, outside tests, docs, examples)
    and public members of its public classes. `application = true` says the project is an
    application (its public names are then likely dead when unused); left unset, the
    project is a library when it publishes a distribution (`[project]` or
    `[tool.poetry]` in pyproject.toml, a setup.py or setup.cfg).

    Uses: names in string annotations and under `if TYPE_CHECKING:`, `__all__` in any form,
    `import x as x` and imports in `__init__.py` (re-exports), names other modules import,
    `getattr`/`hasattr`/`setattr` with a literal name (or a literal prefix:
    `getattr(self, f"_on_{event}")`), entry points (pyproject.toml, setup.cfg), Sphinx's
    `conf.py`, code a module generates and runs (`exec`), pytest fixtures, hooks
    (`pytest_*`) and tests (`test*` in test files, `Test*` classes), and imports in a
    `try` that catches ImportError (they test availability).

    Never findings: arguments whose signature something else fixes: dunder methods,
    overrides (another class defines the method, or a base we cannot see might),
    `Protocol` and ABC methods, `@overload`/`@override`/`@abstractmethod`, stub bodies
    (`...`, `pass`, `raise NotImplementedError`, `return None`), callbacks (decorated, or
    handed over as a value: `signal.connect(on_save)`, `sorted(key=by_name)`), a function
    defined twice (a variant per platform), functions of a module sharing one parameter
    list (handlers called alike), lambdas, and the arguments of pytest's tests, fixtures
    (requested for their side effects) and hooks. Locals of a module that shows frames'
    locals (`show_locals`, `f_locals`) are possible only.

    `smart-ignores = false` gives vulture 2.16's answer instead, item for item: names
    matched across the whole program, vulture's confidences (100% arguments, 90% imports,
    60% the rest) and its whitelists. Both modes honour `# noqa` (bare, vulture's codes,
    `F401`, `F841`, `ARG`), `ignore-names`, `ignore-decorators` and `whitelist` files.

    Phase-in (this release): a finding agentrails 0.2.0 did not report is a warning, never
    failing, while the project leaves `warn` unset; baseline entries 0.2.0's analysis still
    finds but this one drops are retired (`agentrails baseline --prune` drops them), not
    counted as fixed debt. The next release enforces every finding.

    Why:
    Dead code costs every reader, human or agent, context and attention, and it rots:
    nobody tests it, yet everyone works around it. A finding nobody can act on costs as
    much, so each one here is one a maintainer deletes.

    Example:
        import json              # unused import 'json' (100% confidence)
        def total(cents, note):  # unused argument 'note' (100% confidence)
            count = len(cents)   # unused variable 'count' (100% confidence)
            return sum(cents)
        def _old():              # unused function '_old' (100% confidence)
            pass
        print(total([1]))

    Use instead:
        def total(cents):
            return sum(cents)
        print(total([1]))

    How to fix:
    Delete it. If something does use it by a name the analysis cannot see, list the name
    in a whitelist file (`whitelist = ["whitelist.py"]`), add an `ignore-names` or
    `ignore-decorators` pattern, or put `# noqa: AR301` on its line.

    Options:
    In `[tool.agentrails.dead-code]`:

    - `min-confidence` (default 80): findings at or above this confidence are reported.
    - `application` (default: not set, a library when the project publishes a
      distribution): whether public names outside tests are the project's API.
    - `ignore-names` (default none): glob patterns of names never reported.
    - `ignore-decorators` (default none): glob patterns of decorators (`@app.route`) whose
      targets count as used.
    - `whitelist` (default none): vulture-style whitelist files (paths from the root) whose
      uses count.
    - `smart-ignores` (default true): the scope-aware analysis; `false` gives vulture's
      answer item for item.
    """

    code = "AR301"
    summary = "unused import, variable, argument, function, class, method or attribute"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        from agentrails.checks.deadcode.program.answer import unused_code

        return unused_code(facts, ctx)

    @classmethod
    def retired(cls, entries: list[Entry], facts: Mapping[str, FileFacts],
                ctx: RuleContext) -> list[Entry]:
        return _retired(entries, facts, ctx)


class UnreachableCode(Rule):
    """What it finds:
    Code that can never run, as vulture 2.16 finds it: statements after `return`, `raise`,
    `break` or `continue` (or after an `if`/`try` all of whose branches stop, or a
    `while True` loop without `break`); `if` and `while` conditions that are always false;
    `else` blocks and ternary branches that cannot be taken; and redundant `if True:`.
    Conditions are constant when `ast.literal_eval` reads them (`0`, `""`, `()`, `None`),
    combined with `and`/`or`/`not`. Confidence is always 100%. Dead ends left on purpose
    are not findings (unless `smart-ignores = false`): a `yield` after `raise` or
    `return` (it makes the function a generator) and code marked `# pragma: no cover` on
    its first line or on the statement that stops before it.

    Why:
    Unreachable code misleads readers about what a function does and hides mistakes, such
    as an early `return` left over from debugging.

    Example:
        def f():
            return 1
            print("never")   # unreachable code after 'return' (100% confidence)

    Use instead:
        def f():
            return 1

    How to fix:
    Delete the dead block, or fix the condition or early exit that makes it dead.

    Options:
    In `[tool.agentrails.dead-code]`:

    - `min-confidence` (default 80): unreachable code is found with 100% confidence, so it
      is reported at any floor.
    """

    code = "AR302"
    needs = "dead-code"
    summary = "unreachable code"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        floor = ctx.options["min-confidence"]
        if floor > 100:
            return
        ignore_names = ctx.options["ignore-names"]
        blocks = unreachable(facts.families.get(FAMILY_NAME), smart=ctx.options["smart-ignores"])
        for block in blocks:
            if not (ignore_names and matches(block.name, ignore_names)):
                yield Finding(
                    facts.path, block.line, block.column, self.code,
                    f"{block.message} (100% confidence)", 100, floor, symbol=block.name,
                )

    @classmethod
    def retired(cls, entries: list[Entry], facts: Mapping[str, FileFacts],
                ctx: RuleContext) -> list[Entry]:
        return _retired(entries, facts, ctx)


def _retired(entries: list[Entry], facts: Mapping[str, FileFacts],
             ctx: RuleContext) -> list[Entry]:
    """Baseline entries the scope-aware analysis retired (``answer.retired``)."""
    from agentrails.checks.deadcode.program.answer import retired

    return retired(entries, facts, ctx)


def collect(source: SourceFile, ctx: RuleContext) -> tuple | None:
    """The dead-code collector (``agentrails.checks.deadcode.collect``), imported only when
    a file needs analysing."""
    from agentrails.checks.deadcode.collect import collect as collect_module

    return collect_module(source, ctx)


def _options() -> dict[str, Option]:
    return {
        "min-confidence": Option(
            80, integer(minimum=0, maximum=100), "report items at or above this confidence"
        ),
        "ignore-names": Option([], string_list, "glob patterns of names never reported"),
        "ignore-decorators": Option(
            [], string_list, "glob patterns of decorators (`@app.route`) whose targets are used"
        ),
        "whitelist": Option(
            [], string_list, "vulture-style whitelist files (from the root) whose uses count"
        ),
        "smart-ignores": Option(
            True, boolean,
            "the scope-aware analysis (true) or vulture's answer item for item (false)",
        ),
        "application": Option(
            None, boolean,
            "the project is an application, not a library with public API (default: "
            "whether it publishes a distribution)",
        ),
    }


def _fingerprint(ctx: RuleContext) -> str:
    """The facts depend only on ``max-depth``; the name changes whenever their layout does
    (the fields of each record are part of it)."""
    from zlib import crc32

    fields = "|".join(",".join(record._fields) for record in (Cached, ScopeFacts, Candidate))
    return f"facts-7.{crc32(fields.encode()):08x}:{ctx.top.get('max-depth', DEFAULT_MAX_DEPTH)}"


FAMILY = Family(
    name=FAMILY_NAME,
    section="dead-code",
    options=_options(),
    rules=(UnusedCode, UnreachableCode),
    collect=collect,
    fingerprint=_fingerprint,
)
