"""Output formats: text, json, github (workflow commands) and sarif (2.1.0)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from urllib.parse import quote

from agentrails import __version__
from agentrails.engine.findings import Finding
from agentrails.engine.protocol import Rule

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/agentrails/agentrails"


def render_text(findings: Sequence[Finding], rules: Mapping[str, type[Rule]], files: int) -> str:
    """``path:line:col: CODE message`` lines, then a summary line."""
    lines = [f"{f.path}:{f.line}:{f.column}: {f.code} {f.message}" for f in findings]
    noun = "file" if files == 1 else "files"
    if findings:
        plural = "s" if len(findings) != 1 else ""
        lines.append(f"Found {len(findings)} finding{plural} in {files} {noun} checked.")
    else:
        lines.append(f"All checks passed ({files} {noun} checked).")
    return "\n".join(lines) + "\n"


def render_json(findings: Sequence[Finding], rules: Mapping[str, type[Rule]], files: int) -> str:
    """A JSON array of finding objects."""
    return json.dumps([f.as_dict() for f in findings], indent=2) + "\n"


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def render_github(findings: Sequence[Finding], rules: Mapping[str, type[Rule]], files: int) -> str:
    """GitHub Actions ``::error`` workflow commands, one per finding."""
    lines = []
    for f in findings:
        title = _escape_property(f"{f.code} {rules[f.code].summary}" if f.code in rules else f.code)
        lines.append(
            f"::error title={title},file={_escape_property(f.path)},line={f.line},col={f.column}"
            f"::{_escape_data(f'{f.code} {f.message}')}"
        )
    return "\n".join(lines) + ("\n" if lines else "")


def render_sarif(findings: Sequence[Finding], rules: Mapping[str, type[Rule]], files: int) -> str:
    """One SARIF 2.1.0 run that GitHub code scanning accepts."""
    used = sorted({f.code for f in findings} | set(rules))
    index = {code: number for number, code in enumerate(used)}
    descriptors = [_descriptor(code, rules.get(code)) for code in used]
    results = [
        {
            "ruleId": f.code,
            "ruleIndex": index[f.code],
            "level": "error",
            "message": {"text": f.message},
            "locations": [{
                "physicalLocation": {
                    "artifactLocation": {"uri": _uri(f.path), "uriBaseId": "%SRCROOT%"},
                    "region": {"startLine": f.line, "startColumn": f.column},
                }
            }],
        }
        for f in findings
    ]
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


FORMATS: dict[str, Callable[[Sequence[Finding], Mapping[str, type[Rule]], int], str]] = {
    "text": render_text,
    "json": render_json,
    "github": render_github,
    "sarif": render_sarif,
}
