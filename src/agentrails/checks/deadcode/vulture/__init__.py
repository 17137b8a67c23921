"""vulture 2.16's answer, from per-file facts: the walk (definitions and uses), reachability,
its name rules and bundled whitelists, and the whole-program join (``smart-ignores = false``,
and agentrails 0.2.0's answer that the phase-in compares against)."""
