"""The complexity family (AR201-AR203): radon's cyclomatic complexity, ranks, MI."""
