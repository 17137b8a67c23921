"""Branch protection as code: rulesets, the classic fallback, drift, and ``protect``'s plan."""
