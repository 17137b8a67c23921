"""Allow ``python -m agentrails``."""

from agentrails.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
