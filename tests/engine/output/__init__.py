"""Tests of ``agentrails/engine/output``."""
