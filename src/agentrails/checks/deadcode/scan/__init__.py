"""The scope-aware analysis of one file: the walk that reads every expression once (beside
vulture's), the scan of its scopes, and what the code says about itself (``# noqa``, intent,
string annotations)."""
