"""A new package's rows in the root's files that list the packages and their owners: the
"Packages" table of AGENTS.md and a line of CODEOWNERS. Each is added only where the file
has the place for it; what could not be added is said, never guessed."""

from __future__ import annotations

from pathlib import Path

from agentrails.commands.package_files import PACKAGES

CODEOWNERS = (".github/CODEOWNERS", "CODEOWNERS", "docs/CODEOWNERS")
"""Where GitHub reads CODEOWNERS from, in its order."""
SECTION = "## packages"


def register(root: Path, name: str, owner: str | None) -> list[str]:
    """Add package ``name`` to AGENTS.md and CODEOWNERS; one line per thing done or not."""
    codeowners = next((root / p for p in CODEOWNERS if (root / p).is_file()), None)
    owner = owner or (_default_owner(codeowners) if codeowners else None)
    if owner is None:
        return ["No owner recorded: no CODEOWNERS with a `*` line; pass --owner @team."]
    notes = [_agents_row(root / "AGENTS.md", name, owner)]
    if codeowners is not None:
        notes.append(_codeowners_line(root, codeowners, name, owner))
    return [note for note in notes if note]


def _default_owner(codeowners: Path) -> str | None:
    """The first owner of the ``*`` line: who owns what no other line names."""
    for line in _lines(codeowners):
        words = line.split("#", 1)[0].split()
        if len(words) > 1 and words[0] == "*":
            return words[1]
    return None


def _lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def _agents_row(agents: Path, name: str, owner: str) -> str:
    """A row in the table of the "Packages" section, after its last row."""
    lines = _lines(agents)
    folder = f"{PACKAGES}/{name}/"
    rows = _table_rows(lines)
    if rows is None:
        return f"AGENTS.md has no \"## Packages\" table: list {folder} there by hand."
    if any(f"`{folder}`" in lines[i] for i in rows):
        return ""
    lines.insert(rows[-1] + 1, f"| [`{folder}`]({folder}AGENTS.md) | `{owner}` |")
    agents.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return f"AGENTS.md lists {folder}, owned by {owner}."


def _table_rows(lines: list[str]) -> list[int] | None:
    """The indexes of the table lines in the "Packages" section (None without a table)."""
    start = next((i for i, line in enumerate(lines) if line.strip().lower() == SECTION), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if lines[i].startswith("#")),
               len(lines))
    rows = [i for i in range(start + 1, end) if lines[i].lstrip().startswith("|")]
    return rows or None


def _codeowners_line(root: Path, codeowners: Path, name: str, owner: str) -> str:
    """``/packages/NAME/ OWNER`` at the end of CODEOWNERS (later lines win there)."""
    line = f"/{PACKAGES}/{name}/ {owner}"
    text = codeowners.read_text(encoding="utf-8")
    if any(existing.split()[:1] == [f"/{PACKAGES}/{name}/"] for existing in text.splitlines()):
        return ""
    codeowners.write_text(text + ("" if text.endswith("\n") or not text else "\n") + line + "\n",
                          encoding="utf-8")
    return f"{codeowners.relative_to(root).as_posix()}: {line}"
