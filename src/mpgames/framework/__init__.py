"""The game framework (harness spec §2–§4): the trial context, views, oracles and the canonical
adversary boundary, seeds, time limits, outcomes and the engine that plays trials."""
