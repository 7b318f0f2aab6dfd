"""The measuring core (harness spec §7): experiment kinds, advantage estimation, verdicts and the
immutable result records. It imports nothing from the rest of mpgames."""
