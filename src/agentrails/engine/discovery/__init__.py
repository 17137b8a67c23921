"""Discovery: which files a run checks (git's view or a walk honouring .gitignore), the globs that
select them, and the paths reports show."""
