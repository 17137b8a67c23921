"""Tests of ``agentrails/checks/size``."""
