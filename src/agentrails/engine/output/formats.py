"""Output formats: text, json, github (workflow commands) and sarif (2.1.0).

With a baseline each format says what every finding is to it: new, worse than its entry
(with the value the entry recorded), baselined (SARIF only: accepted debt, suppressed),
and what became of the entries nothing matched: stale (fixed) or not re-checked (their
file could not be analysed). Text output escapes control characters in what it prints,
so a file name cannot rewrite the terminal.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote

from agentrails import __version__
from agentrails.engine.baseline.entries import Entry
from agentrails.engine.baseline.verdict import Verdict
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/agentrails/agentrails"
MAX_STALE_SHOWN = 20


def render_text(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """``path:line:col: CODE message`` lines, what the baseline says, then a summary line."""
    warned, worse = set(verdict.warnings), verdict.worse
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} {message(f, verdict) if worse else f.message}"
        + (" (warning: not failing)" if f in warned else "")
        for f in verdict.reported
    ]
    lines += _baseline_lines(verdict)
    lines.append(_summary(verdict))
    if not all(line.isprintable() for line in lines):  # rare: a name holds a control
        lines = [escaped(line) for line in lines]
    return "\n".join(lines) + "\n"


def message(finding: Finding, verdict: Verdict) -> str:
    """The finding's message; for one worse than its baseline entry, with the value the
    entry recorded: ``is too complex (15 > 10; baselined at 12)``."""
    if finding not in verdict.worse:
        return finding.message
    recorded = verdict.worse[finding]
    note = "baselined" if recorded is None else f"baselined at {_number(recorded)}"
    text = finding.message
    if text.endswith(")"):
        return f"{text[:-1]}; {note})"
    return f"{text} ({note})"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


_CONTROL = {code: f"\\x{code:02x}" for code in (*range(0x20), 0x7F, *range(0x80, 0xA0))}
_CONTROL.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})
_CONTROL.update({code: f"\\u{code:04x}" for code in (0x2028, 0x2029, *range(0x202A, 0x202F),
                                                      *range(0x2066, 0x206A))})


def escaped(text: str) -> str:
    """``text`` with control characters (C0, DEL, C1), line separators and bidirectional
    overrides written as escapes (``\\x1b``), so printing it cannot move the cursor,
    change colours or reorder what a terminal shows."""
    return text if text.isprintable() else text.translate(_CONTROL)


def _summary(verdict: Verdict) -> str:
    files = verdict.files
    noun = "file" if files == 1 else "files"
    count = len(verdict.errors)
    if count:
        line = f"Found {_plural(count, 'finding')} in {files} {noun} checked."
    else:
        line = f"All checks passed ({files} {noun} checked)."
    if verdict.warnings:
        line += f" {_plural(len(verdict.warnings), 'warning')} (warn mode, not failing)."
    return line


def _plural(count: int, noun: str, nouns: str | None = None) -> str:
    return f"{count} {noun if count == 1 else nouns or noun + 's'}"


def _baseline_lines(verdict: Verdict) -> list[str]:
    """Stale and unknown entries (at most MAX_STALE_SHOWN each), files whose entries
    followed a rename, then how much debt remains."""
    if verdict.baseline is None:
        return []
    name = verdict.baseline
    lines = _listed(name, "stale entry", items=[stale_text(e) for e in verdict.stale],
                    more="stale entries")
    if verdict.stale:
        count = len(verdict.stale)
        verb = "matches" if count == 1 else "match"
        lines.append(f"{name}: {_plural(count, 'entry', 'entries')} {verb} nothing now "
                     "(fixed): run `agentrails baseline --prune` to shrink the baseline.")
    unknown = [f"{stale_text(entry)}: {reason}" for entry, reason in verdict.unknown]
    lines += _listed(name, "not re-checked", items=unknown, more="entries not re-checked")
    if unknown:
        lines.append(f"{name}: {_plural(len(unknown), 'entry', 'entries')} could not be "
                     "re-checked (unknown: the file does not parse, cannot be read or was not "
                     "analysed); they stay in the baseline until their files can be checked.")
    if verdict.moved:
        moves = ", ".join(f"{old} -> {new}" for old, new in sorted(verdict.moved.items()))
        lines.append(f"{name}: entries followed renamed files ({moves}); run `agentrails "
                     "baseline --prune` to record the new paths.")
    lines += _retired_lines(verdict, name)
    lines.append(_remaining(verdict, name))
    return lines


def _retired_lines(verdict: Verdict, name: str) -> list[str]:
    """Entries a rule's new analysis no longer reports: said once, never as fixed debt."""
    count = len(verdict.retired)
    if not count:
        return []
    match = "matches a finding" if count == 1 else "match findings"
    return [f"{name}: {_plural(count, 'entry', 'entries')} no longer {match} of a rule's new "
            "analysis (not fixed debt): `agentrails baseline --prune` drops them."]


def _listed(name: str, label: str, *, items: list[str], more: str) -> list[str]:
    lines = [f"{name}: {label}: {item}" for item in items[:MAX_STALE_SHOWN]]
    if len(items) > MAX_STALE_SHOWN:
        lines.append(f"{name}: ... and {len(items) - MAX_STALE_SHOWN} more {more}")
    return lines


def _remaining(verdict: Verdict, name: str) -> str:
    """How much debt remains: in the whole baseline, or in the paths a limited run checked."""
    count = len(verdict.baselined)
    remain = "remains" if count == 1 else "remain"
    if not verdict.limited:
        return f"{_plural(count, 'baselined finding')} {remain} in {name}."
    return (f"{_plural(count, 'baselined finding')} {remain} in the checked paths "
            f"({_plural(verdict.recorded, 'entry', 'entries')} in {name}).")


def stale_text(entry: Entry) -> str:
    """``AR201 in src/app.py ('handle')``: what a stale entry was about."""
    symbol = f" ({entry.symbol!r})" if entry.symbol else ""
    return f"{entry.code} in {entry.path}{symbol}"


def render_json(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """A JSON array of the reported findings, each with its severity (error or warning);
    with a baseline, also its ``baseline_state`` (``new``, or ``worse`` with the
    ``baselined_value`` its entry recorded)."""
    warned = set(verdict.warnings)
    rows = []
    for f in verdict.reported:
        row = {**f.as_dict(), "severity": "warning" if f in warned else "error"}
        if verdict.baseline is not None:
            row.update(_json_state(f, verdict))
        rows.append(row)
    import json

    return json.dumps(rows, indent=2) + "\n"


def _json_state(finding: Finding, verdict: Verdict) -> dict[str, object]:
    if finding not in verdict.worse:
        return {"baseline_state": "new"}
    recorded = verdict.worse[finding]
    return {"baseline_state": "worse",
            "baselined_value": None if recorded is None else _plain(recorded)}


def _plain(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """GitHub Actions workflow commands: ``::error`` per finding, ``::warning`` in warn
    mode, ``::notice`` per stale baseline entry."""
    warned = set(verdict.warnings)
    lines = []
    for f in verdict.reported:
        title = _escape_property(f"{f.code} {rules[f.code].summary}" if f.code in rules else f.code)
        kind = "warning" if f in warned else "error"
        lines.append(
            f"::{kind} title={title},file={_escape_property(f.path)},line={f.line},col={f.column}"
            f"::{_escape_data(f'{f.code} {message(f, verdict)}')}"
        )
    where = _escape_property(verdict.baseline or "")
    for entry in verdict.stale:
        lines.append(f"::notice title=stale baseline entry,file={where}::"
                     f"{_escape_data(stale_text(entry))}: run `agentrails baseline --prune`")
    for entry, reason in verdict.unknown:
        lines.append(f"::notice title=baseline entry not re-checked,file={where}::"
                     f"{_escape_data(f'{stale_text(entry)}: {reason}')}: kept in the baseline")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """One SARIF 2.1.0 run that GitHub code scanning accepts. With a baseline, every result
    carries ``baselineState``: ``new``; ``updated`` for a finding worse than its entry;
    ``unchanged`` for baselined findings (suppressed, kind ``external``: accepted debt) and
    for entries whose file could not be re-checked (kind ``open``); ``absent`` for stale
    entries (kind ``pass``: the debt was paid)."""
    findings = [*verdict.reported, *verdict.baselined]
    entries = [*verdict.stale, *(entry for entry, _ in verdict.unknown)]
    used = sorted({f.code for f in findings} | {e.code for e in entries} | set(rules))
    index = {code: number for number, code in enumerate(used)}
    warned, accepted = set(verdict.warnings), set(verdict.baselined)
    results = [_sarif_result(f, verdict, index=index, warned=f in warned, accepted=f in accepted)
               for f in sorted(findings)]
    if verdict.baseline is not None:
        results += [_sarif_entry(entry, "", index=index,
                                 baseline=verdict.baseline) for entry in verdict.stale]
        results += [_sarif_entry(entry, reason, index=index, baseline=verdict.baseline)
                    for entry, reason in verdict.unknown]
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "agentrails",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_descriptor(code, rules.get(code)) for code in used],
            }},
            "results": results,
        }],
    }
    import json

    return json.dumps(log, indent=2) + "\n"


def _sarif_result(f: Finding, verdict: Verdict, *, index: Mapping[str, int], warned: bool,
                  accepted: bool) -> dict[str, object]:
    """One finding: reported (new or worse) or baselined (suppressed as accepted debt)."""
    result: dict[str, object] = {
        "ruleId": f.code,
        "ruleIndex": index[f.code],
        "level": "warning" if warned else "error",
        "message": {"text": message(f, verdict)},
        "locations": [{
            "physicalLocation": {
                "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                "region": {"startLine": f.line, "startColumn": f.column},
            }
        }],
    }
    if verdict.baseline is None:
        return result
    if f in verdict.worse:
        result["baselineState"] = "updated"
    elif accepted:
        result["baselineState"] = "unchanged"
        result["suppressions"] = [_accepted(verdict.baseline)]
    else:
        result["baselineState"] = "new"
    return result


def _sarif_entry(entry: Entry, reason: str, *, index: Mapping[str, int],
                 baseline: str) -> dict[str, object]:
    """A baseline entry no finding matched: ``absent`` when stale (no ``reason``), else
    ``unchanged`` and still accepted, with why its file could not be re-checked."""
    location = {"physicalLocation": {
        "artifactLocation": {"uri": _uri(entry.path), "uriBaseId": "%SRCROOT%"},
        "region": {"startLine": 1}}}  # an entry has no line: the file's start
    result: dict[str, object] = {
        "ruleId": entry.code,
        "ruleIndex": index[entry.code],
        "kind": "open" if reason else "pass",
        "level": "none",
        "locations": [location],
    }
    if reason:
        text = f"{stale_text(entry)}: not re-checked ({reason}); kept in {baseline}"
        result.update(message={"text": text}, baselineState="unchanged",
                      suppressions=[_accepted(baseline)])
    else:
        text = f"{stale_text(entry)}: no longer found (fixed); `agentrails baseline --prune`"
        result.update(message={"text": text}, baselineState="absent")
    return result


def _accepted(baseline: str) -> dict[str, str]:
    return {"kind": "external", "status": "accepted",
            "justification": f"accepted debt recorded in {baseline}"}


def _uri(path: str) -> str:
    """A relative path as a URI reference: spaces, ``%``, ``#`` and non-ASCII percent-encoded."""
    return quote(path, safe="/", errors="surrogateescape")


def _descriptor(code: str, rule: type[Rule] | None) -> dict[str, object]:
    summary = rule.summary if rule else code
    doc = rule.documentation() if rule else summary
    return {
        "id": code,
        "name": code,
        "shortDescription": {"text": summary},
        "fullDescription": {"text": doc.split("\n\n")[0].replace("What it finds:\n", "")},
        "help": {"text": doc, "markdown": doc},
        "defaultConfiguration": {"level": "error"},
    }


def render_statistics(findings: Sequence[Finding], rules: Mapping[str, type[Rule]]) -> str:
    """Counts by code, most frequent first, as ruff's ``--statistics``."""
    counts = Counter(f.code for f in findings)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    return "".join(
        f"{count:>5}\t{code}\t{rules[code].summary if code in rules else ''}\n"
        for code, count in rows
    )


FORMATS: dict[str, Callable[[Verdict, Mapping[str, type[Rule]]], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
