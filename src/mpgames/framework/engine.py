"""The engine: plays trials, in parallel, with sequential stopping (harness §6, §7, §10).

* `play_trial(spec, i)` plays trial i of a run: it derives the challenger's and the adversary's
  generators from the run's `SeedPath`, meters exponentiations and hash calls, times the trial, and
  records an `AdversaryFault` as the trial's fault type name. A fault carries no information
  (`score_fault`, harness §6a): it is a loss in a win-lose game and, in a hidden-bit or guess-1-of-n
  game, a uniform guess the challenger draws from the trial's own generator after the fault (won
  with probability 1/2, or 1/n). Scored as a loss there, a fault would be information: a consistent
  loser of a hidden-bit game has |2·Pr[win] − 1| = 1. Either way the fault is counted in the run's
  `lost`. Anything else (a challenger bug) propagates and stops the run. The spec's group is a
  named group's name or a `Group` itself (a generated toy group, as `plot-wall` plays); either way
  its name (`Group.label`) is the seed path's group, so a named group gives the same seeds whichever
  form the spec holds.
* `Engine(jobs, executor=, scheduler=)` plays index ranges on the workers of an executor
  (`mpgames.framework.executors`: forked processes here, or a Dask cluster), split into a few batches
  per worker so that the per-task overhead stays far below the work; outcomes are read in index order
  and depend on the index only, so any executor and any job count give identical results.
* `Engine.run(...)` deals trials in batches up to doubling checkpoints (25, 50, 100, … and
  `max_trials`) and, by default, decides after every trial in index order on the confidence sequence
  (`mpgames.measure.confidence_sequence`, valid at every trial): it stops at the first trial whose
  count decides the verdict, dropping the outcomes of its batch past it, so where a run stops does not
  depend on how its trials were dealt. `stopping="fixed"` plays exactly `max_trials` trials and reports
  the exact interval (`run --fixed N`); `stopping="looks"` is the former rule, a look at each
  checkpoint with α split over them (`mpgames.measure.sequential`), kept for comparison. It returns a
  `RunResult` built from the run's counts (`mpgames.framework.tally.Tally`): a run keeps no outcome,
  so its memory does not grow with its trials. An `on_outcome` hook sees every trial the run counts,
  in index order, in the calling process, whatever the job count (a `TrialLog` keeps what the command
  line needs: each trial's win, one byte a trial, for the running plot, and the first won trials,
  traced, for vectors).
* A run is cut short, with the trials it played and `stopped = "timed out"`, when its trials keep
  hitting the time limit (`timing_out`: from `TIMEOUT_SAMPLE` trials on, more than half of them; the
  trial at which that first holds is its last, whatever the job count) or when it passes its
  wall-clock `deadline` (checked after every batch of trials). Its estimate is the rule's at the trials
  played (under the checkpoint rule, a last look that spends the next checkpoint's share), and it is
  never judged against its expectation.
* SIGINT or SIGTERM (`Interrupted`; a `KeyboardInterrupt` counts as SIGINT) ends the workers at once
  (`Engine.terminate`) and propagates with the record of the trials completed. Workers ignore SIGINT,
  which a terminal sends to the whole process group: the parent stops them.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import time
import typing
from collections.abc import Callable, Generator
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from mpgames.framework.base import AdversaryLike, Game
from mpgames.framework.context import TrialContext
from mpgames.framework.errors import (
    AdversaryFault,
    ChallengerBug,
    Interrupted,
    UsageError,
    WorkerDied,
)
from mpgames.framework.executors import (
    LOCAL,
    Batch,
    TrialExecutor,
    WorkerLost,
    check_executor,
    make_executor,
)
from mpgames.framework.faults import FaultReport, report_of
from mpgames.framework.isolation.host import (
    MEMORY_BYTES,
    Limits,
    RemoteAdversary,
    SandboxError,
    server_for,
)
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.plugin_files import module_source
from mpgames.framework.seeds import RUN_KEY_BYTES, SEEDS, SeedPath, checked_derivation, new_run_key
from mpgames.framework.tally import Tally
from mpgames.framework.timelimit import ticking_clock
from mpgames.measure import confidence_sequence
from mpgames.measure.estimation import EXACT, SEQUENCE, Estimate
from mpgames.measure.estimation import estimate as estimate_of
from mpgames.measure.records import INTERRUPTED, ISOLATED, TIMED_OUT, TRUSTED, RunResult
from mpgames.measure.sequential import SequentialPlan
from mpgames.measure.verdicts import Kind, Thresholds, Verdict
from mpgames.scheme.groups import Group, named_group
from mpgames.scheme.integers import checked_int
from mpgames.scheme.metering import metered

# Per-trial time limit of an adversary, in seconds, unless the caller sets one: generous for any
# toy-tier attack and for budgeted standard-tier attackers, short enough to end a runaway loop.
DEFAULT_TIME_LIMIT = 10.0
# Stopping rules of `Engine.run` (module notes): the confidence sequence after every trial, a fixed
# number of trials, or the former checkpoints with α split over them.
FIXED, LOOKS = "fixed", "looks"
STOPPING_RULES = (SEQUENCE, FIXED, LOOKS)
# `_play_to`'s answer when the rule decided the run.
_DECIDED = "decided"

# Chunks per worker in one batch: enough to balance uneven trials, few enough that the cost of a
# task (pickling, a pipe round trip: well under a millisecond) stays small next to the trials.
CHUNKS_PER_JOB = 4
# A run stops as "timed out" once this many trials are played and more than half of them hit the
# time limit: its adversary does not finish, and each further trial would cost the whole limit to
# show it again. Small, so that a hanging adversary costs a few limits, not a run's budget of them.
TIMEOUT_SAMPLE = 5

# Told the trials just played; whatever it returns is ignored (a tqdm bar's `update` returns a flag).
Progress = Callable[[int], object]
OutcomeHook = Callable[[TrialOutcome], None]


@dataclass(frozen=True)
class TrialSpec:
    """Everything needed to play any trial of one run; small and picklable."""

    game: type[Game]
    adversary: type[AdversaryLike]
    variant: str
    tier: str
    group: str | Group
    seed: str
    time_limit: float | None = DEFAULT_TIME_LIMIT
    tracing: bool = False
    # Isolated runs (harness §6a): the "module:Class" or "file.py:Class" the adversary's process
    # loads, and the secret key of the challenger's coins (None: trusted, coins from the seed).
    isolated: str | None = None
    run_key: bytes | None = None
    # The address space of an isolated trial's process, in bytes.
    memory_limit: int = MEMORY_BYTES
    # The seed derivation the trials are played with (mpgames.framework.seeds).
    seeds: int = SEEDS

    @property
    def group_name(self) -> str:
        """The group's name: a named group's, or a `Group`'s label (its name if it has one)."""
        return self.group if isinstance(self.group, str) else self.group.label

    def resolved_group(self) -> Group:
        """The group the trials are played on."""
        return named_group(self.group) if isinstance(self.group, str) else self.group

    @property
    def seed_path(self) -> SeedPath:
        return SeedPath(
            self.seed, self.game.id, self.variant, self.adversary.id, self.tier, self.group_name, self.seeds
        )


def score_fault(game: type[Game], ctx: TrialContext) -> bool:
    """The score of a trial in which the adversary faulted: a fault carries no information (harness §6a).

    * win-lose: a loss;
    * hidden-bit (n = 2) and guess-1-of-n (n = `game.n_choices`): the challenger's own guess
      g ←$ [0, n), drawn from the trial's challenger generator `ctx.rng` after the fault, so the
      score depends on the trial index alone (the same for any job count). g is independent of the
      hidden value h, so [g = h] and [g = 0] are both won with probability exactly 1/n, whatever the
      adversary did; the engine, which never sees h, scores g = 0 as the win.
    """
    if game.kind is Kind.WIN_LOSE:
        ctx.trace("fault scored", won=False)
        return False
    choices = 2 if game.kind is Kind.HIDDEN_BIT else game.n_choices
    if choices is None or choices < 2:
        raise ChallengerBug(f"{game.id}: a {game.kind.value} game needs n_choices >= 2, got {choices!r}")
    guess = ctx.rng.randbelow(choices)
    ctx.trace("fault scored as the challenger's uniform guess", guess=guess, of=choices, won=guess == 0)
    return guess == 0


class TrialPlayer:
    """Plays trials of the run `spec`: what every trial shares (the seed path and its key, the
    group, the variant, the boundary) is worked out once, when the player is made."""

    def __init__(self, spec: TrialSpec) -> None:
        self.spec = spec
        self._seeds = spec.seed_path
        self._group = spec.resolved_group()
        self._variant = spec.game.variant(spec.variant)
        self._boundary = spec.game.boundary()

    def play(self, index: int) -> TrialOutcome:
        """Play trial `index`."""
        spec = self.spec
        challenger_rng, adversary_rng = self._seeds.streams(index, spec.run_key)
        ctx = TrialContext(
            variant=self._variant,
            tier=spec.tier,
            group=self._group,
            index=index,
            rng=challenger_rng,
            adversary_rng=adversary_rng,
            budgets=spec.game.budgets,
            boundary=self._boundary,
            time_limit=spec.time_limit,
            tracing=spec.tracing,
        )
        start = time.perf_counter()
        report: FaultReport | None = None
        with metered() as ops:
            try:
                won = self._experiment(ctx, index)
            except AdversaryFault as fault:
                report = report_of(fault.cause)
                ctx.trace("adversary fault", error=report.kind, detail=report.message, at=report.at or "-")
                won = score_fault(spec.game, ctx)
        if not isinstance(won, bool):
            raise ChallengerBug(f"{spec.game.id}.experiment returned {type(won).__name__}, not bool")
        return TrialOutcome(
            index=index,
            won=won,
            output=ctx.output_summary,
            queries=ctx.query_counts(),
            exponentiations=ops.exponentiations,
            hashes=ops.hashes,
            seconds=time.perf_counter() - start,
            error=None if report is None else report.kind,
            transcript=ctx.transcript,
            fault=report,
        )

    def _experiment(self, ctx: TrialContext, index: int) -> object:
        """The game's experiment against a fresh adversary: an isolated trial's process is ended
        when the experiment ends."""
        spec = self.spec
        if spec.isolated is None:
            return spec.game().experiment(ctx, ctx.instantiate(spec.adversary))
        with contextlib.ExitStack() as stack:
            seed = self._seeds.adversary_seed(index)
            adversary = ctx.instantiate(_isolated_trial(spec, seed, ctx, stack))
            return spec.game().experiment(ctx, adversary)


def play_trial(spec: TrialSpec, index: int) -> TrialOutcome:
    """Play trial `index` of the run described by `spec`."""
    return TrialPlayer(spec).play(index)


def play_trials(spec: TrialSpec, start: int, stop: int) -> Generator[TrialOutcome, None, None]:
    """Outcomes of trials start, …, stop−1 of the run `spec`, in index order: one player for them
    all and, for trusted trials, one clock (`mpgames.framework.timelimit.ticking_clock`)."""
    player = TrialPlayer(spec)
    with ticking_clock() if spec.isolated is None else contextlib.nullcontext():
        for index in range(start, stop):
            yield player.play(index)


def _isolated_trial(
    spec: TrialSpec, seed: bytes, ctx: TrialContext, stack: contextlib.ExitStack
) -> Callable[[], RemoteAdversary]:
    """What builds the adversary of an isolated trial in a fresh process of its server (under the
    trial's time limit, by `ctx.instantiate`), its generator built from `seed`; the process is ended
    when `stack` closes."""
    reference = typing.cast(str, spec.isolated)
    # Started, and the group validated, before the time limit runs: a broken server is the adversary's.
    try:
        server = server_for(reference)
        server.prepare(ctx.group, (module_source(spec.game.__module__),))
    except SandboxError as exc:
        raise AdversaryFault(exc) from exc

    def construct() -> RemoteAdversary:
        trial = stack.enter_context(
            server.trial(seed, Limits(spec.time_limit, spec.memory_limit), seeds=spec.seeds)
        )
        return trial.construct()

    return construct


# Where the kernel publishes a container's CPU quota: cgroup v2 ("max 100000": none; "200000 100000":
# two CPUs), and cgroup v1 (a quota of -1: none).
CGROUP_V2_CPU_MAX = Path("/sys/fs/cgroup/cpu.max")
CGROUP_V1_QUOTA = Path("/sys/fs/cgroup/cpu/cpu.cfs_quota_us")
CGROUP_V1_PERIOD = Path("/sys/fs/cgroup/cpu/cpu.cfs_period_us")


def _cpus(quota: str, period: str) -> int | None:
    """The CPUs a quota of `quota` µs per `period` µs allows, rounded up; None for no quota."""
    try:
        microseconds, length = int(quota), int(period)
    except ValueError:  # "max", or a file the kernel writes otherwise
        return None
    return -(-microseconds // length) if microseconds > 0 and length > 0 else None


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii").strip()
    except (OSError, ValueError):
        return None


def cpu_quota() -> int | None:
    """The CPUs the container's cgroup quota allows (v2, v1; the smaller if both), None without one."""
    found = []
    v2 = (_read(CGROUP_V2_CPU_MAX) or "").split()
    if len(v2) == 2:
        found.append(_cpus(*v2))
    v1_quota, v1_period = _read(CGROUP_V1_QUOTA), _read(CGROUP_V1_PERIOD)
    if v1_quota is not None and v1_period is not None:
        found.append(_cpus(v1_quota, v1_period))
    return min((cpus for cpus in found if cpus is not None), default=None)


def default_jobs() -> int:
    """The cores this process may run on (its affinity), at most the container's CPU quota."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    quota = cpu_quota()
    return cores if quota is None else min(cores, quota)


def _check_positive(value: float | None, name: str, *, integer: bool) -> None:
    if value is None:
        return
    if integer:
        checked_int(value, name, minimum=1, error=UsageError)
    elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        raise UsageError(f"{name} must be a positive number, got {value!r}")


def timing_out(timeouts: int, trials: int) -> bool:
    """Whether a run whose first `trials` trials include `timeouts` lost to the time limit stops."""
    return trials >= TIMEOUT_SAMPLE and 2 * timeouts > trials


def _past(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() >= deadline


class Engine:
    """Plays trials with `jobs` workers of an executor ("local": forked processes; "dask": a Dask
    cluster, local or at `scheduler`); use as a context manager to release the workers."""

    def __init__(
        self, jobs: int | None = None, *, executor: str = LOCAL, scheduler: str | None = None
    ) -> None:
        _check_positive(jobs, "jobs", integer=True)
        self.jobs = default_jobs() if jobs is None else jobs
        self.executor = check_executor(executor, scheduler)
        self._scheduler = scheduler
        self._pool: TrialExecutor | None = None

    def __enter__(self) -> Engine:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            pool, self._pool = self._pool, None
            pool.close()

    def terminate(self) -> None:
        """End the workers now, whatever they are playing, and reap them; the next batch starts anew."""
        if self._pool is not None and self.executor == LOCAL:
            self.close()

    def _executor(self) -> TrialExecutor:
        if self._pool is None:
            self._pool = make_executor(self.executor, self.jobs, self._scheduler)
        return self._pool

    def play(self, spec: TrialSpec, start: int, stop: int) -> list[TrialOutcome]:
        """Outcomes of trials start, …, stop−1, in index order."""
        with closing(self._parts(spec, start, stop)) as parts:
            return [outcome for part in parts for outcome in part]

    def _parts(self, spec: TrialSpec, start: int, stop: int) -> Generator[list[TrialOutcome], None, None]:
        """Outcomes of trials start, …, stop−1 in index order, a batch at a time (a trial at a time in
        this process with one local job); batches still in flight when the caller stops early are
        dropped (`TrialExecutor.drop`)."""
        count = stop - start
        if self.executor == LOCAL and (self.jobs == 1 or count < 2):
            with closing(play_trials(spec, start, stop)) as outcomes:
                for outcome in outcomes:
                    yield [outcome]
            return
        pool = self._executor()
        batches = min(count, pool.workers * CHUNKS_PER_JOB)
        bounds = [start + count * k // batches for k in range(batches + 1)]
        submitted: list[Batch] = []
        try:
            submitted += [pool.submit(spec, lo, hi) for lo, hi in itertools.pairwise(bounds)]
            for batch in submitted:
                yield pool.result(batch)
        except WorkerLost:
            raise self._worker_died(spec) from None
        finally:
            pool.drop(submitted)

    def _worker_died(self, spec: TrialSpec) -> WorkerDied:
        return WorkerDied(
            f"a worker process ended abruptly while playing {spec.adversary.id} against "
            f"{spec.game.id} (os._exit or a crash in the adversary's code); the run is void"
        )

    def run(
        self,
        game: type[Game],
        variant: str | None,
        adversary: type[AdversaryLike],
        tier: str,
        *,
        max_trials: int,
        seed: str,
        thresholds: Thresholds | None = None,
        time_limit: float | None = DEFAULT_TIME_LIMIT,
        group: str | Group | None = None,
        progress: Progress | None = None,
        tracing: bool = False,
        on_outcome: OutcomeHook | None = None,
        isolated: bool = False,
        run_key: bytes | None = None,
        deadline: float | None = None,
        memory_limit: int = MEMORY_BYTES,
        stopping: str = SEQUENCE,
    ) -> RunResult:
        """Play the game against the adversary until the verdict is decided or `max_trials` is reached.

        `stopping` is the rule (module notes): "sequence" decides after every trial on the confidence
        sequence; "fixed" plays exactly `max_trials` trials and reports the exact interval; "looks"
        is the former rule, checkpoints with α split over them (kept for comparison).

        `on_outcome` is called with every trial's outcome, in index order, as the batches come in;
        `tracing` records the trials' transcripts (a cost: only for a hook that needs them).
        `isolated` plays the adversary in processes of its own against coins from a secret run key
        (`run_key`, drawn afresh if None; docs/isolation.md), each with `memory_limit` bytes of
        address space.
        `deadline`, a `time.monotonic()` instant, caps the run's wall-clock time. A run cut short by
        it or by its trials' timeouts is "timed out"; an interrupted one raises `Interrupted` with
        the record of its completed trials as `partial` (module notes).
        """
        spec = make_spec(
            game,
            variant,
            adversary,
            tier,
            seed=seed,
            time_limit=time_limit,
            group=group,
            tracing=tracing,
            isolated=isolated,
            run_key=run_key,
            memory_limit=memory_limit,
        )
        _check_positive(max_trials, "max_trials", integer=True)
        if stopping not in STOPPING_RULES:
            raise UsageError(f"unknown stopping rule {stopping!r}; choose one of {', '.join(STOPPING_RULES)}")
        thresholds = Thresholds() if thresholds is None else thresholds
        plan = SequentialPlan.for_budget(max_trials, thresholds)
        rule = _Rule(spec, plan, stopping)
        started = time.perf_counter()
        tally = Tally()
        try:
            estimate, stopped = self._sequential(rule, tally, deadline, progress, on_outcome)
        except KeyboardInterrupt as exc:
            self.terminate()
            interrupted = Interrupted.of(exc)
            if tally.trials:
                last = rule.last_look(tally)
                interrupted.partial = summarize_run(
                    spec, tally, last, time.perf_counter() - started, stopped=INTERRUPTED
                )
            raise interrupted from None
        return summarize_run(spec, tally, estimate, time.perf_counter() - started, stopped=stopped)

    def _sequential(
        self,
        rule: _Rule,
        tally: Tally,
        deadline: float | None,
        progress: Progress | None,
        on_outcome: OutcomeHook | None,
    ) -> tuple[Estimate, str | None]:
        """Play into `tally`, a batch up to each checkpoint in turn, until the rule decides: the
        estimate at the trial where the run ends, and why it stopped early (None if it did not)."""
        spec, plan = rule.spec, rule.plan
        for checkpoint in plan.checkpoints:
            stopped = self._play_to(spec, checkpoint, tally, deadline, progress, on_outcome, rule.decided)
            if stopped == _DECIDED:
                return rule.estimate(tally), None
            if stopped is not None:
                return rule.last_look(tally), stopped
            if rule.stopping == LOOKS:
                estimate = plan.decide(spec.game.kind, tally.wins, checkpoint, spec.game.n_choices)
                if estimate.verdict is not Verdict.INCONCLUSIVE:
                    return estimate, None
            if checkpoint < plan.max_trials and _past(deadline):
                return rule.last_look(tally), TIMED_OUT
        return rule.estimate(tally), None

    def _play_to(
        self,
        spec: TrialSpec,
        stop: int,
        tally: Tally,
        deadline: float | None,
        progress: Progress | None,
        on_outcome: OutcomeHook | None,
        decided: Callable[[Tally], bool] | None = None,
    ) -> str | None:
        """Count trials tally.trials, …, stop−1 into `tally`; TIMED_OUT if cut short on the way,
        `_DECIDED` at the first trial after which `decided(tally)` holds (later outcomes of its batch
        are dropped, so where a run stops does not depend on how its trials were dealt). Outcomes are
        not kept: `on_outcome` sees each one."""
        with closing(self._parts(spec, tally.trials, stop)) as parts:
            for part in parts:
                stopped, before = None, tally.trials
                for outcome in part:
                    tally.add(outcome)
                    if on_outcome is not None:
                        on_outcome(outcome)
                    if timing_out(tally.timeouts, tally.trials):
                        stopped = TIMED_OUT
                    elif decided is not None and decided(tally):
                        stopped = _DECIDED
                    if stopped is not None:
                        break
                if progress is not None:
                    progress(tally.trials - before)
                if stopped is not None:
                    return stopped
                if tally.trials < stop and _past(deadline):
                    return TIMED_OUT
        return None


class _Rule:
    """A run's stopping rule (module notes): what decides it after each trial, and its estimates."""

    def __init__(self, spec: TrialSpec, plan: SequentialPlan, stopping: str) -> None:
        self.spec, self.plan, self.stopping = spec, plan, stopping
        self._kind, self._choices = spec.game.kind, spec.game.n_choices
        self.decided = self._decided if stopping == SEQUENCE else None

    def _decided(self, tally: Tally) -> bool:
        """After each trial, in index order: has the confidence sequence decided a verdict?"""
        thresholds = self.plan.thresholds
        test = confidence_sequence.sequence_test(
            self._kind, self._choices, tally.wins, tally.trials, thresholds.alpha
        )
        return test.verdict(self._kind, self._choices, thresholds) is not Verdict.INCONCLUSIVE

    def estimate(self, tally: Tally) -> Estimate:
        """The estimate of a run that ended where its rule says (decided, or at max_trials)."""
        if self.stopping == LOOKS:
            return self.last_look(tally)
        method = SEQUENCE if self.stopping == SEQUENCE else EXACT
        kind, wins, trials = self._kind, tally.wins, tally.trials
        return estimate_of(kind, wins, trials, self.plan.thresholds, n_choices=self._choices, method=method)

    def last_look(self, tally: Tally) -> Estimate:
        """The estimate of a run cut short (time limit, interruption). Under the checkpoint rule it
        spends the next checkpoint's share; the confidence sequence holds at any trial; a fixed run
        cut short reports its exact interval at the trials it played."""
        if self.stopping != LOOKS:
            return self.estimate(tally)
        return self.plan.decide(self._kind, tally.wins, tally.trials, self._choices, final=True)


@dataclass
class TrialLog:
    """An `on_outcome` hook: every trial's win, in index order, and the first `keep` won trials.

    Kept won trials carry their transcript when the run is traced (`tracing`: some are kept). A
    faulted trial scored as won (the challenger's guess in a guessing game) counts in `won` but is
    never kept: it exhibits nothing the adversary did.
    """

    keep: int = 0
    wins: list[TrialOutcome] = field(default_factory=list)
    # One byte a trial (a million trials: a megabyte), not a list of objects.
    _won: bytearray = field(default_factory=bytearray, repr=False)

    @property
    def tracing(self) -> bool:
        return self.keep > 0

    @property
    def won(self) -> list[bool]:
        """Every counted trial's win, in index order."""
        return [bool(flag) for flag in self._won]

    def __call__(self, outcome: TrialOutcome) -> None:
        self._won.append(outcome.won)
        if outcome.won and not outcome.lost_by_fault and len(self.wins) < self.keep:
            self.wins.append(outcome)


def make_spec(
    game: type[Game],
    variant: str | None,
    adversary: type[AdversaryLike],
    tier: str,
    *,
    seed: str,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    group: str | Group | None = None,
    tracing: bool = False,
    isolated: bool = False,
    run_key: bytes | None = None,
    memory_limit: int = MEMORY_BYTES,
    seeds: int = SEEDS,
) -> TrialSpec:
    """Validate a run's parameters (`UsageError` naming the problem) and fix them in a `TrialSpec`.

    `group` is a group's name (the tier's default if None) or a `Group`, which must belong to `tier`.
    An isolated run's adversary is loaded by its `source_reference()`; its coins come from
    `run_key`, or from a fresh one. `seeds` is the seed derivation (mpgames.framework.seeds): the
    current one, or an older one to replay a trial played with it.
    """
    chosen = game.variant(variant)
    isolated = isolated or adversary.isolated_only
    targets = ", ".join(adversary.target_ids())
    if not game.targeted_by(adversary.target_ids()):
        raise UsageError(f"adversary {adversary.id} does not target {game.id} (it targets {targets})")
    _check_positive(time_limit, "time_limit", integer=False)
    _check_positive(memory_limit, "memory_limit", integer=True)
    return TrialSpec(
        game=game,
        adversary=adversary,
        variant=chosen.name,
        tier=tier,
        group=_spec_group(game, tier, group),
        seed=str(seed),
        time_limit=time_limit,
        tracing=tracing,
        isolated=adversary.source_reference() if isolated else None,
        run_key=_checked_run_key(run_key, isolated),
        memory_limit=memory_limit,
        seeds=checked_derivation(seeds),
    )


def _checked_run_key(run_key: bytes | None, isolated: bool) -> bytes | None:
    """The run key of a run: as given (exactly RUN_KEY_BYTES bytes), or a fresh one if isolated."""
    if run_key is None:
        return new_run_key() if isolated else None
    if type(run_key) is not bytes or len(run_key) != RUN_KEY_BYTES:
        raise UsageError(f"a run key is {RUN_KEY_BYTES} bytes ({2 * RUN_KEY_BYTES} hexadecimal digits)")
    return run_key


def _spec_group(game: type[Game], tier: str, group: str | Group | None) -> str | Group:
    """A named group's name, checked against the game's tiers, or a `Group` of `tier`."""
    if not isinstance(group, Group):
        return game.group(tier, group).name
    game.group(tier)  # the tier must be one of the game's
    if group.tier != tier:
        raise UsageError(f"group {group.label} belongs to tier {group.tier!r}, not {tier!r}")
    return group


def summarize_run(
    spec: TrialSpec,
    tally: Tally,
    estimate: Estimate,
    seconds: float,
    *,
    stopped: str | None = None,
) -> RunResult:
    """The run's record from its counts: the estimate, lost trials by type, mean costs and queries,
    and why it stopped early (`RunResult.stopped`)."""
    n = tally.trials
    return RunResult(
        game=spec.game.id,
        variant=spec.variant,
        adversary=spec.adversary.id,
        tier=spec.tier,
        group=spec.group_name,
        expect=spec.adversary.expected_verdict(spec.variant, spec.tier),
        estimate=estimate,
        lost=dict(sorted(tally.lost.items())),
        faults={
            kind: {
                "trial": index,
                "message": report.message,
                "at": report.at,
                "frames": report.as_dict()["frames"],
            }
            for kind, (index, report) in sorted(tally.first_faults.items())
        },
        seed=spec.seed,
        seconds=seconds,
        mean_exponentiations=tally.exponentiations / n,
        mean_hashes=tally.hashes / n,
        mean_queries=tally.mean_queries(),
        trust=TRUSTED if spec.isolated is None else ISOLATED,
        run_key=None if spec.run_key is None else spec.run_key.hex(),
        stopped=stopped,
        group_chosen=spec.group_name != spec.game.groups.get(spec.tier),
        seeds=spec.seeds,
    )


def run(
    game: type[Game],
    variant: str | None,
    adversary: type[AdversaryLike],
    tier: str,
    *,
    max_trials: int,
    seed: str,
    jobs: int | None = None,
    thresholds: Thresholds | None = None,
    time_limit: float | None = DEFAULT_TIME_LIMIT,
    group: str | Group | None = None,
    isolated: bool = False,
    run_key: bytes | None = None,
) -> RunResult:
    """One run with a short-lived `Engine` (see `Engine.run`)."""
    with Engine(jobs) as engine:
        return engine.run(
            game,
            variant,
            adversary,
            tier,
            max_trials=max_trials,
            seed=seed,
            thresholds=thresholds,
            time_limit=time_limit,
            group=group,
            isolated=isolated,
            run_key=run_key,
        )
