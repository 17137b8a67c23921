"""One check run: discover, read, look up the cache, analyse what is new in a process pool,
then run the selected rules on the facts and drop suppressed findings."""

from __future__ import annotations

import errno
import os
import stat
from collections import namedtuple
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path

from agentrails.engine import profile
from agentrails.engine.baseline.entries import DEFAULT_NAME
from agentrails.engine.cache.memo import Signature, stat_signature
from agentrails.engine.cache.store import Cache, memo_folder
from agentrails.engine.config.packages import nested_settings, scopes_for
from agentrails.engine.config.scopes import Scopes
from agentrails.engine.config.settings import Settings
from agentrails.engine.discovery.files import discover
from agentrails.engine.discovery.targets import select_targets
from agentrails.engine.facts import FileFacts, Problem
from agentrails.engine.findings import Finding, RunResult
from agentrails.engine.noqa import suppressed
from agentrails.engine.output.progress import Progress
from agentrails.engine.protocol import Family, Rule, RuleContext

POOL_THRESHOLD = 16
"""Below this many files to analyse, a pool costs more than it saves."""


class Job(namedtuple("Job", ("families", "contexts", "max_bytes"))):
    """What a worker needs: the families, their contexts and the largest file to parse;
    module-level state so fork-started workers share it for free."""

    __slots__ = ()
    families: Sequence[Family]
    contexts: dict[str, RuleContext]
    max_bytes: int


_JOB: Job | None = None


def _work(item: tuple[str, bytes]) -> FileFacts:
    from agentrails.engine.run.analyse import analyse

    assert _JOB is not None
    path, data = item
    return analyse(path, data, _JOB.families, contexts=_JOB.contexts, max_bytes=_JOB.max_bytes)


def rule_contexts(
    settings: Settings, families: Sequence[Family], selected: frozenset[str], *,
    diff_base: str | None = None, packages: Mapping[str, Settings] | None = None,
) -> dict[str, RuleContext]:
    """One context per family: its options, the root, the selected codes, the diff base,
    the top-level settings (``lanes``, ``seams``), the packages below the root with their
    own configuration, and the folders above it that this configuration extends."""
    root = str(settings.root)
    return {
        family.name: RuleContext(
            options=settings.families.get(family.name, {}), root=root, selected=selected,
            diff_base=diff_base, top=settings.top, packages=scopes_for(family, packages or {}),
            enclosing=settings.enclosing,
        )
        for family in families
    }


def collect_facts(
    root: Path, paths: Iterable[str], job: Job, *, cache: Cache, jobs: int | None = None
) -> tuple[dict[str, FileFacts], int]:
    """Facts for every path: from the cache where the file is unchanged, else analysed."""
    facts: dict[str, FileFacts] = {}
    pending: list[tuple[str, bytes, bytes, Signature]] = []
    base = os.path.join(os.fspath(root), "")
    unchanged = cache.by_signature
    for path in paths:
        full = base + path
        try:
            signature = stat_signature(os.stat(full))
            cached = unchanged(path, signature)
            if cached is not None:
                facts[path] = cached
                continue
            data = _read_regular(full)
        except FileNotFoundError:
            continue  # deleted since discovery: nothing left to check
        except OSError as error:
            facts[path] = _unreadable(path, error)
            continue
        key = cache.key(path, data)
        cached = cache.get(path, key, signature)
        if cached is not None:
            facts[path] = cached
        else:
            pending.append((path, data, key, signature))
    profile.mark("stat and read")
    items = [(path, data) for path, data, _, _ in pending]
    results = _analyse_all(items, job, jobs)
    profile.mark("analysis")
    for (path, _, key, signature), result in zip(pending, results, strict=True):
        facts[path] = result
        cache.put(path, key, result, signature=signature)
    return facts, len(pending)


def _read_regular(full: str) -> bytes:
    """The bytes of a regular file, opened without blocking: a FIFO swapped in after
    discovery must not hang the run."""
    descriptor = os.open(full, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with open(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            raise OSError(errno.EINVAL, "not a regular file")
        return handle.read()


def _unreadable(path: str, error: OSError) -> FileFacts:
    reason = error.strerror or type(error).__name__
    problem = Problem("AR002", 1, 1, f"cannot read: {reason}")
    return FileFacts(path=path, is_text=False, problem=problem)


def _start_worker(family_names: tuple[str, ...], contexts: dict[str, RuleContext],
                  max_bytes: int) -> None:
    """Pool initializer: rebuild the job from the installed families (works under spawn)."""
    global _JOB
    from agentrails.engine.registry import load_families

    families = [f for f in load_families() if f.name in family_names]
    _JOB = Job(families=families, contexts=contexts, max_bytes=max_bytes)


def _analyse_all(items: list[tuple[str, bytes]], job: Job, jobs: int | None) -> list[FileFacts]:
    global _JOB
    _JOB = job
    progress = Progress(len(items))
    workers = jobs or os.cpu_count() or 1
    try:
        if workers > 1 and len(items) >= POOL_THRESHOLD:
            from agentrails.engine.run.pool import map_in_pool

            names = tuple(family.name for family in job.families)
            initargs = (names, job.contexts, job.max_bytes)
            results = map_in_pool(_work, items, workers=workers, progress=progress,
                                  initializer=_start_worker, initargs=initargs)
            if results is not None:
                return results
            progress.done = 0  # a worker died: start again in this process
        results = []
        for item in items:
            results.append(_work(item))
            progress.advance()
        return results
    finally:
        progress.close()


def apply_rules(
    facts: dict[str, FileFacts], targets: set[str], families: Sequence[Family], *,
    contexts: dict[str, RuleContext], selected: frozenset[str], settings: Settings,
    scopes: Scopes | None = None,
) -> list[Finding]:
    """Run the selected rules and keep the findings nobody suppressed. With ``scopes``,
    a file below a package with its own configuration is checked with that package's
    options and per-file-ignores."""
    scopes = scopes or Scopes(settings, {})
    findings: list[Finding] = []
    holding = _Holding(facts, targets)
    for family in families:
        for rule_class in family.rules:
            if rule_class.code in selected:
                paths = holding.paths(rule_class.needs)
                rule = rule_class()
                governing = partial(scopes.context, family.name) if scopes.nested else None
                findings.extend(
                    _run_rule(rule, facts, targets, paths=paths, ctx=contexts[family.name],
                              governing=governing)
                )
    return sorted(f for f in findings if not _is_suppressed(f, facts, scopes))


class _Holding:
    """The target paths with facts, and per family the ones whose facts are not empty."""

    def __init__(self, facts: dict[str, FileFacts], targets: set[str]):
        every = sorted(path for path in targets if path in facts)
        self._by_family: dict[str | None, list[str]] = {None: every}
        for path in every:  # one pass for all families (paths stay sorted)
            for family, value in facts[path].families.items():
                if value:
                    self._by_family.setdefault(family, []).append(path)

    def paths(self, family: str | None) -> list[str]:
        """Target paths holding ``family``'s facts (every target path for None)."""
        return self._by_family.get(family, [])


def _run_rule(
    rule: Rule, facts: dict[str, FileFacts], targets: set[str], *, paths: list[str],
    ctx: RuleContext, governing: Callable[[RuleContext, str], RuleContext] | None,
) -> Iterable[Finding]:
    """One rule's findings within the targets: project rules see every file's facts, file
    rules the target ``paths`` that hold the facts they need, each with the context that
    ``governing`` gives its path."""
    if rule.is_project_rule():
        return [f for f in rule.check_project(facts, ctx) if f.path in targets]
    if governing is None:  # no package has options of its own: one context for every path
        return [f for path in paths for f in rule.check_file(facts[path], ctx)]
    return [f for path in paths for f in rule.check_file(facts[path], governing(ctx, path))]


def _is_suppressed(finding: Finding, facts: dict[str, FileFacts], scopes: Scopes) -> bool:
    file_facts = facts.get(finding.path)
    if file_facts is not None and suppressed(
        finding.code, finding.line, per_line=file_facts.noqa, whole_file=file_facts.file_noqa
    ):
        return True
    return scopes.ignored(finding)


def project_files(
    settings: Settings, families: Sequence[Family], memo: str | None = None
) -> tuple[list[str], dict[str, Settings]]:
    """The files to check (the baseline file left out) and the packages among them with a
    configuration of their own (their own excludes not applied yet). ``memo`` is the
    folder where discovery remembers what it saw."""
    baseline = settings.top["baseline"] or DEFAULT_NAME
    listed = discover(settings.root, settings.exclude, memo)
    files = [path for path in listed if path != baseline]
    return files, nested_settings(settings.root, files, families)


def run_check(
    settings: Settings, families: Sequence[Family], selected: frozenset[str], *,
    given: Sequence[Path] = (), use_cache: bool = True, jobs: int | None = None,
    diff_base: str | None = None,
) -> RunResult:
    """The whole run. Project-wide rules see every file; findings stay within ``given``;
    ``diff_base`` is the git ref the diff-based rules (AR503, AR704) compare against."""
    root = settings.root
    memo = memo_folder(settings.cache_dir()) if use_cache else None
    files, packages = project_files(settings, families, memo)
    scopes = Scopes(settings, packages)
    files = [path for path in files if not scopes.excluded(path)]
    profile.mark("discovery")
    targets = select_targets(root, files, given)
    contexts = rule_contexts(settings, families, selected, diff_base=diff_base, packages=packages)
    needs_all = any(
        rule.is_project_rule() for f in families for rule in f.rules if rule.code in selected
    )
    to_read = files if needs_all else sorted(targets)
    fingerprint = "|".join(f"{f.name}:{f.fingerprint(contexts[f.name])}" for f in families)
    cache = Cache(settings.cache_dir(), fingerprint, enabled=use_cache)
    cache.load()
    profile.mark("cache load")
    job = Job(families=families, contexts=contexts, max_bytes=settings.top["max-file-bytes"])
    facts, analysed = collect_facts(root, to_read, job, cache=cache, jobs=jobs)
    cache.save(keep=set(files))
    profile.mark("cache save")
    findings = apply_rules(facts, targets, families, contexts=contexts, selected=selected,
                           settings=settings, scopes=scopes)
    profile.mark("rules")
    return RunResult(findings=findings, files=len(targets), analysed=analysed, facts=facts,
                     contexts=_by_code(families, contexts, selected))


def _by_code(families: Sequence[Family], contexts: dict[str, RuleContext],
             selected: frozenset[str]) -> dict[str, RuleContext]:
    """The context each selected rule runs with, by its code."""
    return {rule.code: contexts[family.name] for family in families for rule in family.rules
            if rule.code in selected}
