"""``agentrails report``: a health snapshot of the project from one check run, as JSON or as
Markdown with Mermaid charts, and its change since an earlier snapshot."""

from agentrails.report.snapshot import SCHEMA, SnapshotError, build, delta, load, measures

__all__ = ["SCHEMA", "SnapshotError", "build", "delta", "load", "measures"]
