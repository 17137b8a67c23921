"""Placeholder while the family is being written."""

from agentrails.checks.base import Family

FAMILY = Family(name="complexity", rules=())
