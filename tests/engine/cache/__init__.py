"""Tests of ``agentrails/engine/cache``."""
