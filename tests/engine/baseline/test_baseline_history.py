"""Property: over any history of edits, renames (``git mv`` or a plain move), syntax errors
introduced and removed, commits and ``baseline --prune`` runs, no baselined finding is lost
while its code still exists unchanged, and ``--prune`` never adds an entry or loosens one."""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from agentrails.cli import main
from agentrails.engine.baseline.entries import read
from tests.helpers.repo import git

CONFIG = 'select = ["AR001", "AR002", "AR201"]\n[complexity]\nmax-function = 3\n'
BASELINE = "agentrails-baseline.json"
FILLER = ["", "# note", "VALUE = 1", '"""Text."""']
OPERATIONS = ["tweak", "shuffle", "pad", "add", "delete", "break", "fix", "git-mv", "move",
              "commit", "prune"]


class Function:
    """One function of the project: complexity ``branches + 1``; ``changed`` once its code
    differs from the code the baseline recorded."""

    def __init__(self, name: str, branches: int):
        self.name, self.branches, self.changed = name, branches, False

    def lines(self) -> list[str]:
        body = [f"    if a == {i}:\n        return {i}\n" for i in range(self.branches)]
        return [f"def {self.name}(a):\n", *body, "    return -1\n"]


class Project:
    """The modules of a git work tree, written out after every operation."""

    def __init__(self, root: Path, modules: dict[str, list[Function]]):
        self.root = root
        self.modules = modules
        self.broken: set[str] = set()
        self.pads: dict[str, list[str]] = {}
        self.fresh = 0

    def write(self) -> None:
        for path, functions in self.modules.items():
            text = "".join(self.pads.get(path, []))
            for function in functions:
                text += "\n\n" + "".join(function.lines())
            if path in self.broken:
                text += "\n\ndef broken(:\n"
            (self.root / path).write_text(text)

    def name(self, prefix: str) -> str:
        self.fresh += 1
        return f"{prefix}{self.fresh}"

    def protected(self) -> set[str]:
        """Functions baselined at adoption whose code is unchanged: their entries must stay."""
        return {f.name for functions in self.modules.values() for f in functions
                if f.branches + 1 > 3 and not f.changed and f.name.startswith("f")}


def run(*argv: str) -> int:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        return main(list(argv))


def entries(root: Path) -> Counter:
    return Counter((e.code, e.symbol) for e in read(root / BASELINE).entries)


def values(root: Path) -> dict[str, float]:
    return {e.symbol: e.value for e in read(root / BASELINE).entries if e.code == "AR201"}


def adopt(complexities: list[list[int]]) -> Project:
    root = Path(tempfile.mkdtemp(prefix="baseline-history-"))
    git(root, "init", "-q")
    (root / "agentrails.toml").write_text(CONFIG)
    modules = {f"m{m}.py": [Function(f"f{m}_{i}", b) for i, b in enumerate(branches)]
               for m, branches in enumerate(complexities)}
    project = Project(root, modules)
    project.write()
    git(root, "add", "-A")
    git(root, "commit", "-qm", "start")
    assert run("baseline", "--config", str(root / "agentrails.toml")) in (0, 1)
    return project


def apply(project: Project, operation: str, data: st.DataObject) -> None:
    """One step of the history, on a module the data picks."""
    path = data.draw(st.sampled_from(sorted(project.modules)), label="module")
    STEPS[operation](project, path, data)


def _tweak(project: Project, path: str, data: st.DataObject) -> None:
    functions = project.modules[path]
    if functions:
        function = data.draw(st.sampled_from(functions), label="function")
        branches = data.draw(st.integers(0, 7), label="branches")
        function.changed |= branches != function.branches
        function.branches = branches


def _shuffle(project: Project, path: str, data: st.DataObject) -> None:
    project.modules[path] = data.draw(st.permutations(project.modules[path]), label="order")


def _pad(project: Project, path: str, data: st.DataObject) -> None:
    lines = data.draw(st.lists(st.sampled_from(FILLER), max_size=5), label="pad")
    project.pads[path] = [f"{line}\n" for line in lines]


def _add(project: Project, path: str, data: st.DataObject) -> None:
    project.modules[path].append(Function(project.name("g"), data.draw(st.integers(0, 6))))


def _delete(project: Project, path: str, data: st.DataObject) -> None:
    functions = project.modules[path]
    if functions:
        functions.remove(data.draw(st.sampled_from(functions), label="deleted"))


def _commit(project: Project, path: str, data: st.DataObject) -> None:
    git(project.root, "add", "-A")
    git(project.root, "commit", "-qm", "step", "--allow-empty")


STEPS = {
    "tweak": _tweak, "shuffle": _shuffle, "pad": _pad, "add": _add, "delete": _delete,
    "break": lambda project, path, data: project.broken.add(path),
    "fix": lambda project, path, data: project.broken.discard(path),
    "git-mv": lambda project, path, data: _rename(project, path, "git-mv"),
    "move": lambda project, path, data: _rename(project, path, "move"),
    "commit": _commit,
    "prune": lambda project, path, data: None,  # run after the files are written
}


def _rename(project: Project, path: str, how: str) -> None:
    new = project.name("renamed") + ".py"
    if how == "git-mv" and _tracked(project.root, path):
        git(project.root, "mv", path, new)
    else:
        os.rename(project.root / path, project.root / new)
    project.modules[new] = project.modules.pop(path)
    if path in project.broken:
        project.broken.discard(path)
        project.broken.add(new)
    if path in project.pads:
        project.pads[new] = project.pads.pop(path)


def _tracked(root: Path, path: str) -> bool:
    return bool(git(root, "ls-files", "--", path).strip())


def prune(project: Project) -> None:
    """``baseline --prune``, then the two properties."""
    root = project.root
    before, old_values = entries(root), values(root)
    run("baseline", "--prune", "--config", str(root / "agentrails.toml"))
    after, new_values = entries(root), values(root)
    assert after <= before, f"prune added {after - before}"
    for symbol, value in new_values.items():
        assert value <= old_values[symbol], f"prune loosened {symbol}"
    kept = {symbol for code, symbol in after if code == "AR201"}
    lost = project.protected() - kept
    assert not lost, f"lost the entries of unchanged code: {sorted(lost)}"


@settings(max_examples=40, deadline=None)
@given(st.lists(st.lists(st.integers(0, 6), min_size=1, max_size=4), min_size=1, max_size=3),
       st.data())
def test_prune_never_loses_unchanged_debt_and_never_adds(complexities, data) -> None:
    project = adopt(complexities)
    try:
        steps = data.draw(st.lists(st.sampled_from(OPERATIONS), min_size=1, max_size=8),
                          label="history")
        for operation in steps:
            apply(project, operation, data)
            project.write()
            if operation == "prune":
                prune(project)
        project.broken.clear()
        project.write()
        prune(project)
        out = io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
            main(["check", "--config", str(project.root / "agentrails.toml")])
        lines = [line for line in out.getvalue().splitlines() if ": AR201 " in line]
        reported = {name for name in project.protected()
                    if any(f"'{name}'" in line for line in lines)}
        assert not reported, out.getvalue()
    finally:
        shutil.rmtree(project.root)
