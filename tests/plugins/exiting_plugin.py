"""A plugin file that calls `sys.exit(0)` when it is imported, for tests/test_plugins.py."""

import sys

sys.exit(0)
