"""The self-heal loop of a generated repository: production errors and red CI runs become
sanitized issues, a sandboxed agent proposes a fix as a pull request against staging, a
person merges it, and ``agentrails report --self-heal`` counts how well the loop works.

The code the workflows run lives here, so it is tested against a local GitHub stand-in;
the workflows only call ``agentrails self-heal ...`` with the pinned release.
"""
