"""Output formats: text, json, github (workflow commands) and sarif (2.1.0)."""

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
    warned = set(verdict.warnings)
    lines = [
        f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}"
        + (" (warning: not failing)" if f in warned else "")
        for f in verdict.reported
    ]
    lines += _baseline_lines(verdict)
    lines.append(_summary(verdict))
    return "\n".join(lines) + "\n"


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
    """Stale entries (at most MAX_STALE_SHOWN), then how much debt the baseline holds."""
    if verdict.baseline is None:
        return []
    name = verdict.baseline
    lines = [f"{name}: stale entry: {stale_text(entry)}"
             for entry in verdict.stale[:MAX_STALE_SHOWN]]
    if len(verdict.stale) > MAX_STALE_SHOWN:
        lines.append(f"{name}: ... and {len(verdict.stale) - MAX_STALE_SHOWN} more stale entries")
    if verdict.stale:
        count = len(verdict.stale)
        verb = "matches" if count == 1 else "match"
        lines.append(f"{name}: {_plural(count, 'entry', 'entries')} {verb} nothing now "
                     "(fixed): run `agentrails baseline --prune` to shrink the baseline.")
    if verdict.retired:
        count = len(verdict.retired)
        lines.append(f"{name}: {_plural(count, 'entry', 'entries')} no longer "
                     f"{'matches a finding' if count == 1 else 'match findings'} of a rule's "
                     "new analysis (not fixed debt): `agentrails baseline --prune` drops them.")
    remain = "remains" if len(verdict.baselined) == 1 else "remain"
    lines.append(f"{_plural(len(verdict.baselined), 'baselined finding')} {remain} in {name}.")
    return lines


def stale_text(entry: Entry) -> str:
    """``AR201 in src/app.py ('handle')``: what a stale entry was about."""
    symbol = f" ({entry.symbol!r})" if entry.symbol else ""
    return f"{entry.code} in {entry.path}{symbol}"


def render_json(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """A JSON array of the reported findings, each with its severity (error or warning)."""
    warned = set(verdict.warnings)
    rows = [
        {**f.as_dict(), "severity": "warning" if f in warned else "error"}
        for f in verdict.reported
    ]
    import json

    return json.dumps(rows, indent=2) + "\n"


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
            f"::{_escape_data(f'{f.code} {f.message}')}"
        )
    for entry in verdict.stale:
        where = _escape_property(verdict.baseline or "")
        lines.append(f"::notice title=stale baseline entry,file={where}::"
                     f"{_escape_data(stale_text(entry))}: run `agentrails baseline --prune`")
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(verdict: Verdict, rules: Mapping[str, type[Rule]]) -> str:
    """One SARIF 2.1.0 run that GitHub code scanning accepts. With a baseline, every result
    carries ``baselineState``: ``new``, or ``unchanged`` for baselined findings."""
    findings = verdict.reported + verdict.baselined
    used = sorted({f.code for f in findings} | set(rules))
    index = {code: number for number, code in enumerate(used)}
    descriptors = [_descriptor(code, rules.get(code)) for code in used]
    warned, accepted = set(verdict.warnings), set(verdict.baselined)
    results = []
    for f in sorted(findings):
        result: dict[str, object] = {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "warning" if f in warned else "error",
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }],
        }
        if verdict.baseline is not None:
            result["baselineState"] = "unchanged" if f in accepted else "new"
        results.append(result)
    log = {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "agentrails",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": descriptors,
            }},
            "results": results,
        }],
    }
    import json

    return json.dumps(log, indent=2) + "\n"


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
