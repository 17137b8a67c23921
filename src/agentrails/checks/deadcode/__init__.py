"""Dead code (AR301, AR302) in parts: per-file facts, reachability, and the whole-program join.

``facts`` holds the picklable per-file record, ``walker`` and ``reach`` fill it in one pass
over the shared parse, ``join`` answers across files. ``agentrails.checks.deadcode.rules`` is the
family module that wires them to the engine.
"""
