"""AR301 and AR302: unused code and unreachable code, with vulture 2.16's semantics.

Per file, ``collect`` records what a module defines and uses and what it cannot reach (see
``agentrails.checks.deadcode``); AR301 joins every file's facts into vulture's
whole-program answer, so a warm run re-analyses only changed files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from agentrails.checks.deadcode.answer import retired, unreachable, unused_code
from agentrails.checks.deadcode.facts import DEFAULT_MAX_DEPTH
from agentrails.checks.deadcode.join import FAMILY_NAME
from agentrails.checks.deadcode.names import matches
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Option, Rule, RuleContext, SourceFile
from agentrails.engine.validators import boolean, integer, string_list

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentrails.engine.baseline import Entry


class UnusedCode(Rule):
    """What it finds:
    Unused functions, classes, methods, properties, variables, attributes and imports, and
    unused function arguments (reported as variables), counted across the whole project
    the way vulture 2.16 counts them: a definition is unused when its name is used nowhere,
    in any file. Each finding carries vulture's confidence:

    - 100%: function arguments (and unreachable code, AR302)
    - 90%: imports (none in `__init__.py`; star imports are never reported)
    - 60%: functions, classes, methods, properties, variables and attributes

    Findings at or above `min-confidence` (default 80) are reported. Names used in
    `getattr`/`hasattr` strings, plain `__all__ = [...]` lists, `"%(x)s" % locals()` and
    `"{x}".format(**locals())` count as used, as do the names vulture's bundled whitelists
    use when their module is imported. Not reported: `_`-prefixed and dunder variables,
    dunder methods; in test files, `test_*` functions and methods, `Test*` classes and
    pytest's setup/teardown functions. `# noqa` hides a definition on its line, as do
    `# noqa: V103` (vulture's codes), `# noqa: F401` (imports) and `# noqa: F841`
    (variables). `ignore-names` and `ignore-decorators` take vulture's glob patterns;
    `whitelist` names vulture-style whitelist files whose uses count.

    Smart ignores (`smart-ignores = true`, the default; `false` gives vulture's answer):
    - pytest: fixtures (`@pytest.fixture`, `@fixture`, `@pytest_asyncio.fixture`), hook
      functions (`pytest_*`, in `conftest.py` or any plugin module), and the arguments of
      fixtures, hooks and `test_*` functions in test files (pytest passes them by name);
    - record fields: class-level assignments in dataclasses, attrs classes (`@attr.s`,
      `@define`, `@frozen`, ...), pydantic models (`BaseModel`, `BaseSettings`,
      `RootModel`), `NamedTuple` and `TypedDict` classes;
    - exports: names in `__all__` however it is built (`+=`, `.extend`, `.append`, an
      annotated assignment, a sum of lists), not only a plain `__all__ = [...]`;
    - entry points: objects named in the root `pyproject.toml`'s `[project.scripts]`,
      `[project.gui-scripts]`, `[project.entry-points.*]` and `[tool.poetry.scripts]`;
    - framework decorators (globs on the decorator's dotted name):
      web routes `@*.route`, `@*.get`, `@*.post`, `@*.put`, `@*.patch`, `@*.delete`,
      `@*.head`, `@*.options`, `@*.websocket`, `@*.api_route`, `@*.errorhandler`,
      `@*.exception_handler`, `@*.before_request`, `@*.after_request`,
      `@*.teardown_request`, `@*.context_processor`, `@*.template_filter`,
      `@*.template_global`, `@*.middleware`, `@*.on_event`;
      command lines `@click.*`, `@*.command`, `@*.group`, `@*.callback`;
      signals, tasks and registries `@receiver`, `@*.receiver`, `@*.task`, `@shared_task`,
      `@*.register`, `@register.*`, `@admin.*`, `@*.listens_for`, `@*.hookimpl`,
      `@hookimpl`; validators and serializers `@validator`, `@root_validator`,
      `@field_validator`, `@model_validator`, `@field_serializer`, `@model_serializer`,
      `@computed_field`, `@*.validator`, `@validates`, `@validates_schema`, `@pre_load`,
      `@post_load`, `@pre_dump`, `@post_dump`.

    Where we differ from vulture: test files are recognised by the path below the project
    root (vulture matches absolute paths, so a project inside a `tests` folder is all test
    files to it); `.pyi` stubs are not read (vulture reads only `*.py`); a type comment that
    does not parse is skipped (vulture stops reading the file there); a file that does not
    parse still counts its words as used (vulture ignores it), and so does a file too deeply
    nested to finish (vulture crashes and reports nothing).

    Why:
    Dead code costs every reader, human or agent, context and attention, and it rots:
    nobody tests it, yet everyone works around it.

    Example:
        def used(): ...
        def forgotten(): ...   # unused function 'forgotten' (60% confidence)
        used()

    How to fix:
    Delete it. If something does use it by a name vulture cannot see, list the name in a
    whitelist file (`whitelist = ["whitelist.py"]`), add an `ignore-names` or
    `ignore-decorators` pattern, or put `# noqa: AR301` on its first line.
    """

    code = "AR301"
    summary = "unused function, class, method, variable, attribute, property or import"

    def check_project(self, facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterable[Finding]:
        return unused_code(facts, ctx)

    @classmethod
    def retired(cls, entries: list[Entry], facts: Mapping[str, FileFacts],
                ctx: RuleContext) -> list[Entry]:
        return retired(entries, facts, ctx)


class UnreachableCode(Rule):
    """What it finds:
    Code that can never run, as vulture 2.16 finds it: statements after `return`, `raise`,
    `break` or `continue` (or after an `if`/`try` all of whose branches stop, or a
    `while True` loop without `break`); `if` and `while` conditions that are always false;
    `else` blocks and ternary branches that cannot be taken; and redundant `if True:`.
    Conditions are constant when `ast.literal_eval` reads them (`0`, `""`, `()`, `None`),
    combined with `and`/`or`/`not`. Confidence is always 100%.

    Why:
    Unreachable code misleads readers about what a function does and hides mistakes, such
    as an early `return` left over from debugging.

    Example:
        def f():
            return 1
            print("never")   # unreachable code after 'return' (100% confidence)

    How to fix:
    Delete the dead block, or fix the condition or early exit that makes it dead.
    """

    code = "AR302"
    needs = "dead-code"
    summary = "unreachable code"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        floor = ctx.options["min-confidence"]
        if floor > 100:
            return
        ignore_names = ctx.options["ignore-names"]
        blocks = unreachable(facts.families.get(FAMILY_NAME), ctx.options["smart-ignores"])
        for block in blocks:
            if not (ignore_names and matches(block.name, ignore_names)):
                yield Finding(
                    facts.path, block.line, block.column, self.code,
                    f"{block.message} (100% confidence)", 100, floor, symbol=block.name,
                )

    @classmethod
    def retired(cls, entries: list[Entry], facts: Mapping[str, FileFacts],
                ctx: RuleContext) -> list[Entry]:
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
    """The facts depend only on ``max-depth``; the name changes whenever their layout does."""
    return f"facts-6:{ctx.top.get('max-depth', DEFAULT_MAX_DEPTH)}"


FAMILY = Family(
    name=FAMILY_NAME,
    section="dead-code",
    options=_options(),
    rules=(UnusedCode, UnreachableCode),
    collect=collect,
    fingerprint=_fingerprint,
)
