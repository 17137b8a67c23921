"""Hook entry points: Claude Code hooks (``agentrails hook NAME``) and their shared helpers."""
