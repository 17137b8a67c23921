"""GitHub's official OpenAPI description, the npm package ``@octokit/openapi`` at a pinned
version: fetched once from the npm registry (``npm pack``, or the tarball over HTTPS when npm
is absent), checked against npm's published SHA-1, and cached beside the benchmark corpora.

``request_errors(operation_id, body)`` and ``response_errors(operation_id, status, data)``
validate with ``jsonschema`` against the operation's schema, every ``$ref`` resolved. OpenAPI
3.0 is JSON Schema draft 4 plus ``nullable``, which is rewritten as a ``null`` type.
"""

from __future__ import annotations

import copy
import functools
import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

import jsonschema

from tests.helpers.corpora import cache_root

PACKAGE, VERSION = "@octokit/openapi", "23.0.2"
SHASUM = "743435033357133786d56271b48a67991a614b0a"  # npm's "shasum" of the tarball
TARBALL = f"octokit-openapi-{VERSION}.tgz"
REGISTRY_URL = f"https://registry.npmjs.org/@octokit/openapi/-/openapi-{VERSION}.tgz"
MEMBER = "package/generated/api.github.com.json"
SCHEMA_KEYS = ("items", "additionalProperties", "not")
SCHEMA_LISTS = ("allOf", "anyOf", "oneOf")


def cache_dir() -> Path:
    folder = cache_root() / "npm"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _sha1(path: Path) -> str:
    return hashlib.sha1(path.read_bytes(), usedforsecurity=False).hexdigest()


def _download(into: Path) -> Path:
    npm = shutil.which("npm")
    if npm:
        subprocess.run([npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", str(into),
                        "--silent"], check=True, capture_output=True, timeout=600)
    else:
        with urllib.request.urlopen(REGISTRY_URL, timeout=600) as reply:
            (into / TARBALL).write_bytes(reply.read())
    return into / TARBALL


def tarball() -> Path:
    """The package tarball, downloaded once and verified."""
    target = cache_dir() / TARBALL
    if target.exists() and _sha1(target) == SHASUM:
        return target
    with tempfile.TemporaryDirectory(dir=cache_dir()) as scratch:
        fetched = _download(Path(scratch))
        if _sha1(fetched) != SHASUM:
            raise RuntimeError(f"{PACKAGE}@{VERSION}: checksum mismatch, not using it")
        os.replace(fetched, target)
    return target


def description_path() -> Path:
    """``api.github.com.json`` of the package, extracted once."""
    target = cache_dir() / f"api.github.com-{VERSION}.json"
    if target.exists():
        return target
    with tarfile.open(tarball()) as archive:
        member = archive.extractfile(MEMBER)
        if member is None:
            raise RuntimeError(f"{MEMBER} missing from {TARBALL}")
        data = member.read()
    scratch = target.with_suffix(f".{os.getpid()}.tmp")
    scratch.write_bytes(data)
    os.replace(scratch, target)
    return target


@functools.lru_cache(maxsize=1)
def description() -> dict[str, Any]:
    return json.loads(description_path().read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=1)
def operations() -> dict[str, dict[str, Any]]:
    """Every operation by its ``operationId``."""
    found = {}
    for item in description()["paths"].values():
        for method, operation in item.items():
            if isinstance(operation, dict) and "operationId" in operation:
                found[operation["operationId"]] = {**operation, "method": method.upper()}
    return found


class _Converter:
    """A schema of the description, made self-contained: ``$ref``s point into ``$defs``."""

    def __init__(self) -> None:
        self.components = description()["components"]["schemas"]
        self.defs: dict[str, Any] = {}

    def schema(self, node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            name = node["$ref"].removeprefix("#/components/schemas/")
            if name not in self.defs:
                self.defs[name] = {}
                self.defs[name] = self.schema(self.components[name])
            return {"$ref": f"#/$defs/{name}"}
        out = self._children(node)
        return self._nullable(out) if node.get("nullable") else out

    def _children(self, node: dict[str, Any]) -> dict[str, Any]:
        out = {key: value for key, value in node.items() if key != "nullable"}
        if "properties" in node:
            out["properties"] = {key: self.schema(sub) for key, sub in node["properties"].items()}
        for key in SCHEMA_KEYS:
            if isinstance(node.get(key), dict):
                out[key] = self.schema(node[key])
        for key in SCHEMA_LISTS:
            if key in node:
                out[key] = [self.schema(sub) for sub in node[key]]
        return out

    @staticmethod
    def _nullable(out: dict[str, Any]) -> dict[str, Any]:
        if "type" in out:
            out["type"] = [out["type"], "null"]
            if "enum" in out:
                out["enum"] = [*out["enum"], None]
            return out
        return {"anyOf": [{"type": "null"}, out]}

    def validator(self, node: Any) -> jsonschema.Draft4Validator:
        root = {"allOf": [self.schema(node)], "$defs": self.defs}
        return jsonschema.Draft4Validator(root)


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    """A response object, following a ``$ref`` into ``components/responses``."""
    ref = node.get("$ref", "")
    if ref.startswith("#/components/responses/"):
        return description()["components"]["responses"][ref.rsplit("/", 1)[1]]
    return node


@functools.cache
def request_validator(operation_id: str) -> jsonschema.Draft4Validator:
    body = operations()[operation_id]["requestBody"]
    return _Converter().validator(body["content"]["application/json"]["schema"])


@functools.cache
def response_validator(operation_id: str, status: int) -> jsonschema.Draft4Validator:
    response = _resolve(operations()[operation_id]["responses"][str(status)])
    return _Converter().validator(response["content"]["application/json"]["schema"])


def _messages(validator: jsonschema.Draft4Validator, data: Any) -> list[str]:
    return [f"{'/'.join(map(str, error.absolute_path)) or '$'}: {error.message}"
            for error in validator.iter_errors(data)]


def request_errors(operation_id: str, body: Any) -> list[str]:
    """What GitHub's description finds wrong with a request body."""
    return _messages(request_validator(operation_id), body)


def response_errors(operation_id: str, status: int, data: Any) -> list[str]:
    """What GitHub's description finds wrong with a response body."""
    return _messages(response_validator(operation_id, status), data)


def _parameters(operation_id: str) -> list[dict[str, Any]]:
    shared = description()["components"]["parameters"]
    found = []
    for item in operations()[operation_id].get("parameters", []):
        ref = item.get("$ref", "")
        found.append(shared[ref.rsplit("/", 1)[1]] if ref else item)
    return found


def query_errors(operation_id: str, query: dict[str, str]) -> list[str]:
    """Query parameters the operation does not declare (GitHub would ignore them silently,
    so a misspelt filter would quietly filter nothing)."""
    declared = {item["name"] for item in _parameters(operation_id) if item["in"] == "query"}
    return [f"query parameter {name!r} is not one of {sorted(declared)}"
            for name in sorted(query) if name not in declared]


def path_of(operation_id: str) -> tuple[str, str]:
    """(METHOD, path template) of an operation, e.g. ``("GET", "/orgs/{org}/repos")``."""
    for path, item in description()["paths"].items():
        for method, operation in item.items():
            if isinstance(operation, dict) and operation.get("operationId") == operation_id:
                return method.upper(), path
    raise KeyError(operation_id)


def example(operation_id: str, status: int = 200, name: str | None = None) -> Any:
    """A fresh copy of an example answer the description gives (the first, or ``name``):
    the fakes start from it and overwrite what they know, so their answers have every field
    GitHub's have."""
    response = _resolve(operations()[operation_id]["responses"][str(status)])
    examples = response["content"]["application/json"]["examples"]
    item = examples[name] if name else next(iter(examples.values()))
    ref = item.get("$ref", "")
    if ref:
        item = description()["components"]["examples"][ref.rsplit("/", 1)[1]]
    return copy.deepcopy(item["value"])
