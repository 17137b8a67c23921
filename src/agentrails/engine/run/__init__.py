"""One check run: discover, read, look up the cache, analyse what is new in a process pool,
then run the selected rules."""
