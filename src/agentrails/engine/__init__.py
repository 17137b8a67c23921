"""The check engine: discovery, parse-once analysis, cache, rules and output."""
