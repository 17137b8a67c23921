"""Tests of ``agentrails/engine/run``."""
