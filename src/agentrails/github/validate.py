"""Check request bodies against the strict schemas of ``agentrails.github.schemas`` with
``jsonschema`` (Draft 2020-12), turning its errors into one line each that names the place."""

from __future__ import annotations

import json
from typing import Any

from agentrails.github.schemas import SCHEMAS, Schema


def errors(value: Any, schema: Schema) -> list[str]:
    """Every problem of ``value`` against ``schema``, sorted, each as ``$.path: message``."""
    from jsonschema import Draft202012Validator  # only protect and promote need it

    validator = Draft202012Validator(schema)
    return sorted(line for error in validator.iter_errors(value) for line in _describe(error))


def _describe(error: Any) -> list[str]:
    """The most specific reasons for one jsonschema error."""
    where = error.json_path
    if error.validator == "oneOf" and error.context:
        return _describe_one_of(error)
    if error.validator == "additionalProperties":
        known = error.schema.get("properties", {})
        return [f"{where}: unknown key {key!r}" for key in error.instance if key not in known]
    if error.validator == "required":
        missing = [key for key in error.validator_value if key not in error.instance]
        return [f"{where}: missing key {key!r}" for key in missing[:1]]
    return [f"{where}: {_message(error)}"]


def _describe_one_of(error: Any) -> list[str]:
    """Inside a ``oneOf`` of typed rules: the branch whose ``type`` matched, else the list
    of known types; for other ``oneOf``s, the branches of the value's own JSON type."""
    kinds = [o.get("properties", {}).get("type", {}).get("const") for o in error.validator_value]
    if isinstance(error.instance, dict) and all(kinds):
        return _describe_tagged(error, kinds)
    inner = _same_type_branches(error)
    if inner:  # e.g. the object branch of "null or object"
        return [line for e in inner for line in _describe(e)]
    return [f"{error.json_path}: {error.message}"]


def _same_type_branches(error: Any) -> list[Any]:
    """The errors of the ``oneOf`` branches whose JSON type the value has."""
    wrong_type = {e.relative_schema_path[0] for e in error.context
                  if list(e.relative_schema_path)[1:] == ["type"]}
    return [e for e in error.context if e.relative_schema_path[0] not in wrong_type]


def _describe_tagged(error: Any, kinds: list[str]) -> list[str]:
    """A rule whose ``type`` picks its schema: that schema's problems, or an unknown type."""
    kind = error.instance.get("type")
    if kind not in kinds:
        known = ", ".join(kinds)
        return [f"{error.json_path}.type: unknown type {json.dumps(kind)} (known: {known})"]
    branch = kinds.index(kind)
    inner = [e for e in error.context if e.relative_schema_path[0] == branch]
    return [line for e in inner for line in _describe(e)]


def _message(error: Any) -> str:
    """Short wording for the keywords our schemas use; jsonschema's own for the rest."""
    value = error.validator_value
    if error.validator == "minLength":
        return "must not be empty" if value == 1 else f"shorter than {value} characters"
    wording = {
        "maximum": f"must be at most {value}",
        "minimum": f"must be at least {value}",
        "const": f"must be {json.dumps(value)}",
    }
    return wording.get(error.validator, error.message)


def body_errors(name: str, body: Any) -> list[str]:
    """Problems of a request body against the strict schema called ``name``."""
    return errors(body, SCHEMAS[name])
