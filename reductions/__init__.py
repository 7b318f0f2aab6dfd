"""mpgames reductions package."""
