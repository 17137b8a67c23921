"""Tests of ``agentrails/engine/baseline``."""
