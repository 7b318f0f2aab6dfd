"""Testing aids for users of mpgames: the pytest plugin and Hypothesis strategies for scheme objects."""
