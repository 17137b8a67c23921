"""What a run shows: the output formats and progress on a terminal."""
