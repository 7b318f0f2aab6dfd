"""mpgames: security games, adversaries and reductions for a blockchain micropayment scheme
(microcoins and Micropay 1/2/3), with measured advantages and verdicts.

The package's layers, each importing only from those below it (docs/architecture.md):
`scheme` (the cryptography) → `measure` (experiment kinds, estimation, verdicts, result records) →
`framework` (trial context, views, oracles, seeds, engine) → `games` (one module per notion) →
`adversaries` → `reductions` → the application: `cli`, `suites`, `vectors`, `teaching`, `testing`.
`reports` renders result records and imports only `measure`.
"""

__version__ = "0.2.0"
