"""agentrails' test suite; its folders mirror ``src/agentrails/``."""
