"""AR901 and AR902: what a half-finished merge or ``copier update`` leaves behind."""

from __future__ import annotations

from collections.abc import Iterable

from agentrails.engine.facts import FileFacts
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Family, Rule, RuleContext, SourceFile
from agentrails.engine.regex import lazy

# git's markers, and copier's inline ones ("<<<<<<< before updating" / ">>>>>>> after updating"),
# matched against whole lines so CRLF and CR line ends count as in the rest of the engine.
_MARKER = lazy(r"(?:<{7}|>{7}|\|{7})(?: .*)?|={7}")
_NEWLINE = lazy(r"\r\n|\r|\n")
_LEFTOVER_SUFFIXES = (".rej", ".orig")


def collect(source: SourceFile, ctx: RuleContext) -> tuple[tuple[int, str], ...]:
    """(line, marker) for each conflict-marker line, in order."""
    text = source.text
    if text is None or ("<<<<<<<" not in text and ">>>>>>>" not in text):
        return ()
    found = tuple(
        (number, line[:7])
        for number, line in enumerate(_NEWLINE.split(text), start=1)
        if _MARKER.fullmatch(line)
    )
    if not any(marker[0] in "<>" for _, marker in found):
        return ()  # a lone ======= is a heading underline, not a conflict
    return found


class ConflictMarker(Rule):
    """What it finds:
    A conflict marker line (`<<<<<<<`, `=======`, `|||||||`, `>>>>>>>`) left in a file,
    including copier's inline markers (`<<<<<<< before updating`, `>>>>>>> after updating`).
    A bare `=======` counts only in a file that also has an opening or closing marker.

    Why:
    `copier update` and `git merge` write both sides of a conflict into the file. Such a
    file may still parse (Markdown, YAML) and land unnoticed.

    Example:
        <<<<<<< before updating
        max-function = 12
        =======
        max-function = 10
        >>>>>>> after updating

    Use instead:
        max-function = 10

    How to fix:
    Resolve the conflict: keep the right side, delete the markers, and rerun the checks.
    """

    code = "AR901"
    needs = "update"
    summary = "conflict marker left in a file"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        for line, marker in facts.families.get("update", ()):
            yield Finding(facts.path, line, 1, self.code, f"conflict marker {marker!r}")


class UpdateLeftover(Rule):
    """What it finds:
    A `*.rej` or `*.orig` file: the rejected hunks or backup that `copier update`, `patch`
    or a merge tool leaves next to the file it could not update cleanly.

    Why:
    Such a file means part of an update was never applied. Committing it hides that.

    Example:
        .github/workflows/ci.yml.rej

    Use instead:
        .github/workflows/ci.yml   # the hunk applied by hand; ci.yml.rej deleted

    How to fix:
    Apply the rejected hunks by hand to the file they belong to, then delete the leftover.
    """

    code = "AR902"
    file_level = True
    summary = "*.rej or *.orig file left by an update"

    def check_file(self, facts: FileFacts, ctx: RuleContext) -> Iterable[Finding]:
        if facts.path.endswith(_LEFTOVER_SUFFIXES):
            yield Finding(facts.path, 1, 1, self.code, "leftover from an update or merge")


FAMILY = Family(name="update", rules=(ConflictMarker, UpdateLeftover), collect=collect)
