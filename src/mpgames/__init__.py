"""mpgames: security games, adversaries and reductions for a blockchain micropayment scheme
(microcoins and Micropay 1/2/3), with measured advantages and verdicts.

The package's layers, each importing only from those below it (docs/architecture.md):
`scheme` (the cryptography) → `measure` (experiment kinds, estimation, verdicts, result records) →
`framework` (trial context, views, oracles, seeds, engine) → `games` (one module per notion) →
`adversaries` → `reductions` → the application: `cli`, `suites`, `vectors`, `teaching`, `testing`.
`reports` renders result records and imports only `measure`.

`mpgames.run`, `mpgames.check` and `mpgames.explain` are the notebook API (`mpgames.notebook`).
"""

__version__ = "0.2.0"


from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mpgames.notebook import check as check
    from mpgames.notebook import explain as explain
    from mpgames.notebook import run as run

# The notebook API (docs/notebook.ipynb), imported when first used: `import mpgames` stays light (the
# pytest plugin's session imports it).
_NOTEBOOK = ("run", "check", "explain")


def __getattr__(name: str) -> Any:
    if name in _NOTEBOOK:
        from mpgames import notebook

        return getattr(notebook, name)
    raise AttributeError(f"module 'mpgames' has no attribute {name!r}")
