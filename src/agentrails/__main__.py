"""Allow ``python -m agentrails``."""

from agentrails.cli import main

raise SystemExit(main())
