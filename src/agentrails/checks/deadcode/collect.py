"""The dead-code collector: one module's facts from the shared parse, or what can be saved."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable

from agentrails.checks.deadcode.facts import DEFAULT_MAX_DEPTH, DeadCodeFacts
from agentrails.checks.deadcode.program.layout import public_module, published
from agentrails.checks.deadcode.records import (
    MEMBER,
    NESTED,
    PARAM,
    PRIVATE_OWNER,
    PUBLIC,
    Candidate,
    ScopeFacts,
    Unreachable,
)
from agentrails.checks.deadcode.scan.intent import intentional, suppression
from agentrails.checks.deadcode.scan.scanner import Scanner
from agentrails.checks.deadcode.scan.walk import ScopedWalker
from agentrails.checks.deadcode.vulture.names import noqa_lines
from agentrails.checks.deadcode.vulture.reach import Reachability
from agentrails.engine.cache import memo as plain
from agentrails.engine.protocol import PartialFacts, RuleContext, SourceFile

WHOLE_PROGRAM = frozenset({MEMBER, PUBLIC})

_IDENTIFIER = re.compile(r"[^\W\d]\w*")
TOO_DEEP = (
    "too deeply nested for dead-code analysis (Python's recursion limit); "
    "only the names it uses were collected"
)
__all__ = ["DEFAULT_MAX_DEPTH", "analyse_module", "collect", "names_in_text", "names_in_tree"]


def collect(source: SourceFile, ctx: RuleContext) -> tuple | None:
    """Facts for a ``.py`` file (vulture reads no stubs) as the plain tuple the cache keeps
    (``DeadCodeFacts.cached``); None for anything else."""
    if not source.path.endswith(".py") or source.text is None:
        return None
    if source.tree is None:
        return names_in_text(source.text).cached()
    try:
        facts = analyse_module(source.tree, source.path, source.text)
    except RecursionError:
        raise PartialFacts(names_in_tree(source.tree).cached(), TOO_DEEP) from None
    except Exception as error:  # one odd file must not cost the other files their answer
        reason = f"dead-code analysis failed: {type(error).__name__}: {error}"
        raise PartialFacts(names_in_tree(source.tree).cached(), reason) from None
    limit = ctx.top.get("max-depth", DEFAULT_MAX_DEPTH)
    if facts.depth > limit:
        reason = (
            f"nested {facts.depth} levels deep (max-depth {limit}), past the recursion limit "
            "of recursive analysers such as radon and vulture: dead code not analysed, the "
            "names it uses still count"
        )
        raise PartialFacts(DeadCodeFacts(used=facts.used, complete=False).cached(), reason)
    return facts.cached()


def analyse_module(tree: ast.Module, path: str, text: str) -> DeadCodeFacts:
    """Definitions, uses and unreachable blocks of one parsed module: vulture's facts and
    the scope-aware analysis's."""
    noqa = noqa_lines(text)
    walker = ScopedWalker(path, noqa)
    walker.run(tree)
    reach = Reachability(noqa)
    reach.module(tree)
    for ternary in walker.ternaries:
        reach.ternary(ternary)
    return DeadCodeFacts(
        defined=tuple(walker.defined.values()),
        used=frozenset(walker.used),
        imports=frozenset(walker.imports),
        unreachable=tuple(reach.found),
        exported=frozenset(walker.exported),
        depth=walker.depth,
        scope=scope_facts(tree, path, text, suppressed=suppression(noqa), walker=walker,
                          unreachable=reach.found),
    )


def scope_facts(tree: ast.Module, path: str, text: str,
                *, suppressed: Callable[[int, str], bool], walker: ScopedWalker,
                unreachable: list[Unreachable]) -> ScopeFacts:
    """The scope-aware analysis's facts (``agentrails.checks.deadcode.scan.scanner``), from the
    walk that gave vulture's."""
    scanner = Scanner(path, suppressed, walker)
    scanner.scan(tree)
    reader = walker
    shipped = published(path)
    api = [c for c in scanner.candidates if shipped and is_api(c, path)]
    others = [c for c in scanner.candidates if not (shipped and is_api(c, path))]
    lines = text.splitlines() if unreachable else []
    return ScopeFacts(
        refs="\n".join(sorted(reader.refs)),
        passed="\n".join(sorted(reader.passed)),
        classes=tuple(scanner.classes),
        methods="\n".join(scanner.methods),
        prefixes="\n".join(sorted(reader.prefixes)),
        code_words="\n".join(sorted(reader.code_words)),
        closed=bool(scanner.defines_all),
        names=_wide(others),
        local=len(others) - len(_wide(others)),
        packed=_pack(others),
        api=_pack(api),
        unreachable=tuple(block for block in unreachable if not intentional(block, lines)),
    )


def is_api(candidate: Candidate, path: str) -> bool:
    """A candidate of a published module that is API if the project is a library
    (``ScopeFacts.api``)."""
    rule, flags = candidate.rule, candidate.flags
    if rule == PARAM:
        return not flags & (PRIVATE_OWNER | NESTED)
    if rule == MEMBER:
        return not flags & PRIVATE_OWNER and not candidate.name.startswith("_")
    return rule == PUBLIC and public_module(path)


def _wide(candidates: list[Candidate]) -> tuple[str, ...]:
    return tuple(c.name for c in candidates if c.rule in WHOLE_PROGRAM)


def _pack(candidates: list) -> bytes:
    return plain.dumps(tuple(tuple(c) for c in candidates)) if candidates else b""


def names_in_tree(tree: ast.AST) -> DeadCodeFacts:
    """Every name a tree mentions, found without recursion: uses only, never definitions."""
    used: set[str] = set()
    for node in ast.walk(tree):
        kind = type(node)
        if kind is ast.Name:
            used.add(node.id)
        elif kind is ast.Attribute:
            used.add(node.attr)
        elif kind is ast.Constant and type(node.value) is str:
            used.update(_IDENTIFIER.findall(node.value))
        elif kind is ast.alias:
            used.add(node.name)
            used.update(node.name.split("."))
        elif kind is ast.MatchClass:
            used.update(node.kwd_attrs)
    return DeadCodeFacts(used=frozenset(used), complete=False)


def names_in_text(text: str) -> DeadCodeFacts:
    """For a file that did not parse: every identifier-like word counts as used."""
    return DeadCodeFacts(used=frozenset(_IDENTIFIER.findall(text)), complete=False)
