"""Accepted debt: the baseline file, matching findings to it, the verdict of a run, and ``--add-
noqa``."""
