"""Drift: how the protection GitHub holds differs from what the project's files ask for.

GitHub answers with more than was sent (ids, links, timestamps, defaults such as
``allowed_merge_methods``), so what it holds is first cut down to the keys the file has, and
the parts whose order means nothing (rules, bypass actors, ref patterns, checks) are sorted on
both sides. What remains is compared as canonical JSON and shown as a unified diff.
"""

from __future__ import annotations

import copy
import difflib
import json
from typing import Any

EMPTY: tuple[Any, ...] = ([], {})
# Keys GitHub leaves out of a ruleset for a token without write access to it (a read-only
# token, as the fleet view uses): not compared then, and said so (``withheld``).
WITHHELD = ("bypass_actors",)


def dump(value: Any) -> str:
    """Canonical JSON: sorted keys, two-space indent, a final newline."""
    return json.dumps(value, indent=2, sort_keys=True) + "\n"


def _key(item: Any) -> str:
    return dump(item) if not isinstance(item, dict) else str(
        (item.get("type", ""), item.get("actor_type", ""), item.get("actor_id") or 0,
         item.get("context", ""), item.get("integration_id") or 0))


def _sort_list(holder: Any, key: str) -> None:
    if isinstance(holder, dict) and isinstance(holder.get(key), list):
        holder[key] = sorted(holder[key], key=_key)


def canonical_ruleset(body: Any) -> Any:
    """A copy of a ruleset body with its order-free lists sorted."""
    if not isinstance(body, dict):
        return body
    body = copy.deepcopy(body)
    _sort_list(body, "rules")
    _sort_list(body, "bypass_actors")
    conditions = body.get("conditions")
    ref_name = conditions.get("ref_name") if isinstance(conditions, dict) else None
    _sort_list(ref_name, "include")
    _sort_list(ref_name, "exclude")
    for rule in body.get("rules") or []:
        _sort_list(rule.get("parameters") if isinstance(rule, dict) else None,
                   "required_status_checks")
    return body


def project(actual: Any, desired: Any) -> Any:
    """``actual`` cut down to the keys that ``desired`` has, recursively. A key GitHub left
    out stands for an empty list or object when that is what ``desired`` says."""
    if isinstance(desired, dict) and isinstance(actual, dict):
        return _project_dict(actual, desired)
    if isinstance(desired, list) and isinstance(actual, list):
        partners = [_partner(item, index, desired, len(actual)) for index, item in
                    enumerate(actual)]
        return [item if partner is None else project(item, partner)
                for item, partner in zip(actual, partners, strict=True)]
    return actual


def _project_dict(actual: dict[str, Any], desired: dict[str, Any]) -> dict[str, Any]:
    kept = {}
    for key, wanted in desired.items():
        if key in actual:
            kept[key] = project(actual[key], wanted)
        elif wanted in EMPTY:
            kept[key] = wanted
    return kept


def _identity(item: Any) -> Any:
    """What names an element of a list: a rule's ``type``."""
    return item.get("type") if isinstance(item, dict) else None


def _partner(item: Any, index: int, desired: list[Any], count: int) -> Any:
    """The element of ``desired`` that ``item`` of the actual list stands for, if any: the
    one of the same ``type``, else the one at the same place when the lengths agree."""
    identity = _identity(item)
    if identity is not None:
        return next((want for want in desired if _identity(want) == identity), None)
    return desired[index] if count == len(desired) else None


def diff_text(have: Any, want: Any, have_label: str, want_label: str) -> str:
    """A unified diff from what GitHub has to what is wanted; '' when they agree."""
    before, after = dump(have), dump(want)
    if before == after:
        return ""
    lines = difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True),
                                 fromfile=have_label, tofile=want_label)
    return "".join(lines)


def addition(want: Any, want_label: str) -> str:
    """``want`` as a diff from nothing: what a create would write."""
    lines = difflib.unified_diff([], dump(want).splitlines(keepends=True),
                                 fromfile="github: (none)", tofile=want_label)
    return "".join(lines)


def withheld(actual: Any, desired: dict[str, Any]) -> list[str]:
    """The keys of ``WITHHELD`` the file sets but GitHub's answer leaves out."""
    if not isinstance(actual, dict):
        return []
    return [key for key in WITHHELD if key in desired and key not in actual]


def ruleset_drift(actual: Any, desired: dict[str, Any], have_label: str,
                  want_label: str) -> str:
    """The diff between a ruleset as GitHub holds it and as its file says; '' if none.
    What GitHub withheld from this token is left out of the comparison."""
    hidden = withheld(actual, desired)
    want = canonical_ruleset({key: value for key, value in desired.items()
                              if key not in hidden})
    have = project(canonical_ruleset(actual), want)
    return diff_text(have, want, have_label, want_label)
