"""The attack search of `mpgames fuzz` (docs/fuzz.md): generic adversaries drawn from a game's typed
boundary, played until one wins (plan: the adversaries as data; strategies: the search space;
adversary: the class that plays a plan; search: the loop, its confirmation and its report)."""
