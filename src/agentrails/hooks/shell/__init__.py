"""The shell reading of guard-paths: a Bash command split into words, commands and the files each
may write."""
