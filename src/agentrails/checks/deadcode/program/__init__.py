"""The scope-aware analysis across files: the project's layout (library or application), the
confidence each candidate earns, AR301's answer and its phase-in against 0.2.0."""
