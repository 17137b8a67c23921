"""What a run remembers between runs: the content-hash cache of per-file facts, plain-data memos on
disk, the one hash, the remembered entry points."""
