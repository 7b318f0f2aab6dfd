"""`python -m mpgames`: the `mpgames` command."""

from mpgames.cli import main

raise SystemExit(main())
