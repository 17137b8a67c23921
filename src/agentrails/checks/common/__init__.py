"""Helpers several families share: git queries, project paths, Markdown, front matter."""
