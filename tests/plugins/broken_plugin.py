"""A plugin file that fails to import, for tests/test_plugins.py."""

raise RuntimeError("this plugin is broken")
