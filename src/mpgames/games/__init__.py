"""The game definitions (harness spec §3): one module per security notion, and modules of helpers that
several games share. `registry` lists the built-in games."""
