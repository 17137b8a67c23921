"""GitHub's REST API for ``agentrails protect`` and ``agentrails promote``: a small client,
the request schemas, rulesets as code, classic branch protection, the promotion gate."""
