"""Tests of ``agentrails/engine/discovery``."""
