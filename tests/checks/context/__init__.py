"""Tests of ``agentrails/checks/context``."""
