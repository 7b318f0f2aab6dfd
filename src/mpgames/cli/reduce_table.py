"""The tightness table of `mpgames reduce` (harness §5): one row per reduction and inner adversary,
rendered from the rows `mpgames.reductions.runner.tightness` measures."""

from __future__ import annotations

from collections.abc import Sequence

from mpgames.reductions.runner import Tightness, queries_per_trial
from mpgames.reports.render import TOY_NOTE
from mpgames.reports.tables import table_text

COLUMNS = (
    "reduction",
    "inner adversary",
    "tier",
    "n",
    "inner Adv",
    "ε",
    "outer Adv",
    "declared relation",
    "bound at ε",
    "relation",
    "cost outer/inner",
    "lost",
)


def _span(point: float, low: float, high: float) -> str:
    return f"{point:.3g} [{low:.3g}, {high:.3g}]"


def _percent(level: float) -> str:
    return f"{100 * level:.6g}%"


def _times(ratio: float | None) -> str:
    return "—" if ratio is None else f"×{ratio:.1f}"


def _row(row: Tightness) -> tuple[str, ...]:
    inner, outer, eps = row.inner.estimate, row.outer.estimate, row.epsilon
    cost = (
        f"time {_times(row.time_ratio)}, exp {_times(row.exponentiation_ratio)}, "
        f"queries {queries_per_trial(row.outer):.4g}/{queries_per_trial(row.inner):.4g}"
    )
    return (
        row.reduction,
        row.inner.adversary,
        row.inner.tier,
        str(inner.trials),
        _span(inner.advantage, inner.interval.lower, inner.interval.upper),
        _span(eps.success, eps.interval.lower, eps.interval.upper),
        _span(outer.advantage, outer.interval.lower, outer.interval.upper),
        row.relation,
        _span(row.bound, row.bound_low, row.bound_high),
        row.status.value,
        cost,
        f"{row.inner.lost_total}/{row.outer.lost_total}",
    )


def table(rows: Sequence[Tightness], fmt: str = "github", *, ascii: bool = False) -> str:
    """The tightness table, with how to read it (and the toy note when a row is of the toy tier); with
    `ascii`, laid out from ASCII cells (mpgames.reports.tables)."""
    if not rows:
        return "(no reductions)"
    text = table_text([_row(row) for row in rows], COLUMNS, ascii=ascii, tablefmt=fmt, disable_numparse=True)
    alpha = rows[0].epsilon.thresholds.alpha
    notes = [
        "",
        f"Adv and ε: estimate [Clopper–Pearson interval at {_percent(1 - alpha)}], inner and outer intervals "
        f"jointly at {_percent(1 - 2 * alpha)}. ε is Pr of the inner event the relation counts; "
        "bound at ε: the declared bound at ε [at the ends of ε's interval]. The relation holds if the outer "
        "lower end meets the bound's upper end, is violated if the outer upper end is below the bound's "
        "lower end, and is not contradicted otherwise. Costs: a trial of the reduction over a trial of "
        "the inner adversary; queries to each run's own game. Lost: trials lost by fault, inner/outer.",
    ]
    if any(row.inner.tier == "toy" for row in rows):
        notes += ["", TOY_NOTE]
    return text + "\n" + "\n".join(notes)
