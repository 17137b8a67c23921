"""The benchmark harness: agentrails against radon, vulture and ruff on real corpora.

Run it as ``python bench/run.py``; it is not a test and not run in CI.
"""
