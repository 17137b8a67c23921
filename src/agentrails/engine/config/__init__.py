"""Configuration: find, read, validate and layer ``[tool.agentrails]`` or ``agentrails.toml``, and
which settings govern a path in a monorepo."""
