"""Tests of ``agentrails/hooks/shell``."""
