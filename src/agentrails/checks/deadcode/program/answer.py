"""AR301's answer and AR302's blocks, from the cached facts of every file.

``smart-ignores = true`` (the default) gives the scope-aware analysis
(``agentrails.checks.deadcode.program.verdicts``), phased in against 0.2.0's answer
(``agentrails.checks.deadcode.program.phasein``); ``false`` gives vulture's answer item for item
(``agentrails.checks.deadcode.vulture.join``).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from agentrails.checks.deadcode.program import phasein
from agentrails.checks.deadcode.records import Candidate
from agentrails.checks.deadcode.vulture.join import (
    LEGACY,
    VULTURE,
    decorated,
    modules,
    unused,
    used_names,
)
from agentrails.checks.deadcode.vulture.names import matches
from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import RuleContext

TYPE_CHECKING = False
if TYPE_CHECKING:
    from agentrails.engine.baseline.entries import Entry

UNUSED, UNREACHABLE = "AR301", "AR302"


def unused_code(facts: Mapping[str, FileFacts], ctx: RuleContext) -> Iterator[Finding]:
    """AR301's findings for the whole program."""
    options = ctx.options
    floor = options["min-confidence"]
    found = modules(facts)
    if not options["smart-ignores"]:
        used = used_names(found, options, ctx.root, answer=VULTURE)
        for path, item in unused(found, used, options):
            yield Finding(path, item.line, item.column, UNUSED,
                          f"unused {item.kind} '{item.name}' ({item.confidence}% confidence)",
                          item.confidence, floor, symbol=item.name)
        return
    from agentrails.checks.deadcode.program.layout import Layout
    from agentrails.checks.deadcode.program.verdicts import Program, judged

    used = used_names(found, options, ctx.root, answer=LEGACY)
    program = Program(found, used, Layout(ctx.root, facts.keys(),
                                          application=options["application"]))
    legacy = phasein.Legacy(found, used, options) if phasein.active(ctx.top) else None
    for path, candidate, tier in judged(program, floor):
        if not _ignored(candidate, options):
            warn = legacy is not None and legacy.is_new(path, candidate.name)
            yield Finding(path, candidate.line, candidate.column, UNUSED,
                          f"unused {candidate.kind} '{candidate.name}' ({tier}% confidence)",
                          tier, floor, symbol=candidate.name, warn=warn)


def _ignored(candidate: Candidate, options: Mapping[str, object]) -> bool:
    names, decorators = options["ignore-names"], options["ignore-decorators"]
    if names and matches(candidate.name, names):
        return True
    return bool(decorators and candidate.decorators and decorated(candidate.decorators,
                                                                  decorators))


def retired(entries: list[Entry], facts: Mapping[str, FileFacts],
            ctx: RuleContext) -> list[Entry]:
    """Baseline entries the scope-aware analysis retired (see ``phasein``)."""
    options = ctx.options
    if not options["smart-ignores"] or phasein.PHASE_IN is None or not entries:
        return []
    found = modules(facts)
    legacy = phasein.Legacy(found, used_names(found, options, ctx.root, answer=LEGACY), options)
    return legacy.retired(entries)
