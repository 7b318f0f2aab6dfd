"""Where a run's batches of trials are played (harness §10 "Parallelism"; docs/executors.md): a pool
of forked worker processes on this machine (`local`), or the workers of a Dask cluster (`dask`:
a `LocalCluster` started here, or the scheduler at an address).

A batch is a range of trial indices [start, stop), and what it returns depends on the spec and the
indices only (`play_range`), so the engine gets the same outcomes, trial for trial, whichever
executor played them, however many workers it has and in whatever order batches finish: it reads
them in index order. Both executors cancel the batches a run no longer needs (`drop`). A worker
lost while playing a batch: the local pool is void (`BrokenProcessPool`, the run fails as
`WorkerDied`); Dask's scheduler plays the batch again on another worker, and gives up, also as
`WorkerDied`, when the same batch has killed workers more than `distributed.scheduler.allowed-failures`
times (an adversary that crashes its process).

Dask is an optional extra (`pip install 'mpgames[dask]'`), imported only when asked for.
"""

from __future__ import annotations

import importlib.machinery
import logging
import multiprocessing
import multiprocessing.util
import os
import signal
import sys
import uuid
from collections.abc import Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, Protocol

from mpgames.framework.errors import UsageError
from mpgames.framework.isolation.host import close_servers
from mpgames.framework.outcome import TrialOutcome
from mpgames.framework.plugin_files import import_source, module_source

if TYPE_CHECKING:
    from mpgames.framework.engine import TrialSpec

LOCAL, DASK = "local", "dask"
EXECUTORS = (LOCAL, DASK)
# Seconds to wait for a scheduler given by address before saying it cannot be reached.
CONNECT_TIMEOUT = 10


class WorkerLost(Exception):
    """A worker ended while playing a batch, and the executor will not play it again."""


class Batch(Protocol):
    def done(self) -> bool: ...


class TrialExecutor(Protocol):
    """Plays batches of trials on `workers` workers."""

    workers: int

    def submit(self, spec: TrialSpec, start: int, stop: int) -> Batch: ...

    def result(self, batch: Batch) -> list[TrialOutcome]: ...

    def drop(self, batches: Sequence[Batch]) -> None: ...

    def close(self) -> None: ...


def play_range(spec: TrialSpec, start: int, stop: int) -> list[TrialOutcome]:
    """Outcomes of trials start, …, stop−1 of the run `spec`, in index order."""
    from mpgames.framework.engine import play_trials

    return list(play_trials(spec, start, stop))


def _worker_signals() -> None:
    """Initializer of a local worker process: SIGINT is the parent's to act on (a terminal sends it
    to the whole process group); SIGTERM ends the worker at once, not through a handler a fork copied,
    after the isolated adversaries it started (`close_servers`), which it also stops when it ends
    normally."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _end_worker)
    multiprocessing.util.Finalize(None, close_servers, exitpriority=0)


def _end_worker(signum: int, frame: object) -> None:
    close_servers()
    os._exit(128 + signum)


def worker_pool(jobs: int) -> ProcessPoolExecutor:
    """A pool of `jobs` forked worker processes with the signal dispositions of `_worker_signals`."""
    return ProcessPoolExecutor(
        jobs, mp_context=multiprocessing.get_context("fork"), initializer=_worker_signals
    )


def end_pool(pool: ProcessPoolExecutor) -> None:
    """End a pool's workers now, whatever they are doing (SIGTERM: each stops its isolated
    adversaries first), and reap them."""
    for process in list(pool._processes.values()):  # Python 3.11 has no public way to them
        process.terminate()
    try:
        pool.shutdown(cancel_futures=True)  # its manager thread sees the workers end and reaps them
    except RuntimeError:
        # A signal came between the pool's making its manager thread and starting it: there is no
        # thread to join, and the interruption under way must not give way to this error.
        pool.shutdown(wait=False, cancel_futures=True)


class LocalExecutor:
    """`jobs` forked worker processes on this machine. Dropping a batch that is still running ends
    the workers (the next batch starts fresh ones): a trial cannot be stopped any other way."""

    def __init__(self, jobs: int) -> None:
        self.workers = jobs
        self._pool: ProcessPoolExecutor | None = None

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = worker_pool(self.workers)
        return self._pool

    def submit(self, spec: TrialSpec, start: int, stop: int) -> Future[list[TrialOutcome]]:
        try:
            return self._executor().submit(play_range, spec, start, stop)
        except BrokenProcessPool:
            raise self._lost() from None

    def result(self, batch: Batch) -> list[TrialOutcome]:
        assert isinstance(batch, Future)
        try:
            outcomes: list[TrialOutcome] = batch.result()
        except BrokenProcessPool:
            raise self._lost() from None
        return outcomes

    def _lost(self) -> WorkerLost:
        """Drop the pool, which is unusable now, so that the next batch starts fresh workers."""
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
        return WorkerLost()

    def drop(self, batches: Sequence[Batch]) -> None:
        if self._pool is not None and not all(batch.done() for batch in batches):
            pool, self._pool = self._pool, None
            end_pool(pool)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _not_on_path(module: str) -> bool:
    """True iff no directory of sys.path holds the top-level package of `module`."""
    return importlib.machinery.PathFinder.find_spec(module.partition(".")[0]) is None


def _play_pickled(payload: bytes, files: tuple[str, ...], start: int, stop: int) -> list[TrialOutcome]:
    """`play_range` on a Dask worker, for a spec pickled by `DaskExecutor._payload`, after importing
    the game `files` it names by reference (`_game_files`)."""
    import pickle

    for file in files:
        import_source(file)
    return play_range(pickle.loads(payload), start, stop)


def _game_files(spec: TrialSpec) -> tuple[str, ...]:
    """The file of a game loaded from one (docs/plugins.md), which a worker imports before it reads
    the spec: the game pickles by reference to it, so that the worker has the module by its name,
    which an isolated adversary's process needs too (it imports the file to decode the game's view
    records, mpgames.framework.plugin_files `module_source`); () for a game of an importable module."""
    source = module_source(spec.game.__module__)
    return (source,) if os.path.isabs(source) else ()


class DaskExecutor:
    """The workers of a Dask cluster: a `LocalCluster` of `jobs` single-threaded worker processes
    started here, or the cluster whose scheduler listens at `scheduler` ("tcp://host:8786")."""

    def __init__(self, jobs: int, scheduler: str | None = None) -> None:
        try:
            from distributed import Client, LocalCluster
        except ImportError:
            raise UsageError("--executor dask needs the dask extra: pip install 'mpgames[dask]'") from None
        self._cluster: Any = None
        if scheduler is None:
            self._cluster = LocalCluster(
                n_workers=jobs,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=logging.ERROR,
            )
            self._client: Any = Client(self._cluster)
        else:
            try:
                self._client = Client(scheduler, timeout=CONNECT_TIMEOUT)
            except (OSError, TimeoutError, ValueError) as exc:
                raise UsageError(f"cannot reach the Dask scheduler at {scheduler!r}: {exc}") from None
        self.workers = max(1, sum(self._client.nthreads().values()))
        self._run = uuid.uuid4().hex
        self._payload_of: tuple[TrialSpec, bytes] | None = None

    def _payload(self, spec: TrialSpec) -> bytes:
        """The spec pickled once per run: classes of importable modules by reference, those of an
        adversary whose package is not on sys.path (a "file.py:Class" plugin, imported under a name of
        its own) by value, since the workers could not import it."""
        if self._payload_of is not None and self._payload_of[0] is spec:
            return self._payload_of[1]
        import cloudpickle  # type: ignore[import-untyped]

        module = sys.modules.get(spec.adversary.__module__)
        if module is not None and _not_on_path(module.__name__):
            cloudpickle.register_pickle_by_value(module)
        payload: bytes = cloudpickle.dumps(spec)
        self._payload_of = (spec, payload)
        return payload

    def submit(self, spec: TrialSpec, start: int, stop: int) -> Batch:
        key = f"mpgames-trials-{self._run}-{id(spec):x}-{start}-{stop}"
        payload = self._payload(spec)
        future: Batch = self._client.submit(_play_pickled, payload, _game_files(spec), start, stop, key=key)
        return future

    def result(self, batch: Batch) -> list[TrialOutcome]:
        from distributed.scheduler import KilledWorker

        try:
            outcomes: list[TrialOutcome] = batch.result()  # type: ignore[attr-defined]
        except KilledWorker:
            raise WorkerLost() from None
        return outcomes

    def drop(self, batches: Sequence[Batch]) -> None:
        pending = [batch for batch in batches if not batch.done()]
        if pending:
            self._client.cancel(pending)

    def close(self) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()


def make_executor(kind: str, jobs: int, scheduler: str | None) -> TrialExecutor:
    """The executor `kind` ("local" or "dask") with `jobs` workers (a local cluster's size)."""
    if kind == DASK:
        return DaskExecutor(jobs, scheduler)
    return LocalExecutor(jobs)


def check_executor(kind: object, scheduler: object) -> str:
    """`kind` if it names an executor and `scheduler` fits it; `UsageError` otherwise."""
    if not isinstance(kind, str) or kind not in EXECUTORS:
        raise UsageError(f"unknown executor {kind!r}; choose one of {', '.join(EXECUTORS)}")
    if scheduler is not None and (kind != DASK or not isinstance(scheduler, str) or not scheduler):
        raise UsageError("--scheduler ADDRESS goes with --executor dask")
    return kind
